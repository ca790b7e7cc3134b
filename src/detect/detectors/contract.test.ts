// The detector port's contract, run against every registered detector (as Hono runs one router
// suite against all routers): JSON state, quiet on an empty world, unique keys, kind-prefixed keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectorRegistry } from './registry.js';
import type { DetectorContext } from '../detector.js';
import { defaultDetectionConfig } from '../config.js';
import { emptyLogBucket } from '../log-events.js';
import { windowOf } from '../red.js';
import { DetectionEngine } from '../engine.js';
import { generateTraffic } from '../testing/traffic.js';

const NOW = 1_793_620_800_000; // 2026-11-02 12:00 UTC

function emptyContext(): DetectorContext {
  return {
    nowMs: NOW,
    config: defaultDetectionConfig,
    series: [],
    services: [],
    gauges: [],
    metrics: [],
    logs: emptyLogBucket(),
    window: (s, buckets, withLatency) => windowOf(s, buckets, withLatency),
    isFiring: () => false,
    active: () => undefined,
    warmth: () => 1,
    alphaFor: (a) => a,
    effectFor: (r) => r,
    judged: () => true,
    judgedSeries: () => true,
    serviceFirstMs: () => undefined,
    changedRecently: () => false,
  };
}

for (const detector of detectorRegistry) {
  test(`${detector.name}: its initial state survives JSON and it says nothing about an empty world`, () => {
    const state = detector.initialState();
    assert.deepEqual(JSON.parse(JSON.stringify(state)), state);
    assert.deepEqual(detector.evaluate(emptyContext(), state), []);
  });
}

test('every detector keeps JSON state, emits unique keys prefixed by the signal kind, on live traffic with faults', () => {
  const seen = new Map<string, number>();
  const engine = new DetectionEngine({}, undefined, {
    detectors: detectorRegistry.map((d) => ({
      name: d.name,
      initialState: () => d.initialState(),
      evaluate(ctx, state) {
        const out = d.evaluate(ctx, state);
        const keys = out.map((e) => e.key);
        assert.equal(new Set(keys).size, keys.length, `${d.name} emitted a key twice in one bucket`);
        for (const e of out) {
          assert.ok(e.key.startsWith(`${e.kind}|`), `${d.name}: key ${e.key} does not start with its kind`);
          if (e.state === 'anomalous') assert.ok(e.draft, `${d.name}: anomalous without a signal draft`);
          seen.set(d.name, (seen.get(d.name) ?? 0) + 1);
        }
        assert.deepEqual(JSON.parse(JSON.stringify(state)), state);
        return out;
      },
    })),
  });
  const services = [{ name: 'api', routes: [{ route: 'GET /a', peakRps: 5, errorRate: 0.002, medianMs: 50, sigma: 0.3, peer: 'db' }] }];
  const faults = [
    { service: 'api', kind: 'errors' as const, factor: 30, atMs: NOW - 30 * 60_000, durationMs: 5 * 60_000 },
    { service: 'api', kind: 'latency' as const, factor: 3, atMs: NOW - 15 * 60_000, durationMs: 5 * 60_000 },
  ];
  for (const c of generateTraffic({ seed: 5, startMs: NOW - 2 * 3_600_000, services, faults }, NOW)) {
    engine.observeSpans(c.spans);
    engine.advance(c.toMs);
  }
  assert.ok((seen.get('error-rate') ?? 0) > 0 && (seen.get('latency') ?? 0) > 0);
});
