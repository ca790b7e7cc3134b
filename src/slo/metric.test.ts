// SLOs from a metric's good/total ratio: counters (cumulative by their increase, delta as they are)
// with good or bad selectors, latency from histogram buckets (explicit and exponential, seconds or
// ms), the same multiwindow pages in event time as span SLOs, and increases carried across a restart.
import assert from 'node:assert/strict';
import test from 'node:test';
import type { MetricPoint, Signal } from '../model/index.js';
import { blankMetric } from '../model/testing/records.js';
import { sloDefinitionSchema, type SloDefinitionInput } from './config.js';
import { SloEngine, type SloEngineSnapshot } from './engine.js';

const minute = 60_000;
const t0 = 1767600000000; // 2026-01-05T08:00:00Z
const requests = { name: 'http.server.request.count', where: { 'http.route': '/pay' } };
const availability = (s: Partial<SloDefinitionInput> = {}) =>
  sloDefinitionSchema.parse({
    name: 'pay availability',
    service: 'checkout',
    objective: 'availability',
    target: 0.999,
    metric: { total: requests, bad: { ...requests, where: { ...requests.where, 'http.response.status_code': { regex: '5..' } } } },
    ...s,
  });

/** A cumulative counter of one series (route and status code), as an SDK exports it every 10 s. */
function counter(status: string, value: number, timeMs: number, fields: Partial<MetricPoint> = {}): MetricPoint {
  return blankMetric({
    name: 'http.server.request.count',
    type: 'sum',
    temporality: 'cumulative',
    isMonotonic: true,
    service: 'checkout',
    timeMs,
    startTimeMs: t0 - 3_600_000,
    attributes: { 'http.route': '/pay', 'http.response.status_code': status },
    value,
    ...fields,
  });
}

/**
 * `minutes` of traffic at 600 requests a minute from `fromMs`, exported every 10 s as cumulative
 * 200 and 500 series (their totals carried in `totals`), evaluated at every export.
 */
function run(engine: SloEngine, totals: { ok: number; failed: number }, errorRatio: (m: number) => number, fromMs: number, minutes: number): Signal[] {
  const out: Signal[] = [];
  for (let m = 0; m < minutes; m++) {
    for (let step = 1; step <= 6; step++) {
      const failed = Math.round(100 * errorRatio(m));
      totals.ok += 100 - failed;
      totals.failed += failed;
      const at = fromMs + m * minute + step * 10_000;
      engine.observeMetrics([
        counter('200', totals.ok, at),
        counter('500', totals.failed, at),
        counter('200', 1e9, at, { attributes: { 'http.route': '/cart' } }),
      ]);
      out.push(...engine.evaluate(at));
    }
  }
  return out;
}

test('availability from a bad/total counter ratio: attainment counts increases, not the running totals', () => {
  const engine = new SloEngine([availability({ target: 0.99 })]);
  const totals = { ok: 50_000, failed: 400 };
  run(engine, totals, (m) => (m === 3 ? 0.05 : 0), t0, 10);
  const s = engine.statuses(t0 + 10 * minute + 10_000)[0]!;
  // The first export only sets each series' mark: 59 of 60 exports count, 100 requests each.
  assert.deepEqual(s.requests, { good: 5_900 - 30, total: 5_900 });
  assert.ok(Math.abs(s.attainment! - (5_900 - 30) / 5_900) < 1e-12, String(s.attainment));
  assert.ok(Math.abs(s.errorBudgetRemaining - (1 - 30 / 59)) < 1e-9, String(s.errorBudgetRemaining));
  assert.deepEqual(s.metric?.total, requests, 'the list shows what the SLO counts');
  assert.equal(s.route, undefined);
});

