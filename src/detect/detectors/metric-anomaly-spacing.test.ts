// metric-anomaly on series reported less often than the engine's buckets close (OpenTelemetry SDKs
// export every 60 s, Prometheus scrapes every 15–60 s), through the engine's default 10 s buckets:
// a bucket without a point is no news, so a lasting drop still fires on two anomalous points in a
// row, noise stays silent, and a series that stops reporting mid-pending does not fire later on
// its stale first point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Signal } from '../../model/index.js';
import { makeMetric } from '../../../test/support/records.js';
import { DetectionEngine } from '../engine.js';
import { seededRandom } from '../testing/random.js';

const MIN = 60_000;
const T0 = 1_793_577_600_000;
/** The engine's default bucket, which the engine is left at. */
const BUCKET_MS = 10_000;

interface Replay {
  spacingMs: number;
  minutes: number;
  seed: number;
  /** The series' value at a point (its usual level is 200 with 5% noise). */
  level?: (t: number) => number;
  /** Points not sent. */
  missing?: (t: number) => boolean;
}

/** One series of `spacingMs` points replayed in event time, the engine's clock moving bucket by bucket: its metric-anomaly signals. */
function replay({ spacingMs, minutes, seed, level = () => 200, missing = () => false }: Replay): Signal[] {
  const engine = new DetectionEngine({});
  assert.equal(engine.config.bucketMs, BUCKET_MS);
  const random = seededRandom(seed);
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  const signals: Signal[] = [];
  for (let now = T0; now < T0 + minutes * MIN; now += BUCKET_MS) {
    if ((now - T0) % spacingMs === 0 && !missing(now)) {
      const value = level(now) * (1 + 0.05 * gaussian());
      engine.observeMetrics([makeMetric({ service: 'shop', name: 'kpi.orders.per_min', unit: '{order}/min', timeMs: now, value })]);
    }
    signals.push(...engine.advance(now + BUCKET_MS));
  }
  return signals.filter((s) => s.kind === 'metric-anomaly');
}

const DROP_AT = T0 + 4 * 60 * MIN;
const dropped = (t: number): number => (t >= DROP_AT ? 50 : 200);

for (const spacingMs of [15_000, 30_000, 60_000]) {
  void test(`a series reported every ${spacingMs / 1000} s that drops by 75% fires within 3 points under 10 s buckets, once`, () => {
    for (const seed of [1, 2, 3]) {
      const signals = replay({ spacingMs, minutes: 4 * 60 + 30, seed, level: dropped });
      const fired = signals.filter((s) => s.status === 'firing');
      assert.ok(fired.length >= 1, `seed ${seed}: the drop raised nothing`);
      assert.equal(fired.length, 1, `seed ${seed}: fired ${fired.length} times in the drop's half hour`);
      // Point k of the drop (k = 0, 1, 2) is judged when its bucket closes, at the drop + k gaps + a bucket.
      const atPoint = Math.floor((fired[0]!.detectedAtMs - BUCKET_MS - DROP_AT) / spacingMs);
      assert.ok(atPoint >= 1 && atPoint <= 2, `seed ${seed}: fired at point ${atPoint} of the drop`);
    }
  });
}

void test('a series reported every 5 min that drops for an hour fires once, not once per pair of points', () => {
  const dropAt = T0 + 6 * 60 * MIN;
  const signals = replay({ spacingMs: 5 * MIN, minutes: 7 * 60, seed: 5, level: (t) => (t >= dropAt ? 50 : 200) });
  const fired = signals.filter((s) => s.status === 'firing');
  assert.equal(fired.length, 1, `fired ${fired.length} times`);
  assert.ok(fired[0]!.detectedAtMs <= dropAt + 2 * 5 * MIN + BUCKET_MS, 'fired at the drop');
});

void test('8 hours of per-minute noise raise nothing under 10 s buckets', () => {
  for (const seed of [11, 12]) assert.deepEqual(replay({ spacingMs: MIN, minutes: 8 * 60 + 30, seed }), [], `seed ${seed}`);
});

void test('a series that stops reporting after one anomalous point does not fire later on that stale point', () => {
  // One point at 50, ten minutes of silence, then the series reports 50 again: the first of those
  // points is the first anomalous one of a fresh run, the second fires.
  const resumeAt = DROP_AT + 10 * MIN;
  const signals = replay({ spacingMs: MIN, minutes: 4 * 60 + 20, seed: 7, level: dropped, missing: (t) => t > DROP_AT && t < resumeAt });
  const fired = signals.filter((s) => s.status === 'firing');
  assert.ok(fired.length >= 1, 'the resumed drop never fired');
  assert.equal(fired[0]!.detectedAtMs, resumeAt + MIN + BUCKET_MS, 'fired at the second point after the series resumed');
});

void test('a firing series that stops reporting recovers a few of its gaps and the hold later, as one no longer evaluated', () => {
  const stopAt = DROP_AT + 10 * MIN;
  const signals = replay({ spacingMs: MIN, minutes: 4 * 60 + 30, seed: 8, level: dropped, missing: (t) => t >= stopAt });
  assert.deepEqual(
    signals.map((s) => s.status),
    ['firing', 'recovered'],
  );
  // The last point is at stopAt − 1 min; no news for 2.5 gaps, then the 2 min hold.
  const recoveredAfter = (signals[1]!.endedAtMs! - (stopAt - MIN)) / 1000;
  assert.ok(recoveredAfter > 150 && recoveredAfter <= 150 + 120 + 10, `recovered ${recoveredAfter} s after the last point`);
});
