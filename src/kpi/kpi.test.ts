import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultIncidentConfig, severityFromImpact } from '../incidents/index.js';
import type { Signal } from '../model/index.js';
import { withBusinessImpact } from './business-impact.js';
import { detectionConfigSchema } from '../detect/index.js';
import { kpiSeries, kpisConfigSchema } from './config.js';
import { MIN, T0, ordersPoint as point } from './testing.js';
import { KpiDetector, kpiDropsOf, type KpiDetectorSnapshot } from './signals.js';
import { KpiWatch, type KpiState } from './watch.js';

/** 2026-11-02T09:00:00Z */
const kpis = kpisConfigSchema.parse([{ name: 'orders/min', metric: 'business.orders', service: 'checkout' }]);

/** An hour of about 100 orders a minute (±6), then `after` a minute for `minutes` minutes. */
function watchWith(after: number, minutes: number): KpiWatch {
  const w = new KpiWatch(kpis);
  for (let m = 0; m < 60; m++) w.observe([point(m, 100 + ((m * 7) % 13) - 6)]);
  for (let m = 60; m < 60 + minutes; m++) w.observe([point(m, after)]);
  w.observe([point(60 + minutes, after)]);
  return w;
}

void test('an orders/min drop raises a low-impact incident to the severity of the drop, with the business reason', () => {
  // Few requests fail (the checkout silently stops taking orders): impact alone says low.
  const impact = { entryRequests: 10_000, entryFailed: 5, entrySlow: 0, affectedUsers: 3, totalUsers: 5_000, journeysHit: [], durationMs: 5 * MIN };
  const measured = severityFromImpact(impact, defaultIncidentConfig);
  assert.equal(measured.severity, 'low');
  const drops = watchWith(30, 4).drops();
  assert.equal(drops.length, 1);
  assert.equal(drops[0]!.severity, 'critical');
  assert.ok(Math.abs(drops[0]!.drop - 0.7) < 0.02, `drop ${drops[0]!.drop}`);
  const raised = withBusinessImpact(measured, drops);
  assert.equal(raised.severity, 'critical');
  assert.match(raised.reason, /^business impact: orders\/min down 70% \(30\.0 vs usual 9\d\.\d a minute\); /);
  assert.equal(withBusinessImpact(measured, watchWith(85, 4).drops()).severity, 'medium', 'a 15% drop');
  assert.equal(withBusinessImpact({ severity: 'critical', reason: 'r' }, drops).severity, 'critical', 'never lowers');
});

void test('usual traffic, a rise, a single bad minute, another service and a cold start raise nothing', () => {
  assert.deepEqual(watchWith(98, 4).drops(), []);
  assert.deepEqual(watchWith(180, 4).drops(), []);
  assert.deepEqual(watchWith(20, 1).drops(), [], 'one bad minute is noise');
  const other = new KpiWatch(kpis);
  for (let m = 0; m < 60; m++) other.observe([point(m, 100), point(m, m < 55 ? 100 : 1, 'search')]);
  assert.deepEqual(other.drops(), []);
  const cold = new KpiWatch(kpis);
  for (let m = 0; m < 20; m++) cold.observe([point(m, m < 15 ? 100 : 10)]);
  assert.deepEqual(cold.drops(), [], 'not judged before 30 minutes of history');
});

void test('an outage does not become the usual level, and the watch survives a snapshot', () => {
  const w = watchWith(30, 90);
  assert.equal(w.drops()[0]?.severity, 'critical', 'still down after 90 minutes');
  const restored = new KpiWatch(kpis, JSON.parse(JSON.stringify(w.snapshot())) as ReturnType<KpiWatch['snapshot']>);
  assert.deepEqual(restored.drops(), w.drops());
});

void test('a snapshot from before the shared scorer restores: its KPI is judged again once the new scorer has 60 minutes', () => {
  const before = watchWith(100, 0).snapshot();
  // What an older snapshot lacked: the scorer's state and the alarm's count of points.
  for (const s of Object.values(before.series) as unknown as Array<Record<string, unknown>>)
    for (const key of ['scorer', 'points', 'lastValue', 'episode']) delete s[key];
  const w = new KpiWatch(kpis, JSON.parse(JSON.stringify(before)) as KpiState);
  const at = (from: number, to: number, value: number): void => {
    for (let m = from; m < to; m++) w.observe([point(m, value)]);
  };
  at(61, 64, 30);
  assert.deepEqual(w.drops(), [], 'not judged on an untrusted scorer');
  at(64, 130, 100);
  at(130, 134, 30);
  assert.equal(w.drops()[0]?.severity, 'critical');
});

void test('KPI declarations are checked: growing drops, unique names', () => {
  assert.equal(kpisConfigSchema.safeParse([{ name: 'a', metric: 'm', drops: { medium: 0.5, high: 0.25, critical: 0.6 } }]).success, false);
  assert.equal(
    kpisConfigSchema.safeParse([
      { name: 'a', metric: 'm' },
      { name: 'a', metric: 'n' },
    ]).success,
    false,
  );
  assert.equal(kpisConfigSchema.safeParse([{ name: 'a', metric: 'm', unknown: 1 }]).success, false);
});

