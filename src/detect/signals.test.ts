import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogRecord, MetricPoint, Signal } from '../model/index.js';
import { blankLog, blankMetric } from '../model/testing/records.js';
import { DetectionEngine, type DetectionSnapshot } from './engine.js';

const MIN = 60_000;
const T0 = 1_793_610_000_000; // 2026-11-02 09:00 UTC

function gauge(name: string, value: number, timeMs: number, attributes: Record<string, string> = {}): MetricPoint {
  return blankMetric({ service: 'orders', serviceVersion: '3.1.0', environment: 'prod', name, unit: '{connection}', timeMs, attributes, value });
}

function log(
  body: string,
  timeMs: number,
  severityNumber = 9,
  version = '3.1.0',
  exception?: { type: string; message: string; stacktrace: string },
): LogRecord {
  return blankLog({
    service: 'orders',
    serviceVersion: version,
    environment: 'prod',
    timeMs,
    observedTimeMs: timeMs,
    severityNumber,
    severityText: severityNumber >= 17 ? 'ERROR' : 'INFO',
    body,
    exceptionType: exception?.type ?? '',
    exceptionMessage: exception?.message ?? '',
    exceptionStacktrace: exception?.stacktrace ?? '',
  });
}

/** Feeds the pool gauges every 15 s for `minutes`, with the used count given per minute. */
function runPool(used: (minute: number) => number, minutes: number): Signal[] {
  const engine = new DetectionEngine();
  const out: Signal[] = [];
  for (let t = T0; t < T0 + minutes * MIN; t += 15_000) {
    const pool = { 'db.client.connection.pool.name': 'main' };
    engine.observeMetrics([
      gauge('db.client.connection.max', 50, t, pool),
      gauge('db.client.connection.count', used((t - T0) / MIN), t, { ...pool, 'db.client.connection.state': 'used' }),
      gauge('db.client.connection.count', 3, t, { ...pool, 'db.client.connection.state': 'idle' }),
    ]);
    out.push(...engine.advance(t + 15_000));
  }
  return out;
}

test('a pool filling up is forecast before it saturates, then reported saturated', () => {
  const signals = runPool((m) => Math.min(50, 10 + m), 45);
  const forecast = signals.find((s) => s.kind === 'saturation-forecast' && s.status === 'firing');
  const saturated = signals.find((s) => s.kind === 'saturation' && s.status === 'firing');
  assert.ok(forecast, 'forecast fires');
  assert.ok(saturated, 'saturation fires');
  assert.ok(forecast.detectedAtMs < saturated.detectedAtMs);
  assert.equal(forecast.subject.metric, 'db.client.connection.count');
  assert.match(forecast.summary, /reaches it in about \d+ min/);
  assert.match(saturated.summary, /of its limit \(\d+ of 50\)/);
});

test('a steady pool at 60% and a noisy but flat one do not signal', () => {
  assert.deepEqual(
    runPool(() => 30, 60),
    [],
  );
  assert.deepEqual(
    runPool((m) => 25 + ((m * 7919) % 11), 60),
    [],
  );
});

test('utilization gauges in [0,1] and configured limits need no paired metric', () => {
  const engine = new DetectionEngine({ saturation: { limits: { 'process.memory.usage': 1000 } } });
  const out: Signal[] = [];
  for (let t = T0; t < T0 + 20 * MIN; t += 15_000) {
    engine.observeMetrics([gauge('system.disk.utilization', 0.95, t), gauge('process.memory.usage', 300, t)]);
    out.push(...engine.advance(t + 15_000));
  }
  assert.deepEqual(
    out.map((s) => `${s.kind} ${s.subject.metric}`),
    ['saturation system.disk.utilization'],
  );
});

test('a new error log pattern after warm-up fires with its version; info patterns and warm-up do not', () => {
  const engine = new DetectionEngine();
  const out: Signal[] = [];
  for (let t = T0; t < T0 + 60 * MIN; t += 5_000) {
    const batch = [log(`order ${Math.floor(t / 5000) % 997} accepted for customer ${(t / 1000) % 331}`, t)];
    if (t === T0 + 5 * MIN) batch.push(log('cache warmed in 12 ms', t, 17));
    if (t === T0 + 40 * MIN) batch.push(log('feature flag checkout-v2 evaluated', t, 9));
    if (t >= T0 + 50 * MIN) batch.push(log(`payment gateway timeout after ${3000 + (t % 7)} ms`, t, 17, '3.2.0'));
    engine.observeLogs(batch);
    out.push(...engine.advance(t));
  }
  const fired = out.filter((s) => s.status === 'firing');
  assert.equal(fired.length, 1, fired.map((s) => s.summary).join('\n'));
  assert.equal(fired[0]!.kind, 'new-log-pattern');
  assert.equal(fired[0]!.subject.version, '3.2.0');
  assert.match(fired[0]!.summary, /^orders: new log pattern since version 3\.2\.0: "payment gateway timeout after <\*>"/);
});

