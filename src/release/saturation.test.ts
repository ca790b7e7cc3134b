// Saturation compared between versions: a memory rise in the new version's own series fails it
// side by side (attributed by service.version or by the instance its spans name); an equal pair of
// versions does not; a service-wide rise no version attribution explains is evidence with a note,
// never a fail; idle-connection and monotonic series are not saturation. Against the hour before, a
// CPU rise the service's own traffic explains (a surge) is load; the same rise at steady traffic fails.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricPoint, Span } from '../model/index.js';
import { defaultReleaseConfig } from './config.js';
import { ReleaseEngine, type ReleaseSnapshot } from './engine.js';
import { saturationFamily } from './saturation.js';
import { SeededRandom } from '../sim/index.js';
import { deployAtMs } from './testing/deploy-run.js';
import { blankMetric, blankSpan } from '../model/testing/records.js';

const config = defaultReleaseConfig();
const minute = 60_000;

function gauge(
  name: string,
  value: number,
  timeMs: number,
  o: { version?: string; instance?: string; type?: MetricPoint['type']; attributes?: Record<string, string> } = {},
): MetricPoint {
  const type = o.type ?? 'gauge';
  return blankMetric({
    service: 'shop',
    serviceVersion: o.version ?? '',
    name,
    unit: 'By',
    type,
    isMonotonic: type === 'sum',
    timeMs,
    startTimeMs: timeMs,
    attributes: o.attributes ?? {},
    resourceAttributes: o.instance ? { 'service.instance.id': o.instance } : {},
    value,
  });
}

/** 30 minutes of v1 memory before the deploy, then `minutes` of both versions; v2 at `factor` × v1. */
function run(factor: number, o: { attribute: 'version' | 'instance' | 'none'; minutes: number; seed: number }): ReleaseEngine {
  const rng = new SeededRandom(o.seed);
  const engine = new ReleaseEngine(config);
  const noisy = (x: number): number => x * (1 + 0.05 * (rng.next() - 0.5) * 2);
  const point = (version: string, value: number, at: number): MetricPoint =>
    o.attribute === 'version'
      ? gauge('process.memory.usage', value, at, { version })
      : o.attribute === 'instance'
        ? gauge('process.memory.usage', value, at, { instance: `pod-${version}` })
        : gauge('process.memory.usage', value, at);
  if (o.attribute === 'instance') engine.observeSpans([span('v1', 'pod-v1'), span('v2', 'pod-v2')]);
  for (let m = 30; m > 0; m--) engine.observeMetrics([point('v1', noisy(400e6), deployAtMs - m * minute)]);
  engine.observeDeploy({ id: 'd1', service: 'shop', version: 'v2', previousVersion: 'v1', timeMs: deployAtMs }, deployAtMs);
  for (let m = 0; m < o.minutes; m++) {
    const at = deployAtMs + m * minute + 5_000;
    engine.observeMetrics([point('v1', noisy(400e6), at), point('v2', noisy(400e6 * factor), at)]);
    engine.advance(deployAtMs + (m + 1) * minute);
  }
  return engine;
}

function span(version: string, instance: string): Span {
  return {
    service: 'shop',
    serviceVersion: version,
    environment: '',
    resourceAttributes: { 'service.instance.id': instance },
    kind: 'internal',
  } as unknown as Span;
}

