// The baseline when the versions do not serve side by side: a crafted diurnal service whose p95
// rises every morning at nine. A deploy at nine judged against the hour before (quiet eight o'clock)
// is a false fail; judged against the previous version at nine on previous days it passes, and says
// so. With no same-time-of-day history it falls back to the hour before and the verdict says why;
// while the lookup is pending nothing is decided from the one-arm tests; side by side is never rebased.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeSketch, emptySketch } from '../detect/index.js';
import { defaultReleaseConfig } from './config.js';
import { bucketMs, ReleaseEngine } from './engine.js';
import { deployAtMs } from './testing/deploy-run.js';
import { defaultRoutes, TrafficSimulator } from './testing/traffic.js';
import type { RedAggregate } from './types.js';

const config = defaultReleaseConfig();
const quiet = { errorRate: 0.002, latencyFactor: 1 };
/** Nine o'clock: the morning peak makes every route 1.8x slower, every day, in every version. */
const peak = { errorRate: 0.002, latencyFactor: 1.8 };
const sim = (seed: number): TrafficSimulator =>
  new TrafficSimulator({ requestsPerSecond: 20, routes: defaultRoutes, sigma: 0.5, previous: quiet, candidate: peak, candidateShare: 1 }, seed);

/** The previous version at the same time of day on `days` previous days (one hour each), per route and in all. */
function sameTimeOfDay(s: TrafficSimulator, days: number): Record<string, RedAggregate> {
  const routes: Record<string, RedAggregate> = {};
  const all: RedAggregate = { requests: 0, errors: 0, latency: emptySketch() };
  for (const r of defaultRoutes) {
    const agg = s.aggregate(r, peak, 1, 3600 * days).agg;
    routes[r.route] = agg;
    all.requests += agg.requests;
    all.errors += agg.errors;
    mergeSketch(all.latency, agg.latency);
  }
  return { ...routes, '': all };
}

/** The quiet hour before the deploy, the deploy at nine, then `minutes` of the new version at the peak. */
function diurnalDeploy(seed: number, lookup: (engine: ReleaseEngine, s: TrafficSimulator) => void, o: { await: boolean; minutes?: number }): ReleaseEngine {
  const s = sim(seed);
  const engine = new ReleaseEngine(config);
  for (let m = 60; m > 0; m--) for (const r of defaultRoutes) engine.observe('shop', r.route, 'v1', deployAtMs - m * 60_000, s.aggregate(r, quiet, 1, 60).agg);
  engine.observeDeploy({ id: 'd1', service: 'shop', version: 'v2', previousVersion: 'v1', timeMs: deployAtMs }, deployAtMs, { awaitReference: o.await });
  for (let b = 0; b < (o.minutes ?? 40) * 6; b++) {
    const at = deployAtMs + b * bucketMs;
    for (const r of defaultRoutes) engine.observe('shop', r.route, 'v2', at, s.aggregate(r, peak, 1, 10).agg);
    // The store answers the lookup a few buckets in, as the adapter's query would.
    if (b === 3) lookup(engine, s);
    engine.advance(at + bucketMs);
    if (engine.get('d1')!.verdict.status !== 'watching') break;
  }
  return engine;
}

describe('baseline for the same time of day', () => {
  it('the hour before alone gives a false fail on a diurnal peak', () => {
    const engine = diurnalDeploy(1, () => undefined, { await: false });
    const r = engine.get('d1')!;
    assert.equal(r.verdict.status, 'fail', r.verdict.summary);
    assert.ok(r.verdict.evidence.some((e) => e.signal === 'latency' && e.failing));
    assert.match(r.verdict.summary, /baseline: the hour before/);
  });

  it('the same time of day on previous days passes the same deploy and names its baseline', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const engine = diurnalDeploy(seed, (e, s) => e.setReference('d1', { routes: sameTimeOfDay(s, 3), days: 3 }), {
        await: true,
      });
      const r = engine.get('d1')!;
      assert.equal(r.verdict.status, 'pass', `seed ${seed}: ${r.verdict.summary}`);
      assert.deepEqual(r.reference, {
        kind: 'same-time-of-day',
        days: 3,
        note: 'v1 at the same time of day on 3 previous days',
      });
      assert.match(r.verdict.summary, /baseline: v1 at the same time of day on 3 previous days/);
    }
  });

  it('still fails a real regression against the same time of day', () => {
    const s = sim(9);
    const engine = new ReleaseEngine(config);
    engine.observeDeploy({ id: 'd1', service: 'shop', version: 'v2', previousVersion: 'v1', timeMs: deployAtMs }, deployAtMs, { awaitReference: true });
    engine.setReference('d1', { routes: sameTimeOfDay(s, 2), days: 2 });
    for (let b = 0; b < 60 && engine.get('d1')!.verdict.status === 'watching'; b++) {
      for (const r of defaultRoutes)
        engine.observe('shop', r.route, 'v2', deployAtMs + b * bucketMs, s.aggregate(r, { errorRate: 0.05, latencyFactor: 1.8 }, 1, 10).agg);
      engine.advance(deployAtMs + (b + 1) * bucketMs);
    }
    const r = engine.get('d1')!;
    assert.equal(r.verdict.status, 'fail');
    assert.ok(
      r.verdict.evidence.some((e) => e.signal === 'error-rate' && e.failing && /same time of day on 2 previous days/.test(e.summary)),
      JSON.stringify(r.verdict.evidence),
    );
  });

  it('falls back to the hour before when the store has no same-time-of-day history, and says so', () => {
    const engine = diurnalDeploy(2, (e) => e.setReference('d1', undefined), { await: true });
    const r = engine.get('d1')!;
    assert.equal(r.reference?.kind, 'hour-before');
    assert.match(r.verdict.summary, /baseline: the hour before the deploy \(no same-time-of-day history of v1 in the store\)/);
  });

  it('decides nothing from the one-arm tests while the lookup is pending', () => {
    const engine = diurnalDeploy(1, () => undefined, { await: true, minutes: 20 });
    const r = engine.get('d1')!;
    assert.equal(r.verdict.status, 'watching', r.verdict.summary);
    assert.ok(r.verdict.evidence.every((e) => !e.failing));
  });
});
