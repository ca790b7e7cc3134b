// Smoke journeys on a deployment: the runs of the smoke checks a deploy triggered are kept on its
// record; a check that fails and fails its confirmation run fails the release by name (whether or
// not it is critical), a failure retried into a pass is evidence, a pass waits for pending smoke
// runs, and a lone failure with no confirmation counts when the watch ends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultReleaseConfig } from './config.js';
import { bucketMs, ReleaseEngine } from './engine.js';
import { smokeStatus } from './smoke.js';
import { deployAtMs } from './testing/deploy-run.js';
import { defaultRoutes, TrafficSimulator } from './testing/traffic.js';
import type { SmokeRun } from './types.js';

const config = defaultReleaseConfig();
const clean = { errorRate: 0.002, latencyFactor: 1 };

function primed(): { engine: ReleaseEngine; feed: (fromB: number, toB: number) => void } {
  const sim = new TrafficSimulator({ requestsPerSecond: 20, routes: defaultRoutes, sigma: 0.5, previous: clean, candidate: clean, candidateShare: 1 }, 5);
  const engine = new ReleaseEngine(config);
  for (let m = 30; m > 0; m--)
    for (const r of defaultRoutes) engine.observe('shop', r.route, 'v1', deployAtMs - m * 60_000, sim.aggregate(r, clean, 1, 60).agg);
  engine.observeDeploy({ id: 'd1', service: 'shop', version: 'v2', previousVersion: 'v1', timeMs: deployAtMs }, deployAtMs);
  engine.expectSmoke('d1', ['checkout journey', 'home page']);
  const feed = (fromB: number, toB: number): void => {
    for (let b = fromB; b < toB && engine.get('d1')!.verdict.status === 'watching'; b++) {
      for (const r of defaultRoutes) engine.observe('shop', r.route, 'v2', deployAtMs + b * bucketMs, sim.aggregate(r, clean, 1, 10).agg);
      engine.advance(deployAtMs + (b + 1) * bucketMs);
    }
  };
  return { engine, feed };
}

const run = (check: string, atMs: number, ok: boolean, error?: string): SmokeRun => ({
  check,
  atMs,
  ok,
  durationMs: 180,
  traceId: `trace-${check.length}-${atMs}`,
  ...(error ? { error } : {}),
});

describe('smoke journeys on the deployment record', () => {
  it('fails the release when a smoke check fails and fails again, naming the check and its trace', () => {
    const { engine, feed } = primed();
    assert.equal(engine.observeSmokeRun('d1', run('home page', 1, true)), true);
    engine.observeSmokeRun('d1', run('checkout journey', 2, false, 'pay: status: expected 200, got 500'));
    feed(0, 2);
    assert.equal(engine.get('d1')!.verdict.status, 'watching', 'one failure waits for its confirmation run');
    engine.observeSmokeRun('d1', run('checkout journey', 3, false, 'pay: status: expected 200, got 500'));
    feed(2, 3);
    const r = engine.get('d1')!;
    assert.equal(r.verdict.status, 'fail');
    const row = r.verdict.evidence.find((e) => e.signal === 'smoke' && e.failing);
    assert.equal(row?.route, 'checkout journey');
    assert.match(row.summary, /smoke check "checkout journey" failed after the deploy: pay: status: expected 200, got 500 \(2 of 2 runs, trace trace-16-2\)/);
    assert.match(r.verdict.summary, /checkout journey/);
    assert.deepEqual(
      r.smoke!.map((x) => [x.check, x.status, x.runs.length]),
      [
        ['checkout journey', 'fail', 2],
        ['home page', 'pass', 1],
      ],
    );
  });

  it('a failure retried into a pass is evidence; the pass waits for every smoke check to run', () => {
    const { engine, feed } = primed();
    engine.observeSmokeRun('d1', run('checkout journey', 1, false, 'timeout'));
    engine.observeSmokeRun('d1', run('checkout journey', 2, true));
    feed(0, 200);
    assert.equal(engine.get('d1')!.verdict.status, 'watching', 'home page has not run yet');
    engine.observeSmokeRun('d1', run('home page', 3, true));
    feed(200, 360);
    const r = engine.get('d1')!;
    assert.equal(r.verdict.status, 'pass', r.verdict.summary);
    const row = r.verdict.evidence.find((e) => e.route === 'checkout journey');
    assert.equal(row?.failing, false);
    assert.match(row.summary, /passed in 180 ms after 1 failed run retried/);
  });

  it('ignores runs of checks the deploy did not trigger, duplicates, and runs after the verdict', () => {
    const { engine } = primed();
    assert.equal(engine.observeSmokeRun('d1', run('other', 1, false)), false);
    assert.equal(engine.observeSmokeRun('d1', run('home page', 1, true)), true);
    assert.equal(engine.observeSmokeRun('d1', run('home page', 1, true)), false);
    assert.equal(engine.observeSmokeRun('nope', run('home page', 1, true)), false);
  });

  it('reads a lone failure as pending during the watch and as a fail at its end', () => {
    assert.equal(smokeStatus([], true), 'pending');
    assert.equal(smokeStatus([run('a', 1, false)], false), 'pending');
    assert.equal(smokeStatus([run('a', 1, false)], true), 'fail');
    assert.equal(smokeStatus([run('a', 1, true), run('a', 2, false)], false), 'pass');
  });
});