describe('saturation compared between versions', () => {
  it('fails a 1.6x memory rise of the new version side by side, within minutes, naming the metric', () => {
    const engine = run(1.6, { attribute: 'version', minutes: 30, seed: 1 });
    const r = engine.get('d1')!;
    assert.equal(r.verdict.status, 'fail', r.verdict.summary);
    const row = r.verdict.evidence.find((e) => e.signal === 'saturation' && e.failing);
    assert.ok(row, JSON.stringify(r.verdict.evidence));
    assert.equal(row.route, 'process.memory.usage');
    assert.ok(row.change > 0.5 && row.confidence > 0.99);
    assert.ok(r.verdict.decidedAtMs! - deployAtMs <= 15 * minute, `decided after ${(r.verdict.decidedAtMs! - deployAtMs) / minute} min`);
  });

  it('attributes points by the instance the spans say serves the new version', () => {
    const engine = run(1.6, { attribute: 'instance', minutes: 30, seed: 2 });
    assert.equal(engine.get('d1')!.verdict.status, 'fail');
    assert.ok(engine.get('d1')!.verdict.evidence.some((e) => e.signal === 'saturation' && e.failing && !/not attributable/.test(e.summary)));
  });

  it('does not fail versions with the same memory (20 seeds, 45 minutes each)', () => {
    for (let seed = 10; seed < 30; seed++) {
      const engine = run(1, { attribute: 'version', minutes: 45, seed });
      const failing = engine.get('d1')!.verdict.evidence.filter((e) => e.signal === 'saturation' && e.failing);
      assert.deepEqual(failing, [], `seed ${seed}`);
    }
  });

  it('keeps a rise no version attribution explains at service level: evidence with a note, never a fail', () => {
    const engine = run(1.6, { attribute: 'none', minutes: 30, seed: 3 });
    const r = engine.get('d1')!;
    assert.notEqual(r.verdict.status, 'fail');
    const row = r.verdict.evidence.find((e) => e.signal === 'saturation');
    assert.ok(row, JSON.stringify(r.verdict.evidence));
    assert.equal(row.failing, false);
    assert.match(row.summary, /not attributable to version/);
    assert.ok(row.candidate > row.baseline);
  });

  it('knows saturation gauges by name and leaves idle, free and monotonic series out', () => {
    assert.equal(saturationFamily(gauge('process.cpu.utilization', 0.5, 0)), 'cpu');
    assert.equal(saturationFamily(gauge('db.client.connection.count', 5, 0, { attributes: { 'db.client.connection.state': 'used' } })), 'pool');
    assert.equal(saturationFamily(gauge('db.client.connection.count', 5, 0, { attributes: { 'db.client.connection.state': 'idle' } })), undefined);
    assert.equal(saturationFamily(gauge('messaging.queue.depth', 5, 0)), 'queue');
    assert.equal(saturationFamily(gauge('process.memory.usage', 5, 0, { type: 'sum' })), undefined);
    assert.equal(saturationFamily(gauge('http.server.request.duration', 5, 0)), undefined);
  });

  it('carries the gauge memory and the tests through a JSON round trip', () => {
    const a = run(1.6, { attribute: 'version', minutes: 3, seed: 4 });
    const restored = new ReleaseEngine(config, JSON.parse(JSON.stringify(a.snapshot())) as ReleaseSnapshot);
    for (let m = 3; m < 30; m++) {
      const at = deployAtMs + m * minute + 5_000;
      restored.observeMetrics([gauge('process.memory.usage', 400e6, at, { version: 'v1' }), gauge('process.memory.usage', 640e6, at, { version: 'v2' })]);
      restored.advance(deployAtMs + (m + 1) * minute);
    }
    assert.equal(restored.get('d1')!.verdict.status, 'fail');
  });
});

/** v1 alone for 30 min at 60 requests a minute, then v2 alone (no side by side) at `load` × the traffic and `cpu` × the CPU. */
function oneArm(cpu: number, load: number, seed: number): ReleaseEngine {
  const rng = new SeededRandom(seed);
  const engine = new ReleaseEngine(config);
  const noisy = (x: number): number => x * (1 + 0.05 * (rng.next() - 0.5) * 2);
  const minuteOf = (version: string, at: number, requests: number, utilization: number): void => {
    const spans = Array.from({ length: requests }, (_, i) =>
      blankSpan({
        service: 'shop',
        serviceVersion: version,
        kind: 'server',
        name: 'GET /',
        httpRoute: '/',
        startTimeMs: at + i * (50_000 / requests),
        durationMs: 20,
        httpStatusCode: 200,
      }),
    );
    engine.observeSpans(spans);
    engine.observeMetrics([gauge('process.cpu.utilization', noisy(utilization), at + 55_000, { version })]);
  };
  for (let m = 30; m > 0; m--) minuteOf('v1', deployAtMs - m * minute, 60, 0.2);
  engine.observeDeploy({ id: 'd1', service: 'shop', version: 'v2', previousVersion: 'v1', timeMs: deployAtMs }, deployAtMs);
  for (let m = 0; m < 30; m++) {
    minuteOf('v2', deployAtMs + m * minute, Math.round(60 * load), 0.2 * cpu);
    engine.advance(deployAtMs + (m + 1) * minute);
  }
  return engine;
}

describe('saturation against the hour before, judged per unit of traffic', () => {
  const failingCpu = (e: ReleaseEngine) => e.get('d1')!.verdict.evidence.filter((x) => x.signal === 'saturation' && x.failing);
  it('a 3x surge that triples CPU is load, not a regression', () => {
    for (let seed = 1; seed <= 5; seed++) assert.deepEqual(failingCpu(oneArm(3, 3, seed)), [], `seed ${seed}`);
  });
  it('twice the CPU at steady traffic fails, naming the metric', () => {
    const rows = failingCpu(oneArm(2, 1, 1));
    assert.equal(rows[0]?.route, 'process.cpu.utilization', JSON.stringify(rows));
  });
  it('twice the CPU per request during a surge still fails', () => {
    assert.equal(failingCpu(oneArm(6, 3, 2))[0]?.route, 'process.cpu.utilization');
  });
});
