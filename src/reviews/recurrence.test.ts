import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findRepeats, repeatOf, resurfacedActionItems } from './recurrence.js';
import { DAY, incident, item, signature, T0 } from './testing/incidents.js';
import type { IncidentFacts } from './types.js';

/** The repeats the indexed search finds over `history`, asserted equal to a scan of every pair. */
function indexedMatchesScan(history: readonly IncidentFacts[]): ReturnType<typeof findRepeats> {
  const indexed = findRepeats(history, history);
  const scanned = new Map(
    history.flatMap((i) => {
      const r = repeatOf(i, history);
      return r ? [[i.id, r] as const] : [];
    }),
  );
  assert.deepEqual(indexed, scanned);
  return indexed;
}

const earlier = incident({ id: '1', startedAtMs: T0, resolvedAtMs: T0 + 3_600_000 });

void test('an incident like one resolved within 90 days before it is a repeat; one resolved 91 days before is not', () => {
  const again = incident({ id: '2', startedAtMs: T0 + 30 * DAY, resolvedAtMs: T0 + 30 * DAY + 3_600_000 });
  assert.deepEqual(repeatOf(again, [earlier, again]), { incidentId: '1', title: 'incident 1', similarity: 1, resolvedAtMs: T0 + 3_600_000 });
  const late = incident({ id: '3', startedAtMs: T0 + 3_600_000 + 91 * DAY });
  assert.equal(repeatOf(late, [earlier]), undefined);
  const unlike = incident({
    id: '4',
    startedAtMs: T0 + DAY,
    services: ['search'],
    signature: signature({ services: ['search'], signalKinds: ['latency'], rootCause: 'search:saturation', rootCauseKind: 'saturation' }),
  });
  assert.equal(repeatOf(unlike, [earlier]), undefined);
  const stillOpen = incident({ id: '5', startedAtMs: T0, resolvedAtMs: undefined, status: 'triggered' });
  assert.equal(repeatOf(again, [stillOpen]), undefined, 'only a resolved incident can be repeated');
  const overlapping = incident({ id: '6', startedAtMs: T0 + 30 * 60_000 });
  assert.equal(repeatOf(overlapping, [earlier]), undefined, 'one that began before the earlier was resolved is the same episode, not a repeat');
});

void test('the indexed search finds exactly what a scan of every pair finds', () => {
  const kinds = ['error-rate', 'latency', 'throughput'];
  const services = ['checkout', 'payment', 'search', 'cart', 'catalog'];
  const causes = ['payment:bad-deploy', 'search:saturation', '', 'cart:dependency-failure'];
  const history = Array.from({ length: 300 }, (_, k) => {
    // Signatures are sorted sets, as incidentSignature makes them.
    const svc = [...new Set([services[k % 5]!, services[(k * 7) % 5]!])].sort();
    const cause = causes[k % 4]!;
    return incident({
      id: String(k),
      startedAtMs: T0 + k * DAY * 0.7,
      resolvedAtMs: T0 + k * DAY * 0.7 + 3_600_000,
      signature: signature({
        services: k % 11 === 0 ? [] : svc,
        signalKinds: [kinds[k % 3]!],
        rootCause: cause,
        rootCauseKind: cause ? (cause.split(':')[1] as 'saturation') : '',
      }),
    });
  });
  const indexed = indexedMatchesScan(history);
  assert.ok(indexed.size > 50 && indexed.size < 300, `${indexed.size} repeats`);
});

void test('the fast search agrees with a scan on signatures with fingerprints, templates, unsorted members, ties and overlaps', () => {
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  // Members unsorted (a hand-made signature may be), but sets: rca's similarity counts a repeated member twice.
  const pick = (pool: readonly string[], most: number): string[] => [...new Set(Array.from({ length: rnd(most + 1) }, () => pool[rnd(pool.length)]!))];
  const history = Array.from({ length: 400 }, (_, k) => {
    const startedAtMs = T0 + k * DAY * 0.4 + rnd(5) * DAY;
    const cause = ['a:bad-deploy', 'b:saturation', '', 'c:code-error'][rnd(4)]!;
    return incident({
      id: String(k),
      startedAtMs,
      ...(rnd(10) ? { resolvedAtMs: startedAtMs + rnd(3) * DAY } : { resolvedAtMs: undefined }),
      signature: signature({
        services: pick(['a', 'b', 'c', 'd'], 3),
        signalKinds: pick(['error-rate', 'latency'], 2),
        fingerprints: pick(['f1', 'f2', 'f3'], 2),
        templates: pick(['t1', 't2'], 1),
        rootCause: cause,
        rootCauseKind: cause ? (cause.split(':')[1] as 'saturation') : '',
      }),
    });
  });
  const indexed = indexedMatchesScan(history);
  assert.ok([...indexed.values()].some((r) => r.similarity < 1) && [...indexed.values()].some((r) => r.similarity === 1), 'both paths taken');
});

void test('open action items of a similar earlier incident resurface on the new one; done ones and unrelated ones do not', () => {
  const again = incident({ id: '2', startedAtMs: T0 + 10 * DAY });
  const other = incident({
    id: '9',
    startedAtMs: T0 + DAY,
    signature: signature({ services: ['search'], signalKinds: ['latency'], rootCause: 'search:saturation', rootCauseKind: 'saturation' }),
  });
  const items = [
    item({ id: 'a', incidentId: '1', title: 'add a pool-size check to the deploy' }),
    item({ id: 'b', incidentId: '1', status: 'done' }),
    item({ id: 'c', incidentId: '9' }),
    item({ id: 'd', incidentId: '2' }),
  ];
  const out = resurfacedActionItems(again, [earlier, other, again], items);
  assert.deepEqual(
    out.map((a) => [a.id, a.fromIncidentTitle, a.similarity]),
    [['a', 'incident 1', 1]],
  );
  assert.deepEqual(resurfacedActionItems(earlier, [earlier, again], items), [], 'a later incident never resurfaces on an earlier one');
});
