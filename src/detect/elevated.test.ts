// Sub-threshold moves reach the ranking: a resource that rises past half the paging bar but not
// past it fires nothing, yet the engine remembers it (strongest z, first onset) across a snapshot;
// once the move pages it is a signal and leaves the weak evidence. A move that ends and comes back
// is a new episode with its own onset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Signal } from '../model/index.js';
import { makeMetric } from '../../test/support/records.js';
import { declaredGraph, rankRootCauses } from '../rca/index.js';
import { makeSignal } from '../rca/testing/signals.js';
import type { Evaluation } from './detector.js';
import { ELEVATED_MEMORY_MS, elevatedShifts, noteElevated, type ElevatedMemory } from './elevated.js';
import { DetectionEngine } from './engine.js';
import { seededRandom } from './testing/random.js';

const MIN = 60_000;
const T0 = 1_793_620_800_000;
const SCRAPE_MS = 15_000;

/** 20 min of a steady CPU gauge, then `rise` more for `minutes`; returns the engine and what fired. */
function run(engine: DetectionEngine, fromMs: number, minutes: number, rise: number, seed: number): Signal[] {
  const random = seededRandom(seed);
  const fired: Signal[] = [];
  for (let t = fromMs; t < fromMs + minutes * MIN; t += SCRAPE_MS) {
    const value = 0.2 + 0.02 * random.next() + rise;
    engine.observeMetrics([makeMetric({ service: 'ledger', name: 'process.cpu.utilization', unit: '1', type: 'gauge', timeMs: t, value })]);
    fired.push(...engine.advance(t + 1));
  }
  return fired;
}

void test('a resource move under the paging bar fires nothing but is remembered as weak evidence until it pages', () => {
  const engine = new DetectionEngine({});
  assert.deepEqual(run(engine, T0, 20, 0, 1), []);
  assert.deepEqual(engine.elevatedShifts(), []);
  // About six noise scales up (the bar is 8, and a 30% rise): elevated, never firing.
  assert.deepEqual(run(engine, T0 + 20 * MIN, 4, 0.06, 2), []);
  const [move, ...others] = engine.elevatedShifts();
  assert.equal(others.length, 0);
  assert.equal(move?.subject.service, 'ledger');
  assert.equal(move?.kind, 'metric-anomaly');
  const z = Number(move?.evidence['robustZ']);
  assert.ok(z >= 4 && z < 8, `robust z ${z}`);
  assert.ok(move.startedAtMs >= T0 + 20 * MIN && move.startedAtMs <= T0 + 22 * MIN);
  // Snapshots keep it: a restarted engine ranks with the same evidence.
  const restored = new DetectionEngine({}, engine.snapshot());
  assert.deepEqual(restored.elevatedShifts(), engine.elevatedShifts());
  // A move past the bar fires and is no longer weak evidence.
  const fired = run(restored, T0 + 24 * MIN, 3, 0.6, 3);
  assert.equal(fired.filter((s) => s.status === 'firing' && s.key === move.key).length, 1);
  assert.deepEqual(restored.elevatedShifts(), []);
});

