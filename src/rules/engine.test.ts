// User rules in event time: thresholds hold for their `for` before firing and recover, RED series
// come from entry spans of the rule's route, a traffic stop is "below", and anomaly rules learn a
// day of the same window and fire on a robust z-score but not on ordinary wiggles.
import assert from 'node:assert/strict';
import test from 'node:test';
import type { MetricPoint } from '../model/index.js';
import { blankMetric } from '../model/testing/records.js';
import { entrySpan, minuteOfTraffic } from '../slo/testing.js';
import { alertRuleSchema, type AlertRuleInput } from './config.js';
import { RuleEngine, type RuleEngineSnapshot } from './engine.js';

const t0 = 1_767_600_000_000;
const minute = 60_000;
/** Through JSON, as the store keeps it. */
const stored = (engine: RuleEngine): RuleEngineSnapshot => JSON.parse(JSON.stringify(engine.snapshot())) as RuleEngineSnapshot;
const rule = (r: Partial<AlertRuleInput>) =>
  alertRuleSchema.parse({ name: 'pay errors', service: 'checkout', red: 'errorRate', above: 0.05, window: '1m', ...r });
const gauge = (value: number, timeMs: number, name = 'queue.depth'): MetricPoint =>
  blankMetric({ name, value, timeMs, startTimeMs: timeMs, service: 'worker', serviceVersion: '1', environment: 'test' });

test('a threshold on the error rate fires after its `for` hold, names the numbers, and recovers', () => {
  const engine = new RuleEngine([rule({ for: '2m', route: 'POST /pay' })]);
  const out = [];
  for (let m = 0; m < 10; m++) {
    engine.observeSpans(minuteOfTraffic({ service: 'checkout', route: 'POST /pay', requests: 100, errorRatio: m >= 3 && m < 7 ? 0.2 : 0 }, t0 + m * minute));
    engine.observeSpans(minuteOfTraffic({ service: 'checkout', route: 'GET /cart', requests: 100, errorRatio: 0.5 }, t0 + m * minute));
    out.push(...engine.evaluate(t0 + (m + 1) * minute).map((s) => ({ ...s, m })));
  }
  assert.deepEqual(
    out.map((s) => [s.status, s.m]),
    [
      ['firing', 5],
      ['recovered', 7],
    ],
    'holding from the end of minute 3, it fires 2 minutes later; GET /cart errors are another route',
  );
  assert.equal(out[0]!.kind, 'user-rule');
  assert.equal(out[0]!.summary, 'Rule "pay errors": error rate of checkout POST /pay 20% above 5% for 120 s (window 1m)');
  assert.equal(out[0]!.startedAtMs, t0 + 4 * minute, 'the onset is when the condition started holding');
});

test('p95 latency and a traffic stop (requests per minute below a floor) from entry spans', () => {
  const engine = new RuleEngine([
    rule({ name: 'slow', red: 'p95Ms', above: 500, window: '5m', route: undefined }),
    rule({ name: 'quiet', red: 'requestsPerMinute', above: undefined, below: 10, window: '2m' }),
  ]);
  for (let m = 0; m < 5; m++)
    engine.observeSpans(minuteOfTraffic({ service: 'checkout', route: 'POST /pay', requests: 60, slowRatio: m >= 3 ? 0.5 : 0, slowMs: 900 }, t0 + m * minute));
  const fired = engine.evaluate(t0 + 5 * minute);
  assert.deepEqual(
    fired.map((s) => s.evidence.rule),
    ['slow'],
  );
  assert.equal(fired[0]!.observed, 900);
  // Traffic stops: nothing arrives, so the windows empty and requests per minute is 0.
  assert.deepEqual(
    engine
      .evaluate(t0 + 10 * minute)
      .map((s) => [s.evidence.rule, s.status])
      .sort(),
    [
      ['quiet', 'firing'],
      ['slow', 'recovered'],
    ],
  );
  assert.deepEqual(
    engine.statuses().map((s) => [s.name, s.state, s.value]),
    [
      ['slow', 'inactive', null],
      ['quiet', 'firing', 0],
    ],
  );
});

test('an anomaly rule learns the usual level and spread, ignores wiggles, fires on a jump, and does not learn the fault', () => {
  const engine = new RuleEngine([
    rule({
      name: 'queue',
      service: 'worker',
      red: undefined,
      metric: 'queue.depth',
      kind: 'anomaly',
      above: undefined,
      direction: 'up',
      window: '1m',
    }),
  ]);
  const out = [];
  for (let m = 0; m < 120; m++) {
    const level = m < 100 ? 50 + ((m * 7) % 11) - 5 : 400;
    engine.observeMetrics([gauge(level, t0 + m * minute + 30_000)]);
    out.push(...engine.evaluate(t0 + (m + 1) * minute).map((s) => ({ ...s, m })));
  }
  assert.deepEqual(
    out.map((s) => [s.status, s.m]),
    [['firing', 100]],
    'twenty minutes at 400 stay one firing signal: the fault is not learned',
  );
  assert.match(out[0]!.summary, /^Rule "queue": queue\.depth of worker 400 above its usual 50 \(robust z \d+(\.\d)?\) \(window 1m\)$/);
  const s = engine.statuses()[0]!;
  assert.equal(s.baseline, 50);
});

