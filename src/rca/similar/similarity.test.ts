import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RootCause } from '../../model/index.js';
import { makeSignal } from '../testing/signals.js';
import { incidentSignature } from './signature.js';
import { findSimilarIncidents, recurringPatterns, signatureSimilarity } from './similarity.js';
import type { PastIncident } from './similarity.js';

const DAY = 86_400_000;
const T0 = 1_764_000_000_000;
const cause = (service: string, kind: RootCause['kind']): RootCause => ({ service, kind, score: 0.9, explanation: '', evidence: [], nextSteps: [] });

const poolIncident = (t: number) => ({
  signals: [
    makeSignal('saturation', { service: 'payment', metric: 'db.client.connection.count' }, t),
    makeSignal('error-rate', { service: 'payment', route: 'POST /pay' }, t),
    makeSignal('new-exception', { service: 'payment', fingerprint: 'pool-timeout' }, t),
    makeSignal('error-rate', { service: 'checkout' }, t),
    makeSignal('error-rate', { service: 'frontend' }, t),
  ],
  rootCauses: [cause('payment', 'bad-deploy')],
});
const cacheIncident = (t: number) => ({
  signals: [
    makeSignal('error-rate', { service: 'cart', peer: 'cache' }, t),
    makeSignal('error-rate', { service: 'catalog', peer: 'cache' }, t),
    makeSignal('error-rate', { service: 'frontend' }, t),
  ],
  rootCauses: [cause('cache', 'dependency-failure')],
});
const leakIncident = (t: number) => ({
  signals: [
    makeSignal('saturation', { service: 'shipping', metric: 'process.memory.usage' }, t),
    makeSignal('latency', { service: 'shipping' }, t),
    makeSignal('latency', { service: 'checkout' }, t),
  ],
  rootCauses: [cause('shipping', 'resource-exhaustion')],
});
const trafficIncident = (t: number) => ({
  signals: [makeSignal('throughput-drop', { service: 'frontend' }, t)],
  rootCauses: [cause('frontend', 'traffic-change')],
});

/** An incident `make` describes, begun at `startedAtMs`, with how it was fixed and what is still to do. */
const pastIncident = (
  incidentId: string,
  title: string,
  make: (t: number) => Parameters<typeof incidentSignature>[0],
  startedAtMs: number,
  resolution: string,
  openActionItems: string[],
): PastIncident => ({ incidentId, title, startedAtMs, signature: incidentSignature(make(startedAtMs)), resolution, openActionItems });

const past: PastIncident[] = [
  pastIncident('12', 'Errors in frontend GET / (cache down)', cacheIncident, T0, 'restarted redis', ['add cache fallback']),
  pastIncident('17', 'Errors in payment POST /pay after v2.3 deploy', poolIncident, T0 + DAY, 'rolled back payment to v2.2; pool raised to 80', [
    'load-test batch size changes',
  ]),
  pastIncident('21', 'Slow shipping', leakIncident, T0 + 2 * DAY, 'restarted shipping', []),
  pastIncident('25', 'Frontend traffic drop', trafficIncident, T0 + 3 * DAY, 'DNS fixed', []),
];

void test('a recurrence of an earlier fault ranks that incident first, with how it was fixed and open items', () => {
  const now = incidentSignature(poolIncident(T0 + 10 * DAY));
  const similar = findSimilarIncidents(now, past, 3);
  assert.equal(similar[0]?.incidentId, '17');
  assert.equal(similar[0]?.similarity, 1);
  assert.equal(similar[0]?.resolution, 'rolled back payment to v2.2; pool raised to 80');
  assert.deepEqual(similar[0]?.openActionItems, ['load-test batch size changes']);
  assert.ok(similar.every((s, i) => i === 0 || s.similarity <= similar[i - 1]!.similarity));
  for (const [make, id] of [
    [cacheIncident, '12'],
    [leakIncident, '21'],
    [trafficIncident, '25'],
  ] as const) {
    assert.equal(findSimilarIncidents(incidentSignature(make(T0 + 9 * DAY)), past, 1)[0]?.incidentId, id);
  }
});

void test('a partial recurrence (same cause, fewer symptoms) still matches, an unrelated one does not', () => {
  const partial = incidentSignature({ signals: [makeSignal('error-rate', { service: 'payment' }, T0)], rootCauses: [cause('payment', 'bad-deploy')] });
  assert.equal(findSimilarIncidents(partial, past, 3)[0]?.incidentId, '17');
  const unrelated = incidentSignature({ signals: [makeSignal('latency', { service: 'email' }, T0)], rootCauses: [cause('email', 'code-error')] });
  assert.deepEqual(findSimilarIncidents(unrelated, past, 3), []);
});

void test('signatures collect services, peers, kinds, fingerprints, templates and the top cause', () => {
  const sig = incidentSignature({
    signals: [
      makeSignal('error-rate', { service: 'cart', peer: 'cache' }, T0),
      makeSignal('new-log-pattern', { service: 'cart', patternId: 'tpl-9' }, T0),
      makeSignal('new-exception', { service: 'cart', fingerprint: 'abc' }, T0),
    ],
    rootCauses: [cause('cache', 'dependency-failure'), cause('cart', 'code-error')],
  });
  assert.deepEqual(sig, {
    services: ['cache', 'cart'],
    signalKinds: ['error-rate', 'new-exception', 'new-log-pattern'],
    fingerprints: ['abc'],
    templates: ['tpl-9'],
    rootCause: 'cache:dependency-failure',
    rootCauseKind: 'dependency-failure',
  });
  assert.equal(signatureSimilarity(sig, sig), 1);
});

void test('recurring patterns group look-alike incidents and carry their open action items', () => {
  const history: PastIncident[] = [
    ...past,
    pastIncident('30', 'Payment errors again', poolIncident, T0 + 5 * DAY, 'rolled back', ['alert on pool usage']),
    pastIncident('33', 'Cache down again', cacheIncident, T0 + 6 * DAY, 'restarted redis', ['add cache fallback']),
    pastIncident('35', 'Payment errors, third time', poolIncident, T0 + 7 * DAY, 'rolled back', []),
  ];
  const groups = recurringPatterns(history);
  assert.deepEqual(
    groups.map((g) => g.incidentIds),
    [
      ['17', '30', '35'],
      ['12', '33'],
    ],
  );
  assert.equal(groups[0]?.label, 'payment:bad-deploy; services checkout, frontend, payment; exceptions pool-timeout');
  assert.deepEqual(groups[0]?.openActionItems, ['load-test batch size changes', 'alert on pool usage']);
  assert.deepEqual(groups[1]?.openActionItems, ['add cache fallback']);
  assert.equal(groups[0]?.firstMs, T0 + DAY);
  assert.equal(groups[0]?.lastMs, T0 + 7 * DAY);
});
