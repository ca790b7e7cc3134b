// Event-time behaviour of the SLO engine: the multiwindow rules page within the time their arithmetic
// implies, ignore short blips, recover, survive a snapshot, and report attainment, budget and forecasts.
import assert from 'node:assert/strict';
import test from 'node:test';
import type { Signal } from '../model/index.js';
import { sloDefinitionSchema, type SloDefinitionInput } from './config.js';
import { SloEngine, type SloEngineSnapshot } from './engine.js';
import { entrySpan, minuteOfTraffic, type MinuteTraffic } from './testing.js';

const minute = 60_000;
const t0 = 1767600000000; // 2026-01-05T08:00:00Z
const slo = (s: Partial<SloDefinitionInput> = {}) =>
  sloDefinitionSchema.parse({ name: 'checkout availability', service: 'checkout', objective: 'availability', target: 0.999, window: '30d', ...s });

/** Feeds `minutes` of traffic from `fromMs`, evaluating every 10 s of event time; returns signals with their engine time. */
function run(engine: SloEngine, traffic: (minuteIndex: number) => MinuteTraffic, fromMs: number, minutes: number): Signal[] {
  const out: Signal[] = [];
  for (let m = 0; m < minutes; m++) {
    const start = fromMs + m * minute;
    const spans = minuteOfTraffic(traffic(m), start);
    for (let step = 0; step < 6; step++) {
      engine.observeSpans(
        spans.filter((s) => s.startTimeMs + s.durationMs >= start + step * 10_000 && s.startTimeMs + s.durationMs < start + (step + 1) * 10_000),
      );
      out.push(...engine.evaluate(start + (step + 1) * 10_000));
    }
  }
  return out;
}

const steady = (errorRatio = 0): MinuteTraffic => ({ service: 'checkout', route: 'POST /pay', requests: 600, errorRatio });

/** `days` of clean history before `untilMs` at 600 requests a minute, counted in bulk. */
function history(engine: SloEngine, untilMs: number, days: number, errorRatio = 0): void {
  for (let m = days * 24 * 60; m > 0; m--) {
    const endMs = untilMs - m * minute;
    const errors = Math.round(600 * errorRatio);
    engine.observeRequests({ service: 'checkout', routes: ['POST /pay'], endMs, durationMs: 20, failed: false }, 600 - errors);
    if (errors) engine.observeRequests({ service: 'checkout', routes: ['POST /pay'], endMs, durationMs: 20, failed: true }, errors);
  }
}

test('15% errors against 99.9% (a 150x burn) page within 7 minutes, as the 14.4x-over-1 h rule implies', () => {
  const engine = new SloEngine([slo()]);
  history(engine, t0, 29);
  assert.deepEqual(
    run(engine, () => steady(), t0, 120),
    [],
    'clean traffic raises nothing',
  );
  const onset = t0 + 120 * minute;
  const signals = run(engine, () => steady(0.15), onset, 15);
  const fired = signals.filter((s) => s.status === 'firing');
  assert.equal(fired.length, 1, 'one signal per burning SLO');
  const page = fired[0]!;
  const after = page.detectedAtMs - onset;
  assert.ok(after <= 7 * minute && after >= 5 * minute, `paged ${after / minute} min after onset (the arithmetic says 5.76)`);
  assert.equal(page.kind, 'slo-burn');
  assert.equal(page.key, 'slo-burn|checkout availability');
  assert.match(page.summary, /^SLO "checkout availability" burning its error budget 1\d\.\dx \(1 h\) and 1[45]\dx \(5 m\): budget gone in \d+(\.\d)? (h|d)$/);
  assert.ok(Number(page.evidence.errorBudgetRemaining) > 0.97, 'six minutes spent under 3% of a 30-day budget');
  assert.equal(page.evidence.slo, 'checkout availability');
});

test('a 2-minute 1% blip does not page', () => {
  const engine = new SloEngine([slo()]);
  history(engine, t0, 29);
  const signals = run(engine, (m) => steady(m >= 90 && m < 92 ? 0.01 : 0), t0, 180);
  assert.deepEqual(signals, []);
  const [status] = engine.statuses(t0 + 180 * minute);
  assert.equal(status!.status, 'ok');
  assert.ok(status!.errorBudgetRemaining < 1 && status!.errorBudgetRemaining > 0.99, String(status!.errorBudgetRemaining));
});