test('15% errors in the counters page within 7 minutes; a 2-minute 1% blip does not', () => {
  const quiet = new SloEngine([availability()]);
  assert.deepEqual(
    run(quiet, { ok: 0, failed: 0 }, (m) => (m >= 60 && m < 62 ? 0.01 : 0), t0, 120),
    [],
  );
  const engine = new SloEngine([availability()]);
  const totals = { ok: 0, failed: 0 };
  // Six clean hours fill the 6 h window, so the 6x rule does not page first on a young history.
  assert.deepEqual(
    run(engine, totals, () => 0, t0, 370),
    [],
  );
  const onset = t0 + 370 * minute;
  const signals = run(engine, totals, () => 0.15, onset, 10);
  // With hours, not days, of history the slow 3 d / 6 h rule tickets too; the page is what matters here.
  const fired = signals.filter((x) => x.status === 'firing' && x.kind === 'slo-burn');
  assert.deepEqual(
    fired.map((x) => [x.kind, x.subject.service, x.subject.metric, x.evidence.slo]),
    [['slo-burn', 'checkout', 'http.server.request.count', 'pay availability']],
  );
  const after = fired[0]!.detectedAtMs - onset;
  assert.ok(after >= 5 * minute && after <= 7 * minute, `paged ${after / minute} min after onset (the arithmetic says 5.76)`);
  const recovered = run(engine, totals, () => 0, onset + 10 * minute, 10).filter((x) => x.status === 'recovered');
  assert.deepEqual(
    recovered.map((x) => x.kind),
    ['slo-burn'],
  );
});

test('good/total from two counters with delta temporality; gauges, up-down sums and other services count nothing', () => {
  const engine = new SloEngine([
    sloDefinitionSchema.parse({
      name: 'jobs',
      service: 'worker',
      objective: 'availability',
      target: 0.95,
      metric: { total: { name: 'jobs.total' }, good: { name: 'jobs.succeeded', where: { queue: { not: 'dead' } } } },
    }),
  ]);
  const delta = (name: string, value: number, fields: Partial<MetricPoint> = {}): MetricPoint =>
    blankMetric({ name, type: 'sum', temporality: 'delta', isMonotonic: true, service: 'worker', timeMs: t0 + 30_000, value, ...fields });
  engine.observeMetrics([
    delta('jobs.total', 40),
    delta('jobs.total', 60, { resourceAttributes: { 'host.name': 'b' } }),
    delta('jobs.succeeded', 90),
    delta('jobs.succeeded', 5, { attributes: { queue: 'dead' } }),
    delta('jobs.total', 1_000, { service: 'other' }),
    delta('jobs.total', 1_000, { type: 'gauge' }),
    delta('jobs.total', 1_000, { isMonotonic: false }),
  ]);
  const s = engine.statuses(t0 + minute)[0]!;
  assert.deepEqual(s.requests, { good: 90, total: 100 });
  assert.equal(s.status, 'breaching', '90% against 95%: the budget is overspent');
  // Good reported before its total in a window's edge is never more than the total.
  engine.observeMetrics([delta('jobs.succeeded', 50, { timeMs: t0 + 2 * minute + 1 })]);
  const edge = engine.statuses(t0 + 2 * minute + 2)[0]!;
  assert.ok(edge.burnRates['5m'] >= 0 && edge.attainment! <= 1, JSON.stringify(edge));
});

test('cumulative counters: a restarted process counts anew, a series born while watched counts from its start, a repeat counts once', () => {
  const engine = new SloEngine([availability({ target: 0.9 })]);
  engine.observeMetrics([counter('200', 1_000, t0 + 10_000)]);
  engine.observeMetrics([counter('200', 1_100, t0 + 20_000), counter('200', 1_100, t0 + 20_000)]);
  // The process restarts: its totals fall and its start time moves.
  engine.observeMetrics([counter('200', 30, t0 + 30_000, { startTimeMs: t0 + 25_000 })]);
  // A 500 series first exported after the SLO began watching, started by the restarted process.
  engine.observeMetrics([counter('500', 7, t0 + 40_000, { startTimeMs: t0 + 25_000 }), counter('200', 80, t0 + 40_000, { startTimeMs: t0 + 25_000 })]);
  // Total counts every series of the route (the 500s too); the 500s are then taken off good.
  assert.deepEqual(engine.statuses(t0 + minute)[0]!.requests, { good: 100 + 30 + 50, total: 100 + 30 + 50 + 7 });
});

