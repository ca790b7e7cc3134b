// Baselines that know what they do not know (issue 18): low-traffic and one-off series never
// signal (volume and history gates), and a shift too small to matter never adds up to a signal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSpan, serviceResource } from '../sim/records.js';
import type { Signal, Span } from '../model/index.js';
import { DetectionEngine } from './engine.js';
import { firing, replayTraffic } from './testing/replay.js';
import type { ServiceSpec } from './testing/traffic.js';

const HOUR = 3_600_000;
const START = 1_793_577_600_000; // 2026-11-02, a Monday, 00:00 UTC
const NOON = START + 12 * HOUR;

const describe = (signals: readonly Signal[]): string => signals.map((s) => `${s.status} ${s.kind} ${s.summary}`).join('\n');

function request(service: string, atMs: number, n: number, failed = false): Span {
  const resource = serviceResource(service, '1.0.0', 'production', 'a1b2c3d4');
  return buildSpan({
    resource,
    traceId: `${service}-${atMs}-${n}`.padEnd(32, '0'),
    spanId: String(n).padStart(16, '0'),
    parentSpanId: '',
    name: 'POST /backfill',
    kind: 'server',
    startTimeMs: atMs,
    durationMs: 40 + (n % 7),
    scopeName: 'test',
    attributes: {},
    userId: '',
    failed,
    httpMethod: 'POST',
    httpRoute: '/backfill',
    httpStatusCode: failed ? 500 : 200,
  });
}

/** `count` requests of one service, spread over `spreadMs` from `atMs`, then 3 hours of nothing. */
function replayOneOff(count: number, spreadMs: number, failed = false): Signal[] {
  const engine = new DetectionEngine();
  const spans = Array.from({ length: count }, (_, i) => request('backfill-job', NOON + Math.floor((i * spreadMs) / count), i, failed));
  const signals: Signal[] = [];
  engine.observeSpans(spans);
  for (let t = NOON; t <= NOON + 3 * HOUR; t += 10_000) signals.push(...engine.advance(t));
  return signals;
}

for (const count of [2, 5, 50]) {
  test(`a service that sent ${count} requests once and then stopped never signals`, () => {
    const signals = replayOneOff(count, 5_000);
    assert.deepEqual(firing(signals), [], describe(signals));
  });
}

test('50 requests over ten minutes, then nothing: too little history to call it a drop or a silence', () => {
  const signals = replayOneOff(50, 10 * 60_000);
  assert.deepEqual(firing(signals), [], describe(signals));
});

test('a one-off burst of failing requests never signals either', () => {
  const signals = replayOneOff(50, 5_000, true);
  assert.deepEqual(firing(signals), [], describe(signals));
});

const entry = (errorRate: number): ServiceSpec[] => [{ name: 'edge-proxy', routes: [{ route: 'GET /', peakRps: 20, errorRate, medianMs: 30, sigma: 0.3 }] }];

test('0.1% → 0.5% errors on a busy entry route for hours is not a signal, of any detector', () => {
  const fault = { service: 'edge-proxy', route: 'GET /', kind: 'errors' as const, factor: 5, atMs: NOON - 2 * HOUR, durationMs: 4 * HOUR };
  const { signals } = replayTraffic({ seed: 21, startMs: START + 6 * HOUR, services: entry(0.001), faults: [fault] }, NOON + 2 * HOUR);
  assert.deepEqual(firing(signals), [], describe(signals));
});

test('0.2% → 5% errors on the same route fires within two minutes', () => {
  const fault = { service: 'edge-proxy', route: 'GET /', kind: 'errors' as const, factor: 25, atMs: NOON, durationMs: 15 * 60_000 };
  const { signals } = replayTraffic({ seed: 22, startMs: START + 6 * HOUR, services: entry(0.002), faults: [fault] }, NOON + 20 * 60_000);
  const first = firing(signals).find((s) => s.kind === 'error-rate');
  assert.ok(first, describe(signals));
  assert.ok(first.detectedAtMs - NOON <= 2 * 60_000, `after ${(first.detectedAtMs - NOON) / 1000} s`);
});
