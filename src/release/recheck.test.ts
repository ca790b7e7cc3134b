// A harmless deploy failed by an outside fault beside it, at the few requests per second where the
// recheck's 2× error bound takes hours to prove: its signal recovers once a whole watch window has
// passed without the regression (what a new watch of the version would pass on), while a version
// that stays clearly worse keeps its signal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Signal } from '../model/index.js';
import { defaultReleaseConfig } from './config.js';
import { bucketMs, ReleaseEngine } from './engine.js';
import { deployAtMs } from './testing/deploy-run.js';
import { defaultRoutes, TrafficSimulator, type VersionProfile } from './testing/traffic.js';

const config = defaultReleaseConfig();
const minute = 60_000;
// The marketplace drill's web-bff: about 7 requests per second, 0.43% of them failing.
const usual: VersionProfile = { errorRate: 0.0043, latencyFactor: 1 };
const fault: VersionProfile = { errorRate: 0.2, latencyFactor: 1 };

/** 25 min of v1, the deploy of v2, 40 s of it as usual, 10 min of an outside fault, then `after` for `minutes`. */
function bystander(after: VersionProfile, minutes: number, seed: number): { signals: Signal[]; clearedAtMs: number; engine: ReleaseEngine } {
  const sim = new TrafficSimulator({ requestsPerSecond: 7, routes: defaultRoutes, sigma: 0.5, previous: usual, candidate: usual, candidateShare: 1 }, seed);
  const engine = new ReleaseEngine(config);
  for (let m = 25; m > 0; m--) for (const r of defaultRoutes) engine.observe('web', r.route, 'v1', deployAtMs - m * minute, sim.aggregate(r, usual, 1, 60).agg);
  engine.observeDeploy({ id: 'd1', service: 'web', version: 'v2', previousVersion: 'v1', timeMs: deployAtMs }, deployAtMs);
  const faultAtMs = deployAtMs + 40_000;
  const clearedAtMs = faultAtMs + 10 * minute;
  const signals: Signal[] = [];
  for (let at = deployAtMs; at < clearedAtMs + minutes * minute; at += bucketMs) {
    const behaviour = at < faultAtMs ? usual : at < clearedAtMs ? fault : after;
    for (const r of defaultRoutes) engine.observe('web', r.route, 'v2', at, sim.aggregate(r, behaviour, 1, bucketMs / 1000).agg);
    signals.push(...engine.advance(at + bucketMs).signals);
  }
  return { signals, clearedAtMs, engine };
}

describe('a failed release at low traffic', () => {
  for (const seed of [2, 8]) {
    it(`recovers within a watch window of the fault clearing when the version is as good as before (seed ${seed})`, () => {
      const { signals, clearedAtMs, engine } = bystander(usual, 80, seed);
      assert.ok(
        signals.some((s) => s.status === 'firing' && s.startedAtMs >= clearedAtMs - 10 * minute - 2 * bucketMs),
        'the fault failed the release, from its onset',
      );
      const recovered = signals.find((s) => s.status === 'recovered');
      assert.ok(recovered, 'still failed 80 min after the fault cleared');
      const tookMs = (recovered.endedAtMs ?? 0) - clearedAtMs;
      assert.ok(tookMs <= config.windowMs + 5 * minute, `recovered ${tookMs / minute} min after the fault cleared`);
      assert.match(recovered.summary, /back within bounds of the previous version/);
      assert.equal(engine.get('d1')?.verdict.status, 'fail', 'the verdict stays the record of what was seen');
    });
  }

  it('keeps a version that stays 3x worse after the fault failed', () => {
    const { signals } = bystander({ ...usual, errorRate: 3 * usual.errorRate }, 130, 2);
    assert.ok(signals.some((s) => s.status === 'firing'));
    assert.deepEqual(
      signals.filter((s) => s.status === 'recovered').map((s) => s.summary),
      [],
    );
  });
});
