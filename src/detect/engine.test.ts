import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceSpec } from './testing/traffic.js';
import { generateTraffic } from './testing/traffic.js';
import { firing, replayTraffic } from './testing/replay.js';
import { DetectionEngine, type DetectionSnapshot } from './engine.js';
import type { Signal } from '../model/index.js';

const HOUR = 3_600_000;
const START = 1_793_577_600_000; // 2026-11-02, a Monday, 00:00 UTC
const NOON = START + 12 * HOUR;

const shop: ServiceSpec[] = [
  {
    name: 'payment',
    routes: [
      { route: 'POST /pay', peakRps: 4, errorRate: 0.002, medianMs: 80, sigma: 0.4, peer: 'postgres' },
      { route: 'GET /status', peakRps: 2, errorRate: 0.001, medianMs: 20, sigma: 0.3 },
      { route: 'POST /refund', peakRps: 0.05, errorRate: 0.02, medianMs: 120, sigma: 0.4 },
    ],
  },
];

function describe(signals: readonly Signal[]): string {
  return signals.map((s) => `${s.status} ${s.kind} ${s.summary}`).join('\n');
}

// One realization of ~3.5 req/s at 5% errors holds only ~10 errors in its first minute, too few
// to separate from 0.5% at the configured significance; bench:soak measures the median delay.
test('errors ×10 on a busy route fire one error-rate signal within two minutes that names the version, then recover', () => {
  const fault = { service: 'payment', route: 'POST /pay', kind: 'errors' as const, factor: 10, atMs: NOON + 5 * 60_000, durationMs: 10 * 60_000 };
  const services: ServiceSpec[] = [{ name: 'payment', routes: [{ ...shop[0]!.routes[0]!, errorRate: 0.005 }, ...shop[0]!.routes.slice(1)] }];
  const { signals } = replayTraffic({ seed: 1, startMs: START + 8 * HOUR, services, faults: [fault] }, NOON + 25 * 60_000);
  const fired = firing(signals).filter((s) => s.kind === 'error-rate' && s.subject.route === 'POST /pay');
  assert.equal(fired.length, 1, describe(signals));
  const s = fired[0]!;
  assert.ok(s.detectedAtMs - fault.atMs <= 120_000, `delay ${(s.detectedAtMs - fault.atMs) / 1000}s`);
  assert.ok(Math.abs(s.startedAtMs - fault.atMs) <= 30_000, 'onset near the injection');
  assert.equal(s.subject.version, '1.1.0');
  assert.match(s.summary, /^payment POST \/pay \(version 1\.1\.0\): \d+(\.\d)?% errors over [13] min vs 0\.\d+% usual; \d+ of [\d,]+ requests; p /);
  assert.ok(s.pValue < 1e-5, 'significant at the configured alpha, against the usual ratio plus a quarter point');
  const recovered = signals.find((x) => x.status === 'recovered' && x.key === s.key);
  assert.ok(recovered, 'recovers after the fault ends');
  assert.ok(recovered.endedAtMs! >= fault.atMs + fault.durationMs);
  assert.equal(signals.filter((x) => x.status === 'firing' && x.subject.route === 'POST /refund').length, 0);
});

test('latency ×2 fires a latency signal with the shifted percentiles', () => {
  const fault = { service: 'payment', route: 'GET /status', kind: 'latency' as const, factor: 2, atMs: NOON, durationMs: 10 * 60_000 };
  const { signals } = replayTraffic({ seed: 2, startMs: START + 8 * HOUR, services: shop, faults: [fault] }, NOON + 12 * 60_000);
  const s = firing(signals).find((x) => x.kind === 'latency' && x.subject.route === 'GET /status');
  assert.ok(s, describe(signals));
  assert.ok(s.detectedAtMs - fault.atMs <= 60_000);
  assert.ok(s.observed / s.baseline > 1.5, `p95 ratio ${s.observed / s.baseline}`);
  assert.equal(s.unit, 'ms');
});

test('traffic −70% fires a throughput drop; the surge detector stays silent', () => {
  const fault = { service: 'payment', kind: 'traffic' as const, factor: 0.3, atMs: NOON, durationMs: 10 * 60_000 };
  const { signals } = replayTraffic({ seed: 3, startMs: START + 8 * HOUR, services: shop, faults: [fault] }, NOON + 12 * 60_000);
  const s = firing(signals).find((x) => x.kind === 'throughput-drop' && x.subject.route === 'POST /pay');
  assert.ok(s, describe(signals));
  assert.ok(s.detectedAtMs - fault.atMs <= 90_000);
  assert.ok(
    firing(signals).every((x) => x.kind === 'throughput-drop'),
    describe(signals),
  );
});

