// Behaviour of the metric-anomaly detector through the detection engine: a business KPI that
// drops and stays down raises a signal within a few points, and a lasting new level is in time
// taken as normal, so the signal resolves instead of firing forever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricPoint, Signal } from '../../model/index.js';
import { makeMetric } from '../../../test/support/records.js';
import type { DetectionConfigInput } from '../config.js';
import { DetectionEngine } from '../engine.js';
import { seededRandom } from '../testing/random.js';

const MIN = 60_000;
const DAY = 1440 * MIN;
const T0 = 1_793_577_600_000; // 2026-11-02 00:00 UTC: the KPI peaks at 06:00 and bottoms at 18:00

function kpi(value: number, timeMs: number): MetricPoint {
  return makeMetric({ service: 'shop', serviceVersion: '1.0.0', environment: 'prod', name: 'kpi.orders.per_min', unit: '{order}/min', timeMs, value });
}

/**
 * One point a minute (one per bucket) of orders with a daily cycle (100–300/min) and 5% noise,
 * for `days` days; from `dropAtMs` on the KPI is at 25% of its usual value and stays there.
 */
function run(days: number, dropAtMs: number, seed: number): { signals: Signal[]; dropPoint: number } {
  const engine = new DetectionEngine({ bucketMs: MIN });
  const random = seededRandom(seed);
  const rand = (): number => random.next();
  const signals: Signal[] = [];
  for (let t = T0; t < T0 + days * DAY; t += MIN) {
    const usual = 200 * (1 + 0.5 * Math.sin((2 * Math.PI * (t - T0)) / DAY));
    const noise = 1 + 0.05 * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    engine.observeMetrics([kpi(usual * noise * (t >= dropAtMs ? 0.25 : 1), t)]);
    signals.push(...engine.advance(t + MIN));
  }
  return { signals: signals.filter((s) => s.kind === 'metric-anomaly'), dropPoint: (dropAtMs - T0) / MIN };
}

const pointOf = (s: Signal): number => (s.startedAtMs - T0) / MIN;
const dropAtMs = (hour: number): number => T0 + 8 * DAY + hour * 3_600_000;

void test('a KPI that drops by 75% at any hour of its daily cycle and stays down fires within 3 points of the drop (two anomalous buckets in a row)', () => {
  // Rising, falling, trough (18:00) and night: on a linear scale the falling half and the trough
  // were missed, because the cycle's own moves there are as large as the drop.
  for (const [hour, seed] of [
    [4, 1],
    [10, 3],
    [14, 4],
    [18, 6],
    [22, 8],
  ] as const) {
    const { signals } = run(9.2, dropAtMs(hour), seed);
    const fired = signals.filter((s) => s.status === 'firing');
    assert.ok(fired.length >= 1, `drop at ${hour}:00 raised nothing`);
    const first = fired[0] as Signal;
    // Point k after the drop (k = 1, 2, 3) is emitted when its bucket closes, at drop + k minutes.
    const late = (first.detectedAtMs - dropAtMs(hour)) / MIN;
    assert.ok(late >= 1 && late <= 3, `drop at ${hour}:00: signal emitted at point ${late} of the drop`);
  }
});

void test('a level shift that persists is absorbed: its signal recovers and does not fire again', () => {
  const { signals, dropPoint } = run(9.5, dropAtMs(7), 4);
  const after = signals.filter((s) => pointOf(s) >= dropPoint);
  const firing = after.filter((s) => s.status === 'firing');
  assert.equal(firing.length, 1, `fired ${firing.length} times after the shift`);
  const last = after[after.length - 1] as Signal;
  assert.equal(last.status, 'recovered', 'the signal of the shift never recovered');
  const resolvedAfter = ((last.endedAtMs ?? last.detectedAtMs) - dropAtMs(7)) / MIN;
  assert.ok(resolvedAfter <= 180, `recovered only ${resolvedAfter} points after the shift`);
});

void test('a series on the skip list (a declared KPI, judged by its own watcher) is left alone; other series of the metric are not', () => {
  // Five steady hours, then a lasting 75% drop: plenty for the scorer, cheap to run.
  const signalsWith = (config: DetectionConfigInput): Signal[] => {
    const engine = new DetectionEngine({ bucketMs: MIN, ...config });
    const random = seededRandom(11);
    const out: Signal[] = [];
    for (let i = 0; i < 320; i++) {
      const t = T0 + i * MIN;
      engine.observeMetrics([kpi((i >= 300 ? 50 : 200) * (1 + 0.05 * (random.next() - 0.5)), t)]);
      out.push(...engine.advance(t + MIN));
    }
    return out.filter((x) => x.kind === 'metric-anomaly');
  };
  assert.ok(signalsWith({}).length > 0, 'the drop fires when nothing is skipped');
  assert.deepEqual(signalsWith({ metricAnomaly: { skip: [{ metric: 'kpi.orders.per_min', service: 'shop' }] } }), []);
  assert.ok(
    signalsWith({ metricAnomaly: { skip: [{ metric: 'kpi.orders.per_min', service: 'billing' }] } }).length > 0,
    "another service's series is skipped, not this one",
  );
  assert.ok(
    signalsWith({ metricAnomaly: { skip: [{ metric: 'kpi.orders.per_min', attributes: { region: 'eu' } }] } }).length > 0,
    'a skip for other attribute values leaves this series watched',
  );
});