test('latency from histogram buckets: seconds or ms, explicit or exponential, a threshold between bounds counts the buckets below it', () => {
  const latency = (thresholdMs: number, metric: { unit?: string } = {}) =>
    sloDefinitionSchema.parse({
      name: `pay under ${thresholdMs} ms${metric.unit ? ` (${metric.unit})` : ''}`,
      service: 'checkout',
      objective: 'latency',
      target: 0.99,
      thresholdMs,
      metric: { total: { name: 'http.server.request.duration' }, ...metric },
    });
  const engine = new SloEngine([latency(300), latency(400), latency(300, { unit: 'ms' })]);
  const histogram = (fields: Partial<MetricPoint>): MetricPoint =>
    blankMetric({ name: 'http.server.request.duration', type: 'histogram', temporality: 'delta', service: 'checkout', timeMs: t0 + 10_000, ...fields });
  engine.observeMetrics([
    histogram({ unit: 's', count: 100, explicitBounds: [0.1, 0.3, 0.5], bucketCounts: [70, 20, 6, 4] }),
    // Exponential, scale 0 (base 2), in ms: buckets (64,128], (128,256], (256,512], (512,1024].
    histogram({ type: 'exponential_histogram', unit: 'ms', count: 50, expScale: 0, expZeroCount: 2, expPositiveOffset: 6, expPositiveCounts: [30, 10, 5, 3] }),
  ]);
  const [at300, at400, forcedMs] = engine.statuses(t0 + minute);
  assert.deepEqual(at300!.requests, { good: 90 + 42, total: 150 }, 'seconds: le 0.1 and 0.3; ms: zero, ≤128 and ≤256');
  assert.deepEqual(at400!.requests, { good: 90 + 42, total: 150 }, '400 ms lies between bounds: only buckets ending within it count');
  // unit: ms says the buckets are in ms whatever the metric claims: 0.1 .. 0.5 ms are all within 300 ms.
  assert.deepEqual(forcedMs!.requests, { good: 96 + 42, total: 150 });
});

test('a snapshot keeps each series mark: no increase is lost or counted twice across a restart', () => {
  const engine = new SloEngine([availability()]);
  const totals = { ok: 0, failed: 0 };
  run(engine, totals, () => 0.01, t0, 5);
  const restored = new SloEngine([availability()], JSON.parse(JSON.stringify(engine.snapshot())) as SloEngineSnapshot);
  run(engine, { ...totals }, () => 0.01, t0 + 5 * minute, 5);
  run(restored, { ...totals }, () => 0.01, t0 + 5 * minute, 5);
  assert.deepEqual(restored.statuses(t0 + 10 * minute + 1)[0]!.requests, engine.statuses(t0 + 10 * minute + 1)[0]!.requests);
  assert.equal(restored.statuses(t0 + 10 * minute + 1)[0]!.requests.total, 5_900, 'every export but the first, which set the marks');
});

test('metric SLO input: every problem with its place', () => {
  const problems = (input: Record<string, unknown>): string[] => {
    const r = sloDefinitionSchema.safeParse({ name: 'x', service: 'checkout', objective: 'availability', target: 0.99, ...input });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  assert.deepEqual(problems({ metric: { total: { name: 'a' } } }), [
    'metric.good: an availability SLO from a metric needs metric.good or metric.bad beside metric.total',
  ]);
  assert.deepEqual(problems({ metric: { total: { name: 'a' }, good: { name: 'b' }, bad: { name: 'c' } } }), [
    'metric.bad: a metric SLO counts good or bad events, not both',
  ]);
  assert.deepEqual(problems({ route: '/pay', metric: { total: { name: 'a' }, bad: { name: 'c' } } }), [
    'route: route applies to SLOs from spans; narrow a metric with where: {http.route: "/pay"}',
  ]);
  assert.deepEqual(problems({ metric: { total: { name: 'a', where: { code: { regex: '5..(' } } }, bad: { name: 'c' } } }), [
    'metric.total.where.code.regex: not a valid regular expression',
  ]);
  assert.deepEqual(problems({ objective: 'latency', metric: { total: { name: 'a' } } }), [
    'thresholdMs: a latency SLO needs thresholdMs (e.g. 300 or "300ms")',
  ]);
  assert.deepEqual(
    problems({ objective: 'latency', metric: { total: { name: 'a' }, good: { name: 'fast' } } }),
    [],
    'a counter of fast requests needs no threshold',
  );
  assert.ok(problems({ metric: { total: { name: 'a' }, bad: { name: 'c' }, extra: 1 } }).some((p) => p.startsWith('metric: ')));
});
