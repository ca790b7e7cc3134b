// The canary judge per route: a regression on one small route that the service's totals dilute is
// failed by that route's own test and reported as the worst; a clean canary passes every route.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeSketch, emptySketch } from '../detect/index.js';
import { judgeCanary, type CanaryBucket } from './canary-judge.js';
import { defaultReleaseConfig } from './config.js';
import { TrafficSimulator, type RouteProfile } from './testing/traffic.js';
import type { RedAggregate } from './types.js';

const config = defaultReleaseConfig();
const clean = { errorRate: 0.01, latencyFactor: 1 };
const routes: RouteProfile[] = [
  { route: 'GET /products', share: 0.6, medianMs: 40 },
  { route: 'POST /cart', share: 0.35, medianMs: 80 },
  { route: 'POST /coupon', share: 0.05, medianMs: 60 },
];

/** `minutes` of 10 s buckets, canary at 50%; the canary's `broken` route fails `brokenRate` of its requests. */
function window(seed: number, minutes: number, broken?: { route: string; errorRate: number }): CanaryBucket[] {
  const sim = new TrafficSimulator({ requestsPerSecond: 30, routes, sigma: 0.5, previous: clean, candidate: clean, candidateShare: 0.5 }, seed);
  const out: CanaryBucket[] = [];
  for (let b = 0; b < minutes * 6; b++) {
    const bucket: CanaryBucket = { candidate: empty(), baseline: empty(), routes: {} };
    for (const r of routes) {
      const candidate = sim.aggregate(r, broken?.route === r.route ? { ...clean, errorRate: broken.errorRate } : clean, 0.5, 10).agg;
      const baseline = sim.aggregate(r, clean, 0.5, 10).agg;
      bucket.routes![r.route] = { candidate, baseline };
      add(bucket.candidate!, candidate);
      add(bucket.baseline!, baseline);
    }
    out.push(bucket);
  }
  return out;
}

const empty = (): RedAggregate => ({ requests: 0, errors: 0, latency: emptySketch() });
function add(into: RedAggregate, from: RedAggregate): void {
  into.requests += from.requests;
  into.errors += from.errors;
  mergeSketch(into.latency, from.latency);
}

describe('canary judge per route', () => {
  it('fails a broken small route the totals dilute, and names it as the worst', () => {
    const buckets = window(1, 10, { route: 'POST /coupon', errorRate: 0.3 });
    const j = judgeCanary(buckets, config);
    assert.equal(j.verdict, 'fail', j.reasons.join('; '));
    assert.equal(j.worstRoute, 'POST /coupon');
    assert.equal((j.routes ?? [])[0]!.route, 'POST /coupon');
    assert.equal((j.routes ?? [])[0]!.verdict, 'fail');
    assert.ok(
      j.reasons.some((r) => r.startsWith('POST /coupon: error-rate')),
      j.reasons.join('; '),
    );
    assert.ok((j.routes ?? []).slice(1).every((r) => r.verdict !== 'fail'));
    // The same data without routes: the service's totals alone do not fail it as fast.
    const totalsOnly = judgeCanary(
      buckets.map(({ candidate, baseline }) => ({ candidate, baseline })),
      config,
    );
    assert.ok(totalsOnly.score >= j.score);
  });

  it('passes a clean canary on every route (20 windows)', () => {
    for (let seed = 10; seed < 30; seed++) {
      const j = judgeCanary(window(seed, 10), config);
      assert.notEqual(j.verdict, 'fail', `seed ${seed}: ${j.reasons.join('; ')}`);
      assert.equal(j.routes?.length, 3);
    }
  });

  it('judges a one-route service once (no route list)', () => {
    const j = judgeCanary(
      window(3, 5).map((b) => ({
        candidate: b.routes!['GET /products']!.candidate!,
        baseline: b.routes!['GET /products']!.baseline!,
        routes: { 'GET /products': b.routes!['GET /products']! },
      })),
      config,
    );
    assert.deepEqual(j.routes, []);
    assert.equal(j.worstRoute, undefined);
  });
});