test('the page recovers once the short window cools, and the status says breaching while it burns', () => {
  const engine = new SloEngine([slo()]);
  history(engine, t0, 29);
  run(engine, () => steady(), t0, 60);
  const burning = run(engine, () => steady(0.15), t0 + 60 * minute, 10);
  assert.equal(burning.length, 1);
  const mid = engine.statuses(t0 + 70 * minute)[0]!;
  assert.equal(mid.status, 'breaching');
  assert.equal(mid.alerts[0]!.severity, 'page');
  assert.ok(Math.abs(mid.burnRates['5m'] - 150) < 1, String(mid.burnRates['5m']));
  // 10 minutes at 150x spend 3.5% of the budget (10/43200 x 150); at the 1 h burn (25x) the rest lasts 27.8 hours.
  assert.ok(Math.abs(mid.errorBudgetRemaining - (1 - (10 * 150) / 43_200)) < 0.002, String(mid.errorBudgetRemaining));
  assert.ok(Math.abs(mid.burnRates['1h'] - 25) < 0.5, String(mid.burnRates['1h']));
  assert.match(mid.forecast, /^at this rate the budget is gone in 2\d\.\d h$/);
  const calm = run(engine, () => steady(), t0 + 70 * minute, 10);
  const recovered = calm.filter((s) => s.status === 'recovered');
  assert.equal(recovered.length, 1);
  assert.equal(recovered[0]!.id, burning[0]!.id);
  assert.ok(recovered[0]!.endedAtMs! - (t0 + 70 * minute) <= 6 * minute, 'the 5 m window forgets the burst');
});

test('latency SLOs count requests slower than the threshold as bad, on their route only', () => {
  const engine = new SloEngine([slo({ name: 'pay latency', objective: 'latency', thresholdMs: 300, target: 0.99, route: 'POST /pay' })]);
  const mixed = (m: number): MinuteTraffic => ({ service: 'checkout', route: 'POST /pay', requests: 200, slowRatio: m >= 60 ? 0.5 : 0, slowMs: 900 });
  const signals = run(engine, mixed, t0, 70).filter((s) => s.kind === 'slo-burn');
  assert.equal(signals.filter((s) => s.status === 'firing').length, 1);
  assert.equal(signals[0]!.subject.route, 'POST /pay');
  // Slow requests on another route do not count.
  const other = new SloEngine([slo({ name: 'pay latency', objective: 'latency', thresholdMs: 300, target: 0.99, route: 'POST /pay' })]);
  assert.deepEqual(
    run(other, (m) => ({ ...mixed(m), route: 'GET /cart' }), t0, 70),
    [],
  );
  assert.equal(other.statuses(t0 + 70 * minute)[0]!.attainment, null, 'no request on the route yet');
});

test('attainment and budget over the window; a spent budget breaches and says so', () => {
  const engine = new SloEngine([slo({ target: 0.99 })]);
  engine.observeSpans([
    ...Array.from({ length: 98 }, (_, i) => entrySpan('checkout', 'POST /pay', t0 + i * 1000, false)),
    entrySpan('checkout', 'GET /cart', t0, true),
    entrySpan('checkout', 'GET /cart', t0 + 1, true),
  ]);
  const s = engine.statuses(t0 + 10 * 24 * 60 * minute)[0]!;
  assert.equal(s.attainment, 0.98);
  assert.ok(Math.abs(s.errorBudgetRemaining - -1) < 1e-9, String(s.errorBudgetRemaining));
  assert.equal(s.status, 'breaching');
  assert.equal(s.forecast, 'the error budget is spent');
  assert.deepEqual(s.burnRates, { '5m': 0, '30m': 0, '1h': 0, '6h': 0, '3d': 0 }, 'ten days later nothing burns now');
});

