// A failed release's signal is dated when its regression began, not at the deploy: a version that
// served well for 20 minutes and then regressed (a leak, a lazy path, an outside fault beside it)
// must not claim a symptom 20 minutes older than it is, while the change it names stays the deploy.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricPoint, Signal } from '../model/index.js';
import { blankMetric } from '../model/testing/records.js';
import { SeededRandom } from '../sim/index.js';
import { defaultReleaseConfig, type ReleaseConfig } from './config.js';
import { bucketMs, ReleaseEngine } from './engine.js';
import { deployAtMs } from './testing/deploy-run.js';
import { defaultRoutes, TrafficSimulator, type VersionProfile } from './testing/traffic.js';

const normal: VersionProfile = { errorRate: 0.002, latencyFactor: 1 };
const failing: VersionProfile = { errorRate: 0.05, latencyFactor: 1 };
const slow: VersionProfile = { errorRate: 0.002, latencyFactor: 2 };
// A watch still open 20 minutes after the deploy, as at low traffic where no pass is proven by then.
const config: ReleaseConfig = { ...defaultReleaseConfig(), minWatchMs: 45 * 60_000 };
const minute = 60_000;

/** An hour of v1, the deploy of v2 at deployAtMs, then each phase's minutes of v2 alone; the fail signal, if any. */
function failedRelease(phases: Array<[minutes: number, behaviour: VersionProfile]>, seed: number, extra?: (engine: ReleaseEngine) => void): Signal | undefined {
  const sim = new TrafficSimulator({ requestsPerSecond: 6, routes: defaultRoutes, sigma: 0.5, previous: normal, candidate: normal, candidateShare: 1 }, seed);
  const engine = new ReleaseEngine(config);
  for (let m = 60; m > 0; m--)
    for (const r of defaultRoutes) engine.observe('shop', r.route, 'v1', deployAtMs - m * minute, sim.aggregate(r, normal, 1, 60).agg);
  engine.observeDeploy({ id: 'd1', service: 'shop', version: 'v2', previousVersion: 'v1', timeMs: deployAtMs }, deployAtMs);
  extra?.(engine);
  let at = deployAtMs;
  for (const [minutes, behaviour] of phases) {
    for (let b = 0; b < (minutes * minute) / bucketMs; b++, at += bucketMs) {
      for (const r of defaultRoutes) engine.observe('shop', r.route, 'v2', at, sim.aggregate(r, behaviour, 1, bucketMs / 1000).agg);
      const fired = engine.advance(at + bucketMs).signals.find((s) => s.status === 'firing');
      if (fired) return fired;
    }
  }
  return undefined;
}

/** The failed release still names the deploy as its change. */
function namesTheDeploy(s: Signal): void {
  assert.deepEqual(s.change, { changeId: 'd1', kind: 'deploy', version: 'v2', timeMs: deployAtMs });
  assert.equal(s.evidence.deployedAtMs, deployAtMs);
}