test('benign deploys every hour do not signal, and inferred deploys are linked to later signals', () => {
  const { signals, engine } = replayTraffic({ seed: 4, startMs: START + 8 * HOUR, services: shop, deployEveryHours: 1 }, START + 14 * HOUR);
  assert.deepEqual(firing(signals), [], describe(signals));
  assert.ok(engine.snapshot().changes.changes.length >= 4);
});

test('a 3× marketing surge without errors does not signal', () => {
  const surge = { service: 'payment', atMs: NOON, durationMs: HOUR, factor: 3 };
  const { signals } = replayTraffic({ seed: 5, startMs: START + 8 * HOUR, services: shop, surges: [surge] }, NOON + 90 * 60_000);
  assert.deepEqual(firing(signals), [], describe(signals));
});

test('a quiet night (5% of peak) does not signal', () => {
  const { signals } = replayTraffic({ seed: 6, startMs: START + 16 * HOUR, services: shop, nightFloor: 0.05 }, START + 34 * HOUR);
  assert.deepEqual(firing(signals), [], describe(signals));
});

test('a low-traffic endpoint with a few errors does not signal', () => {
  const fault = { service: 'payment', route: 'POST /refund', kind: 'errors' as const, factor: 5, atMs: NOON, durationMs: 20 * 60_000 };
  const { signals } = replayTraffic({ seed: 7, startMs: START + 8 * HOUR, services: shop, faults: [fault] }, NOON + 30 * 60_000);
  assert.deepEqual(firing(signals), [], describe(signals));
});

test('a deploy shortly before a failure is linked to the signal', () => {
  const engine = new DetectionEngine();
  const fault = { service: 'payment', route: 'POST /pay', kind: 'errors' as const, factor: 20, atMs: NOON, durationMs: 10 * 60_000 };
  const signals: Signal[] = [];
  for (const chunk of generateTraffic({ seed: 8, startMs: START + 9 * HOUR, services: shop, faults: [fault] }, NOON + 5 * 60_000)) {
    if (chunk.fromMs === NOON - 120_000) {
      engine.observeChange({
        id: 'dep-42',
        service: 'payment',
        kind: 'deploy',
        timeMs: chunk.fromMs,
        version: '2.0.0',
        previousVersion: '1.1.0',
        environment: 'prod',
        commit: 'abc',
        description: '',
        source: 'api',
        attributes: {},
      });
    }
    engine.observeSpans(chunk.spans);
    signals.push(...engine.advance(chunk.toMs));
  }
  const s = firing(signals).find((x) => x.kind === 'error-rate');
  assert.ok(s, describe(signals));
  assert.deepEqual(s.change, { changeId: 'dep-42', kind: 'deploy', version: '2.0.0', timeMs: NOON - 120_000 });
  assert.match(s.summary, /deploy of 2\.0\.0 \d min before$/);
});

test('a service that stops sending is reported silent as the clock advances, and recovers when it resumes', () => {
  const fault = { service: 'payment', kind: 'traffic' as const, factor: 0, atMs: NOON, durationMs: 10 * 60_000 };
  const { signals } = replayTraffic({ seed: 9, startMs: START + 9 * HOUR, services: shop, faults: [fault] }, NOON + 20 * 60_000);
  const silent = firing(signals).find((x) => x.kind === 'silence');
  assert.ok(silent, describe(signals));
  assert.ok(silent.detectedAtMs - NOON <= 3 * 60_000);
  assert.ok(signals.some((x) => x.status === 'recovered' && x.kind === 'silence'));
});