test('a known log pattern spiking ×20 fires a pattern spike', () => {
  const engine = new DetectionEngine();
  const out: Signal[] = [];
  for (let t = T0; t < T0 + 70 * MIN; t += 5_000) {
    const n = t >= T0 + 60 * MIN ? 20 : 1;
    const batch: LogRecord[] = [];
    for (let i = 0; i < n; i++) batch.push(log(`retrying connection to replica ${i % 3} attempt ${i}`, t + i));
    engine.observeLogs(batch);
    out.push(...engine.advance(t));
  }
  const spike = out.find((s) => s.kind === 'log-pattern-spike' && s.status === 'firing');
  assert.ok(spike, out.map((s) => s.summary).join('\n'));
  assert.ok(spike.detectedAtMs - (T0 + 60 * MIN) <= MIN);
});

test('a new exception fingerprint after warm-up fires with "first seen in version"', () => {
  const engine = new DetectionEngine();
  const out: Signal[] = [];
  const stack = 'Error\n    at pay (/app/pay.js:10:3)\n    at handle (/app/server.js:55:7)';
  for (let t = T0; t < T0 + 50 * MIN; t += 10_000) {
    const batch = [log('request failed', t, 17, '3.1.0', { type: 'ValidationError', message: `field ${t % 5} missing`, stacktrace: stack })];
    if (t >= T0 + 45 * MIN)
      batch.push(
        log('request failed', t, 17, '3.2.0', { type: 'TypeError', message: "Cannot read properties of undefined (reading 'id')", stacktrace: stack }),
      );
    engine.observeLogs(batch);
    out.push(...engine.advance(t));
  }
  const fired = out.filter((s) => s.status === 'firing');
  assert.equal(fired.length, 1, fired.map((s) => s.summary).join('\n'));
  assert.equal(fired[0]!.kind, 'new-exception');
  assert.match(fired[0]!.summary, /new exception TypeError: .*first seen in version 3\.2\.0/);
});

test('a business KPI that collapses fires a metric anomaly, and a snapshot restores its scorer exactly', () => {
  const feed = (engine: DetectionEngine, from: number, to: number, out: Signal[]): DetectionEngine => {
    let e = engine;
    for (let t = from; t < to; t += 15_000) {
      const minute = (t - T0) / MIN;
      const value = (minute >= 170 ? 20 : 100) + ((minute * 7919) % 13) - 6;
      e.observeMetrics([{ ...gauge('kpi.orders.per_min', value, t), unit: '{order}/min' }]);
      out.push(...e.advance(t + 15_000));
      if (t === T0 + 100 * MIN) e = new DetectionEngine({}, JSON.parse(JSON.stringify(e.snapshot())) as DetectionSnapshot);
    }
    return e;
  };
  const a: Signal[] = [];
  const b: Signal[] = [];
  feed(new DetectionEngine(), T0, T0 + 180 * MIN, a);
  const whole = new DetectionEngine();
  for (let t = T0; t < T0 + 180 * MIN; t += 15_000) {
    const minute = (t - T0) / MIN;
    whole.observeMetrics([{ ...gauge('kpi.orders.per_min', (minute >= 170 ? 20 : 100) + ((minute * 7919) % 13) - 6, t), unit: '{order}/min' }]);
    b.push(...whole.advance(t + 15_000));
  }
  const fired = a.filter((s) => s.kind === 'metric-anomaly' && s.status === 'firing');
  assert.ok(fired.length >= 1, a.map((s) => s.summary).join('\n'));
  assert.ok(fired[0]!.startedAtMs >= T0 + 170 * MIN, `fired at minute ${(fired[0]!.startedAtMs - T0) / MIN}`);
  assert.deepEqual(a, b);
});