describe("a failed release's signal starts with its regression", () => {
  for (const seed of [1, 2, 3]) {
    it(`an error rise 20 min after the deploy starts the signal then, not at the deploy (seed ${seed})`, () => {
      const regressedAt = deployAtMs + 20 * minute;
      const s = failedRelease(
        [
          [20, normal],
          [10, failing],
        ],
        seed,
      );
      assert.ok(s, 'the error rise failed the release');
      assert.equal(s.kind, 'error-rate');
      assert.ok(s.startedAtMs >= regressedAt - bucketMs, `started ${(regressedAt - s.startedAtMs) / 1000} s before the regression`);
      assert.ok(
        s.startedAtMs <= regressedAt + 3 * bucketMs && s.startedAtMs <= s.detectedAtMs,
        `started ${(s.startedAtMs - regressedAt) / 1000} s from the regression`,
      );
      namesTheDeploy(s);
    });
  }

  it('a p95 doubling 20 min after the deploy starts the signal then', () => {
    const regressedAt = deployAtMs + 20 * minute;
    const s = failedRelease(
      [
        [20, normal],
        [10, slow],
      ],
      4,
    );
    assert.ok(s, 'the slowdown failed the release');
    assert.equal(s.kind, 'latency');
    assert.ok(
      s.startedAtMs >= regressedAt - bucketMs && s.startedAtMs <= regressedAt + 3 * bucketMs,
      `started ${(s.startedAtMs - regressedAt) / 1000} s from the regression`,
    );
    namesTheDeploy(s);
  });

  it('a regression right after the deploy starts the signal at the deploy', () => {
    for (const seed of [5, 6]) {
      const s = failedRelease([[10, failing]], seed);
      assert.ok(s, 'the error rise failed the release');
      assert.ok(s.startedAtMs >= deployAtMs && s.startedAtMs <= deployAtMs + bucketMs, `started ${(s.startedAtMs - deployAtMs) / 1000} s after the deploy`);
      namesTheDeploy(s);
    }
  });

  it("a new version's memory rising 20 min after the deploy starts the signal within a couple of minutes of it", () => {
    const rng = new SeededRandom(8);
    const memory = (version: string, bytes: number, timeMs: number): MetricPoint =>
      blankMetric({
        service: 'shop',
        serviceVersion: version,
        name: 'process.memory.usage',
        unit: 'By',
        type: 'gauge',
        timeMs,
        startTimeMs: timeMs,
        value: bytes * (1 + 0.1 * (rng.next() - 0.5)),
      });
    const engine = new ReleaseEngine(config);
    for (let m = 30; m > 0; m--) engine.observeMetrics([memory('v1', 400e6, deployAtMs - m * minute)]);
    engine.observeDeploy({ id: 'd1', service: 'shop', version: 'v2', previousVersion: 'v1', timeMs: deployAtMs }, deployAtMs);
    const roseAt = deployAtMs + 20 * minute;
    let s: Signal | undefined;
    for (let m = 0; m < 55 && !s; m++) {
      const at = deployAtMs + m * minute;
      engine.observeMetrics([memory('v1', 400e6, at + 5_000), memory('v2', at < roseAt ? 400e6 : 640e6, at + 5_000)]);
      s = engine.advance(at + minute).signals.find((x) => x.status === 'firing');
    }
    assert.ok(s, 'the memory rise failed the release');
    assert.equal(s.kind, 'saturation');
    assert.ok(s.startedAtMs >= roseAt - minute && s.startedAtMs <= roseAt + 2 * minute, `started ${(s.startedAtMs - roseAt) / 1000} s from the rise`);
    namesTheDeploy(s);
  });

  it('a new exception first thrown 20 min after the deploy starts the signal when it was first thrown', () => {
    const thrownAt = deployAtMs + 20 * minute;
    let engine: ReleaseEngine | undefined;
    const s0 = failedRelease([[20, normal]], 7, (e) => (engine = e));
    assert.equal(s0, undefined, 'nothing failed it while it served well');
    engine!.observeSignals([
      {
        id: 'new-exception@1',
        key: 'new-exception|shop|etimedout',
        kind: 'new-exception',
        status: 'firing',
        subject: { service: 'shop', version: 'v2', fingerprint: 'etimedout' },
        startedAtMs: thrownAt,
        detectedAtMs: thrownAt + 40_000,
        window: { fromMs: thrownAt, toMs: thrownAt + 40_000 },
        observed: 3,
        baseline: 0,
        unit: 'count',
        pValue: NaN,
        score: 0.95,
        summary: 'ETIMEDOUT calling payments',
        evidence: {},
      },
    ]);
    const s = engine!.advance(thrownAt + 50_000).signals.find((x) => x.status === 'firing');
    assert.ok(s, 'the new exception failed the release');
    assert.equal(s.startedAtMs, thrownAt);
    namesTheDeploy(s);
  });
});
