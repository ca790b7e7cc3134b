// Tests of the change-point detector's recovery: a latency shift that ended lets its signal
// recover within minutes (so its incident can be all-cleared), one that persists keeps it firing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Signal } from '../../model/index.js';
import type { ServiceSpec } from '../testing/traffic.js';
import { replayTraffic } from '../testing/replay.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const START = 1_793_577_600_000; // 2026-11-02, a Monday, 00:00 UTC
const NOON = START + 12 * HOUR;

// A quiet route (about one request a second at noon): the slowest to gather evidence either way.
const services: ServiceSpec[] = [{ name: 'checkout', routes: [{ route: 'POST /checkout', peakRps: 1, errorRate: 0.001, medianMs: 120, sigma: 0.4 }] }];

/** Latency ×1.3 (a quarter of requests past the usual p90 instead of a tenth): too small for the windowed test, a sustained shift for the CUSUM. */
function replaySlowdown(durationMs: number, endMs: number): Signal[] {
  const fault = { service: 'checkout', route: 'POST /checkout', kind: 'latency' as const, factor: 1.3, atMs: NOON, durationMs };
  return replayTraffic({ seed: 3, startMs: START + 8 * HOUR, services, faults: [fault] }, endMs).signals;
}

const latencyShifts = (signals: readonly Signal[]): Signal[] => signals.filter((s) => s.kind === 'change-point' && s.subject.metric === 'latency');
const describe = (signals: readonly Signal[]): string => signals.map((s) => `${s.status} ${s.key} ${s.summary}`).join('\n');

test('a latency shift that ended recovers within minutes, not after the capped sum drains', () => {
  const clearMs = NOON + 20 * MIN;
  const signals = latencyShifts(replaySlowdown(20 * MIN, clearMs + 20 * MIN));
  assert.ok(
    signals.some((s) => s.status === 'firing' && s.detectedAtMs < clearMs),
    describe(signals),
  );
  const recovered = signals.filter((s) => s.status === 'recovered');
  assert.equal(recovered.length, 1, describe(signals));
  const afterClearMs = (recovered[0]?.endedAtMs ?? 0) - clearMs;
  // The usual share of slow requests is back at once; the hold period is 2 min of it.
  assert.ok(afterClearMs > 0 && afterClearMs <= 6 * MIN, `recovered ${afterClearMs / 1000} s after the shift ended`);
  assert.equal(signals.filter((s) => s.status === 'firing' && s.detectedAtMs > clearMs).length, 0, 'no re-firing once recovered');
});

test('a latency shift that persists keeps its one signal firing', () => {
  const signals = latencyShifts(replaySlowdown(2 * HOUR, NOON + 45 * MIN));
  assert.equal(signals.filter((s) => s.status === 'firing').length, 1, describe(signals));
  assert.equal(signals.filter((s) => s.status === 'recovered').length, 0, describe(signals));
});
