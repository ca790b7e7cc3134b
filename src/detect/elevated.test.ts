// Sub-threshold moves reach the ranking: a resource that rises past half the paging bar but not
// past it fires nothing, yet the engine remembers it (strongest z, first onset) across a snapshot;
// once the move pages it is a signal and leaves the weak evidence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Signal } from '../model/index.js';
import { makeMetric } from '../../test/support/records.js';
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