test('a small sustained error shift that the windowed test misses is found by the change-point detector', () => {
  const fault = { service: 'payment', route: 'POST /pay', kind: 'errors' as const, factor: 4, atMs: NOON, durationMs: HOUR };
  const services: ServiceSpec[] = [{ name: 'payment', routes: [{ route: 'POST /pay', peakRps: 10, errorRate: 0.005, medianMs: 80, sigma: 0.4 }] }];
  // A windowed test strict enough to miss 0.5% → 2%; the shift itself (+1.5 points) is one that matters.
  const { signals } = replayTraffic({ seed: 10, startMs: START + 8 * HOUR, services, faults: [fault] }, NOON + HOUR, { errorRate: { alpha: 1e-15 } });
  const cp = firing(signals).find((x) => x.kind === 'change-point');
  assert.ok(cp, describe(signals));
  assert.equal(cp.subject.metric, 'error_rate');
  assert.equal(firing(signals).filter((x) => x.kind === 'error-rate').length, 0, 'the windowed test stays quiet at this effect size');
});

test('the same input in a different batching gives the same signals', () => {
  const fault = { service: 'payment', route: 'POST /pay', kind: 'errors' as const, factor: 10, atMs: NOON, durationMs: 10 * 60_000 };
  const options = { seed: 11, startMs: NOON - 2 * HOUR, services: shop, faults: [fault], deployEveryHours: 1 };
  const endMs = NOON + 20 * 60_000;
  const chunks = [...generateTraffic(options, endMs)];
  // A client span ends before its server span, so a chunk holds spans that end a little before
  // it starts: the clock is held one bucket behind, as the server does, so none is dropped.
  const late = (t: number): number => t - 10_000;
  const perChunk = new DetectionEngine();
  const a: Signal[] = [];
  for (const c of chunks) {
    for (const ch of c.changes) perChunk.observeChange(ch);
    perChunk.observeSpans(c.spans);
    a.push(...perChunk.advance(late(c.toMs)));
  }
  // Small uneven batches with the watermark nudged between them, and one-minute batches.
  const small = new DetectionEngine();
  const b: Signal[] = [];
  let k = 0;
  for (const c of chunks) {
    for (const ch of c.changes) small.observeChange(ch);
    for (let i = 0; i < c.spans.length;) {
      const n = 1 + (k++ % 7);
      small.observeSpans(c.spans.slice(i, i + n));
      b.push(...small.advance(late(c.fromMs)));
      i += n;
    }
  }
  b.push(...small.advance(late(endMs)));
  const minute = new DetectionEngine();
  const m: Signal[] = [];
  for (let i = 0; i < chunks.length; i += 6) {
    const group = chunks.slice(i, i + 6);
    for (const c of group) for (const ch of c.changes) minute.observeChange(ch);
    minute.observeSpans(group.flatMap((c) => c.spans));
    m.push(...minute.advance(late(group[group.length - 1]!.toMs)));
  }
  assert.ok(a.length > 0);
  for (const e of [perChunk, small, minute]) assert.equal(e.snapshot().dropped.lateSpans, 0);
  assert.deepEqual(b, a);
  assert.deepEqual(m, a);
});

test('an engine restored from a JSON snapshot continues identically', () => {
  const fault = { service: 'payment', route: 'POST /pay', kind: 'errors' as const, factor: 10, atMs: NOON, durationMs: 10 * 60_000 };
  const options = { seed: 12, startMs: NOON - 2 * HOUR, services: shop, faults: [fault] };
  const chunks = [...generateTraffic(options, NOON + 20 * 60_000)];
  const whole = new DetectionEngine();
  const expected: Signal[] = [];
  for (const c of chunks) {
    whole.observeSpans(c.spans);
    expected.push(...whole.advance(c.toMs));
  }
  let engine = new DetectionEngine();
  const got: Signal[] = [];
  chunks.forEach((c, i) => {
    engine.observeSpans(c.spans);
    got.push(...engine.advance(c.toMs));
    if (i % 250 === 0) engine = new DetectionEngine({}, JSON.parse(JSON.stringify(engine.snapshot())) as DetectionSnapshot);
  });
  assert.ok(expected.length > 0);
  assert.deepEqual(got, expected);
  assert.deepEqual(engine.activeSignals(), whole.activeSignals());
});

test('late spans for a closed bucket are counted and dropped, never reopening the past', () => {
  const engine = new DetectionEngine();
  const [chunk] = [...generateTraffic({ seed: 13, startMs: NOON, services: shop }, NOON + 10_000)];
  engine.advance(NOON + 60_000);
  engine.observeSpans(chunk!.spans);
  assert.equal(engine.dropped.lateSpans, chunk!.spans.length);
  assert.equal(engine.watermarkMs, NOON + 60_000);
});