test('a counter rule watches the increase per second of the series it selects, not their running totals, also across a restart', () => {
  const failedPayments = rule({
    name: 'failed payments',
    service: 'worker',
    red: undefined,
    metric: 'payments',
    where: { outcome: { regex: 'failed|declined' } },
    above: 1,
    window: '1m',
  });
  const counter = (outcome: string, value: number, timeMs: number): MetricPoint =>
    blankMetric({
      name: 'payments',
      type: 'sum',
      temporality: 'cumulative',
      isMonotonic: true,
      service: 'worker',
      timeMs,
      startTimeMs: t0 - 3_600_000,
      attributes: { outcome },
      value,
    });
  // Running totals in the thousands: their mean would be far above the threshold from the start.
  const totals = { ok: 1_000_000, failed: 5_000, declined: 700 };
  const exportEvery10s = (engine: RuleEngine, fromMinute: number, minutes: number, failedPer10s: number) => {
    const out: Array<{ status: string; summary: string; m: number }> = [];
    for (let m = fromMinute; m < fromMinute + minutes; m++)
      for (let step = 0; step < 6; step++) {
        const at = t0 + m * minute + step * 10_000;
        totals.ok += 100;
        totals.failed += failedPer10s / 2;
        totals.declined += failedPer10s / 2;
        engine.observeMetrics([counter('ok', totals.ok, at), counter('failed', totals.failed, at), counter('declined', totals.declined, at)]);
        out.push(...engine.evaluate(at + 10_000).map((x) => ({ status: x.status, summary: x.summary, m })));
      }
    return out;
  };
  const engine = new RuleEngine([failedPayments]);
  assert.deepEqual(exportEvery10s(engine, 0, 5, 2), [], '0.2 failed a second (the ok series, 10 a second, is not selected)');
  assert.ok(Math.abs(engine.statuses()[0]!.value! - 0.2) < 1e-9, String(engine.statuses()[0]!.value));
  const fired = exportEvery10s(engine, 5, 2, 20);
  assert.deepEqual(
    fired.map((x) => [x.status, x.m]),
    [['firing', 5]],
  );
  assert.match(
    fired[0]!.summary,
    /^Rule "failed payments": increase per second of payments\{outcome=~"failed\|declined"\} of worker 1\.\d+ above 1 \(window 1m\)$/,
  );
  assert.equal(engine.statuses()[0]!.value, 2);

  // A restart: each series' last reading comes back, so the next export adds only its own increase.
  const after = new RuleEngine([failedPayments]);
  after.restore(stored(engine));
  const same = { ...totals };
  exportEvery10s(engine, 7, 1, 20);
  Object.assign(totals, same);
  assert.deepEqual(exportEvery10s(after, 7, 1, 20), [], 'still firing: no second signal');
  assert.deepEqual(after.statuses(), engine.statuses());
  assert.deepEqual(
    exportEvery10s(after, 8, 2, 2).map((x) => x.status),
    ['recovered'],
  );
});

test('no data is no verdict: an error-rate rule on a service that sent nothing stays inactive', () => {
  const engine = new RuleEngine([rule({})]);
  engine.observeSpans([entrySpan('other', 'GET /', t0, true)]);
  assert.deepEqual(engine.evaluate(t0 + minute), []);
  assert.deepEqual(engine.statuses()[0]!.value, null);
});

test('redefining keeps an unchanged rule firing and recovers one that was removed', () => {
  const engine = new RuleEngine([rule({})]);
  engine.observeSpans(minuteOfTraffic({ service: 'checkout', requests: 10, errorRatio: 0.5 }, t0));
  assert.equal(engine.evaluate(t0 + minute).length, 1);
  assert.deepEqual(engine.define([rule({})]), []);
  assert.deepEqual(
    engine.define([]).map((s) => s.status),
    ['recovered'],
  );
});