void test('a move that ended and came back 50 min later is a new episode: its own onset, read by the ranking as fresh', () => {
  const engine = new DetectionEngine({});
  run(engine, T0, 20, 0, 1);
  assert.deepEqual(run(engine, T0 + 20 * MIN, 4, 0.06, 2), []);
  // A snapshot taken mid-move holds what the older format held: one entry per key, nothing else.
  const snapshot = engine.snapshot();
  assert.deepEqual(Object.keys(snapshot.elevated ?? {}), [engine.elevatedShifts()[0]!.key]);
  assert.deepEqual(Object.keys(Object.values(snapshot.elevated ?? {})[0]!).sort(), Object.keys(engine.elevatedShifts()[0]!).sort());
  const restored = new DetectionEngine({}, snapshot);
  assert.deepEqual(run(restored, T0 + 24 * MIN, 46, 0, 3), []);
  assert.deepEqual(run(restored, T0 + 70 * MIN, 4, 0.06, 4), []);
  // The ledger's caller pages at the return: the fresh move of its callee explains it and leads.
  const onsetMs = T0 + 71 * MIN;
  const page = makeSignal('metric-anomaly', { service: 'checkout', metric: 'latency' }, onsetMs, { evidence: { robustZ: 8 } });
  const graph = declaredGraph([
    ['site', 'checkout'],
    ['checkout', 'ledger'],
  ]);
  const ranked = rankRootCauses({ signals: [page], elevated: restored.elevatedShifts(), changes: [], graph, onsetMs, nowMs: T0 + 74 * MIN });
  assert.deepEqual(
    ranked.map((c) => c.service),
    ['ledger', 'checkout'],
  );
  const [first, again, ...others] = restored.elevatedShifts();
  assert.equal(others.length, 0);
  assert.ok(first!.startedAtMs < T0 + 24 * MIN && first!.lastSeenMs <= T0 + 25 * MIN, 'the first episode ended with its move');
  assert.equal(again?.key, first?.key);
  assert.ok(again!.startedAtMs >= T0 + 70 * MIN, `second onset ${(again!.startedAtMs - T0) / MIN} min`);
});

/** One evaluation of the ledger's CPU key in the given state (a draft unless normal). */
function evaluation(state: Evaluation['state'], atMs: number, noNews = false): Evaluation {
  const subject = { service: 'ledger', metric: 'process.cpu.utilization' };
  const draft = { startedAtMs: atMs, window: { fromMs: atMs, toMs: atMs + 10_000 }, observed: 0.3, baseline: 0.2, unit: '1', pValue: 0.01, score: 0.6 };
  return {
    key: 'metric-anomaly|ledger|cpu',
    kind: 'metric-anomaly',
    subject,
    state,
    ...(noNews ? { noNews } : {}),
    ...(state === 'normal' ? {} : { draft: { ...draft, summary: 'ledger cpu up a little', evidence: { robustZ: 5 } } }),
  };
}

void test('an episode ends only after the hold of normal evaluations the tracker needs to recover a signal; no news leaves it open', () => {
  const config = { bucketMs: 10_000, holdMs: 2 * MIN };
  const memory: ElevatedMemory = {};
  const note = (list: Evaluation[], atMs: number): void => noteElevated(memory, list, atMs, () => false, config);
  note([evaluation('elevated', T0)], T0 + 10_000);
  // A minute of normal buckets, then of no news (a series reported once a minute): still one move.
  for (let t = T0 + 20_000; t <= T0 + 80_000; t += 10_000) note([evaluation('normal', t)], t);
  for (let t = T0 + 90_000; t <= T0 + 10 * MIN; t += 10_000) note([evaluation('elevated', t, true)], t);
  note([evaluation('elevated', T0 + 11 * MIN)], T0 + 11 * MIN);
  assert.deepEqual(
    elevatedShifts(memory).map((e) => e.startedAtMs),
    [T0],
  );
  // Two minutes with no evaluation of the key count as normal: the move ended, the next is another.
  for (let t = T0 + 11 * MIN + 10_000; t <= T0 + 14 * MIN; t += 10_000) note([], t);
  note([evaluation('anomalous', T0 + 15 * MIN)], T0 + 15 * MIN);
  assert.deepEqual(
    elevatedShifts(memory).map((e) => [e.startedAtMs, e.lastSeenMs]),
    [
      [T0, T0 + 11 * MIN],
      [T0 + 15 * MIN, T0 + 15 * MIN],
    ],
  );
  assert.ok(elevatedShifts(memory).every((e) => !('quietSinceMs' in e)));
  // Both are forgotten two hours after they were last seen.
  note([], T0 + 15 * MIN + ELEVATED_MEMORY_MS + 10_000);
  assert.deepEqual(memory, {});
});