void test('a cumulative counter counts its increases, a restart counts anew, and a gauge counts its latest value per source', () => {
  const cumulative = new KpiWatch(kpis);
  let total = 5_000;
  for (let m = 0; m < 60; m++) {
    total += m === 30 ? 0 : 100;
    // A restart at minute 30 (the total falls to 100: 100 orders since the restart).
    cumulative.observe([{ ...point(m, m >= 30 ? total - 5_000 - 2_900 : total), temporality: 'cumulative' }]);
  }
  for (let m = 60; m < 64; m++) cumulative.observe([{ ...point(m, (total += 30) - 7_900), temporality: 'cumulative' }]);
  assert.deepEqual(
    cumulative.drops().map((d) => [d.severity, d.current]),
    [['critical', 30]],
  );

  const gauge = new KpiWatch(kpisConfigSchema.parse([{ name: 'carts open', metric: 'shop.carts' }]));
  // Reported every 20 s: three points a minute of one source must not triple the level.
  for (let m = 0; m < 64; m++)
    for (const s of [0, 20, 40]) gauge.observe([{ ...point(m, m < 60 ? 50 : 20, 'cart', 'shop.carts'), type: 'gauge', timeMs: T0 + m * MIN + s * 1000 }]);
  const [d] = gauge.drops();
  assert.equal(d?.severity, 'critical');
  assert.equal(d?.usual, 50);
  assert.equal(d?.perMinute, false);
  assert.equal(d?.service, 'cart', 'the service of the points when the KPI names none');
});

void test('a KPI whose rise is bad fires on a rise, and the clock closes silent minutes of a count as zeros', () => {
  const refunds = new KpiWatch(kpisConfigSchema.parse([{ name: 'refunds', metric: 'business.refunds', direction: 'rise-is-bad' }]));
  for (let m = 0; m < 64; m++) refunds.observe([point(m, m < 60 ? 10 : 18, 'billing', 'business.refunds')]);
  assert.deepEqual(
    refunds.drops().map((d) => [d.severity, d.drop]),
    [['critical', 0.8]],
  );

  // Orders stop: no point arrives at all, only the clock advances.
  const w = new KpiWatch(kpis);
  for (let m = 0; m < 60; m++) w.observe([point(m, 100)]);
  w.advance(T0 + 61 * MIN);
  assert.deepEqual(w.drops(), [], 'one quiet minute is not yet a drop');
  w.advance(T0 + 64 * MIN);
  assert.deepEqual(
    w.drops().map((d) => [d.severity, d.current]),
    [['critical', 0]],
  );
  w.advance(T0 + 64 * MIN - 10 * MIN);
  assert.equal(w.drops().length, 1, 'a clock going back changes nothing');
});

void test('the detector fires once per drop, refreshes on a new severity, recovers, and its signals carry the drop', () => {
  const d = new KpiDetector(kpis);
  for (let m = 0; m < 60; m++) {
    d.observe([point(m, 100)]);
    assert.deepEqual(d.advance(T0 + (m + 1) * MIN), []);
  }
  const seen: Signal[] = [];
  for (let m = 60; m < 70; m++) {
    d.observe([point(m, m < 65 ? 80 : 20)]);
    seen.push(...d.advance(T0 + (m + 1) * MIN + 5_000));
  }
  assert.deepEqual(
    seen.map((s) => [s.status, s.evidence.kpiSeverity]),
    [
      ['firing', 'medium'],
      ['firing', 'critical'],
    ],
  );
  assert.equal(seen[0]!.id, seen[1]!.id, 'one occurrence, refreshed');
  assert.equal(seen[0]!.startedAtMs, T0 + 60 * MIN, 'the onset is the first bad minute');
  assert.deepEqual(
    kpiDropsOf(seen.slice(1)).map((x) => [x.kpi, x.severity, x.drop, x.current]),
    [['orders/min', 'critical', 0.8, 20]],
  );
  const restored = new KpiDetector(kpis, JSON.parse(JSON.stringify(d.snapshot())) as KpiDetectorSnapshot);
  for (let m = 70; m < 74; m++) restored.observe([point(m, 100)]);
  const back = restored.advance(T0 + 74 * MIN + 5_000);
  assert.deepEqual(
    back.map((s) => [s.status, s.id]),
    [['recovered', seen[0]!.id]],
  );
  assert.deepEqual(kpiDropsOf(back), [], 'a recovered signal carries no drop');
});

void test('names the series each KPI reads, in the form the metric scorer takes as series to leave alone', () => {
  const declared = kpisConfigSchema.parse([
    { name: 'paid orders', metric: 'business.orders', service: 'checkout', attributes: { outcome: 'paid' } },
    { name: 'sign-ups', metric: 'business.signups' },
  ]);
  const series = kpiSeries(declared);
  assert.deepEqual(series, [{ metric: 'business.orders', service: 'checkout', attributes: { outcome: 'paid' } }, { metric: 'business.signups' }]);
  assert.doesNotThrow(() => detectionConfigSchema.parse({ metricAnomaly: { skip: series } }));
});