test('a slow steady burn (2x for 3 days) is a ticket (a low slo-ticket signal), not a page', () => {
  const engine = new SloEngine([slo()]);
  history(engine, t0, 27);
  const signals = run(engine, () => steady(), t0, 0);
  for (let m = 0; m < 3 * 24 * 60; m++) {
    engine.observeRequests({ service: 'checkout', routes: ['POST /pay'], endMs: t0 + m * minute, durationMs: 20, failed: false }, 499);
    engine.observeRequests({ service: 'checkout', routes: ['POST /pay'], endMs: t0 + m * minute, durationMs: 20, failed: true }, 1);
    if (m % 10 === 9) signals.push(...engine.evaluate(t0 + (m + 1) * minute - 1));
  }
  assert.deepEqual(
    signals.map((x) => [x.kind, x.status, x.evidence.severity]),
    [['slo-ticket', 'firing', 'ticket']],
    'one ticket, no page',
  );
  assert.ok(signals[0]!.score < 0.5, 'a ticket scores low');
  assert.match(signals[0]!.summary, /^Ticket: SLO "checkout availability" burning its error budget \dx \(3 d\) and 2x \(6 h\)/);
  const s = engine.statuses(t0 + 3 * 24 * 60 * minute - 1)[0]!;
  assert.equal(s.status, 'warning');
  assert.deepEqual(
    s.alerts.map((a) => a.severity),
    ['ticket'],
  );
  assert.ok(Math.abs(s.burnRates['3d'] - 2) < 0.05, String(s.burnRates['3d']));
  assert.ok(s.errorBudgetRemaining > 0.75 && s.errorBudgetRemaining < 0.85, 'three days at 2x spend a fifth of a 30-day budget');
});

test('a snapshot keeps counts and the firing signal: no second page after a restart', () => {
  const engine = new SloEngine([slo()]);
  history(engine, t0, 29);
  run(engine, () => steady(), t0, 60);
  assert.equal(run(engine, () => steady(0.15), t0 + 60 * minute, 8).length, 1);
  const restored = new SloEngine([slo()], JSON.parse(JSON.stringify(engine.snapshot())) as SloEngineSnapshot);
  assert.deepEqual(restored.statuses(t0 + 68 * minute), engine.statuses(t0 + 68 * minute));
  assert.deepEqual(
    run(restored, () => steady(0.15), t0 + 68 * minute, 3),
    [],
  );
  const again = run(restored, () => steady(), t0 + 71 * minute, 10);
  assert.deepEqual(
    again.map((s) => s.status),
    ['recovered'],
  );
});

test('redefining SLOs keeps the counts of indicators still in use; a deleted burning SLO recovers', () => {
  const engine = new SloEngine([slo()]);
  run(engine, () => steady(), t0, 60);
  run(engine, () => steady(0.15), t0 + 60 * minute, 8);
  engine.define([slo(), slo({ name: 'pay', route: 'POST /pay' })]);
  const [a, b] = engine.statuses(t0 + 68 * minute);
  assert.equal(a!.requests.total, 68 * 600);
  assert.equal(b!.requests.total, 0, 'a new indicator starts empty');
  engine.define([]);
  // With one hour of history the 3 d window holds that hour, so the slow rule ticketed first.
  assert.deepEqual(
    engine
      .evaluate(t0 + 68 * minute)
      .map((s) => [s.kind, s.status])
      .sort(),
    [
      ['slo-burn', 'recovered'],
      ['slo-ticket', 'recovered'],
    ],
  );
});

test('minimum-traffic guard: a quiet route does not page on 1 failure of 3 requests, but does on a real outage', () => {
  const engine = new SloEngine([slo({ route: 'GET /admin' })]);
  const quiet = (i: number, failed: boolean): void =>
    engine.observeRequests({ service: 'checkout', routes: ['GET /admin'], endMs: t0 + i * 10 * minute, durationMs: 20, failed }, 1);
  quiet(0, false);
  quiet(1, false);
  quiet(2, true);
  const one = engine.evaluate(t0 + 20 * minute + 1000);
  assert.deepEqual(one, [], '1 of 3 is a 333x burn on paper, one request in practice');
  const status = engine.statuses(t0 + 20 * minute + 1000)[0]!;
  assert.ok(status.burnRates['5m'] > 300, 'the burn rate itself is reported as is');
  assert.deepEqual(status.alerts, []);
  // Every request failing from then on: the third bad request pages.
  quiet(3, true);
  assert.deepEqual(engine.evaluate(t0 + 30 * minute + 1000), [], 'two bad requests are still an anecdote');
  quiet(4, true);
  const page = engine.evaluate(t0 + 40 * minute + 1000);
  assert.deepEqual(
    page.map((s) => [s.kind, s.status]),
    [['slo-burn', 'firing']],
  );
});