test('a snapshot carries a firing rule across a restart: it stays firing without a new signal, then recovers', () => {
  const before = new RuleEngine([rule({ for: '1m' })]);
  before.observeSpans(minuteOfTraffic({ service: 'checkout', requests: 10, errorRatio: 0.5 }, t0));
  assert.deepEqual(before.evaluate(t0 + 30_000), [], 'pending: the condition must hold for 1m');
  before.observeSpans(minuteOfTraffic({ service: 'checkout', requests: 10, errorRatio: 0.5 }, t0 + minute));
  assert.deepEqual(before.evaluate(t0 + 80_000), []);
  assert.deepEqual([before.statuses()[0]!.state, before.statuses()[0]!.since], ['pending', t0 + 30_000]);
  const fired = before.evaluate(t0 + 90_000);
  assert.equal(fired.length, 1);
  assert.deepEqual([before.statuses()[0]!.state, before.statuses()[0]!.since], ['firing', t0 + 90_000]);

  // Through JSON, as the store keeps it; the same definition comes back from vigil.yaml.
  const after = new RuleEngine([rule({ for: '1m' })]);
  assert.deepEqual(after.restore(stored(before)), []);
  assert.deepEqual(after.statuses(), before.statuses(), 'state, value and since survive');
  assert.deepEqual(after.evaluate(t0 + 110_000), [], 'still firing: no second page');
  after.observeSpans(minuteOfTraffic({ service: 'checkout', requests: 10, errorRatio: 0 }, t0 + 2 * minute));
  const recovered = after.evaluate(t0 + 3 * minute);
  assert.deepEqual(
    recovered.map((s) => [s.status, s.id]),
    [['recovered', fired[0]!.id]],
    'the recovery closes the signal that fired before the restart',
  );
  assert.ok(Number.isNaN(recovered[0]!.pValue));
});

test('a pending rule keeps its hold across a restart; a changed or removed firing rule recovers instead', () => {
  const before = new RuleEngine([rule({ for: '2m' })]);
  before.observeSpans(minuteOfTraffic({ service: 'checkout', requests: 10, errorRatio: 0.5 }, t0));
  before.evaluate(t0 + 30_000);
  const after = new RuleEngine([rule({ for: '2m' })]);
  after.restore(stored(before));
  assert.deepEqual([after.statuses()[0]!.state, after.statuses()[0]!.since], ['pending', t0 + 30_000]);
  after.observeSpans(minuteOfTraffic({ service: 'checkout', requests: 10, errorRatio: 0.5 }, t0 + minute));
  after.observeSpans(minuteOfTraffic({ service: 'checkout', requests: 10, errorRatio: 0.5 }, t0 + 2 * minute));
  assert.equal(after.evaluate(t0 + 150_000).length, 1, 'fires 2 min after the hold began before the restart');

  const changed = new RuleEngine([rule({ for: '2m', above: 0.2 })]);
  assert.deepEqual(
    changed.restore(stored(after)).map((s) => s.status),
    ['recovered'],
  );
  assert.equal(changed.statuses()[0]!.state, 'inactive', 'a changed definition starts afresh');
  assert.deepEqual(new RuleEngine([]).restore(stored(after)).length, 1);
  assert.deepEqual(new RuleEngine([rule({})]).restore(undefined), []);
});

test('a p95 snapshot thins each bucket to a stride sample that keeps the p95 close', () => {
  const before = new RuleEngine([rule({ name: 'slow', red: 'p95Ms', above: 10_000, window: '1m' })]);
  // 200 requests in one 10 s bucket, 1..200 ms in a shuffled order.
  const order = Array.from({ length: 200 }, (_, i) => ((i * 37) % 200) + 1);
  before.observeSpans(order.map((ms, i) => entrySpan('checkout', 'POST /pay', t0 + 1_000 + i * 10, false, ms)));
  before.evaluate(t0 + 20_000);
  const snap = stored(before);
  assert.ok(snap.rules[0]!.buckets.every(([, b]) => b.durations.length <= 32));
  const after = new RuleEngine([rule({ name: 'slow', red: 'p95Ms', above: 10_000, window: '1m' })]);
  after.restore(snap);
  after.evaluate(t0 + 30_000);
  const [was, is] = [before.statuses()[0]!.value!, after.statuses()[0]!.value!];
  assert.ok(Math.abs(is - was) / was < 0.1, `p95 ${was} ms before, ${is} ms after`);
});

test('rule input: every problem with its place', () => {
  const r = alertRuleSchema.safeParse({
    name: 'x',
    service: 's',
    metric: 'm',
    red: 'errorRate',
    kind: 'anomaly',
    above: 1,
    window: '5 minutes',
    route: '/x',
  });
  assert.ok(!r.success);
  assert.deepEqual(r.error.issues.map((i) => i.path.join('.')).sort(), ['above', 'metric', 'route', 'window']);
  assert.ok(!alertRuleSchema.safeParse({ name: 'x', service: 's', red: 'p95Ms' }).success, 'a threshold rule needs a bound');
});
