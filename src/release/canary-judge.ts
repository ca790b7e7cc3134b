// The canary judge progressive-delivery tools call (Argo Rollouts' web metric, Flagger's webhook,
// POST /api/v1/canary/judge): the canary and baseline versions side by side over a window, with
// the same sequential tests as a deploy's verdict, so reading the answer at every analysis step
// keeps the false-fail rate under alpha. The service is judged as a whole and route by route (a
// regression on one small route hides in the totals); the answer is the worst of them.
// Pure: fed the window's 10 s buckets.
import { comparisonEvidence, failingTests, newComparison, observeBucket, type RouteComparison } from './comparison.js';
import type { ReleaseConfig } from './config.js';
import { anytimePValue } from './sequential.js';
import type { Evidence, RedAggregate } from './types.js';

export interface CanaryArms {
  candidate?: RedAggregate;
  baseline?: RedAggregate;
}

/** One 10 s bucket: both arms in all, and per route when the caller knows routes. */
export interface CanaryBucket extends CanaryArms {
  routes?: Record<string, CanaryArms>;
}

export interface RouteJudgement {
  route: string;
  verdict: 'pass' | 'fail' | 'inconclusive';
  score: number;
  canaryRequests: number;
  baselineRequests: number;
  reasons: string[];
}

export interface CanaryJudgement {
  verdict: 'pass' | 'fail' | 'inconclusive';
  /** 0..100, higher is healthier: 100 × the smallest anytime p-value of "the canary is worse" (service or any route). */
  score: number;
  reasons: string[];
  evidence: Evidence[];
  canaryRequests: number;
  baselineRequests: number;
  /** Each route's own judgement, worst first (absent: not judged per route). */
  routes?: RouteJudgement[];
  /** The route that failed (or scored lowest), when routes were judged. */
  worstRoute?: string;
}

/** Routes judged one by one (the busiest); the rest still count in the service's totals. */
const maxRoutes = 50;
const rank = { fail: 0, inconclusive: 1, pass: 2 } as const;

/** `thresholdMs`: the baseline's latency percentile before the window, when known (else its first requests set it). */
export function judgeCanary(buckets: readonly CanaryBucket[], config: ReleaseConfig, thresholdMs?: number): CanaryJudgement {
  const named = busiestRoutes(buckets);
  // One route is the service itself: judging it twice would only halve the budget.
  const routeNames = named.length > 1 ? named : [];
  // Half the budget for the service, half shared by the routes (route k gets α/2 · 1/(k(k+1))).
  const service = newComparison('', routeNames.length ? config.alpha / 2 : config.alpha, undefined, config);
  if (thresholdMs !== undefined && thresholdMs > 0) service.thresholdMs = thresholdMs;
  const routes = routeNames.map((route, i) => newComparison(route, config.alpha / 2 / ((i + 1) * (i + 2)), undefined, config));
  for (const b of buckets) {
    observeBucket(service, b.candidate, b.baseline, config);
    for (const c of routes) observeBucket(c, b.routes?.[c.route]?.candidate, b.routes?.[c.route]?.baseline, config);
  }
  const whole = judgeOne(service, config);
  const perRoute = routes.map((c) => ({ route: c.route, ...judgeOne(c, config) })).sort((a, b) => rank[a.verdict] - rank[b.verdict] || a.score - b.score);
  const worst = perRoute[0];
  const failedRoutes = perRoute.filter((r) => r.verdict === 'fail');
  const verdict = whole.verdict === 'fail' || failedRoutes.length ? 'fail' : whole.verdict;
  const reasons = [...whole.reasons, ...failedRoutes.flatMap((r) => r.reasons.map((x) => `${r.route}: ${x}`))];
  const evidence = [...whole.evidence, ...routes.filter((c) => failingTests(c).length).flatMap((c) => comparisonEvidence(c, config).filter((e) => e.failing))];
  return {
    verdict,
    score: Math.min(whole.score, ...perRoute.map((r) => r.score)),
    reasons,
    evidence,
    canaryRequests: service.candidate.requests,
    baselineRequests: service.baseline.requests,
    routes: perRoute.map(({ evidence: _evidence, ...r }) => r),
    ...(worst ? { worstRoute: worst.route } : {}),
  };
}

function judgeOne(c: RouteComparison, config: ReleaseConfig): Omit<RouteJudgement, 'route'> & { evidence: Evidence[] } {
  const evidence = comparisonEvidence(c, config);
  const failing = failingTests(c);
  const score = Math.round(100 * Math.min(anytimePValue(c.errors.twoArm), anytimePValue(c.latency.twoArm)));
  const counts = { canaryRequests: c.candidate.requests, baselineRequests: c.baseline.requests };
  if (failing.length) {
    return {
      verdict: 'fail',
      score,
      reasons: evidence.filter((e) => e.failing).map((e) => `${e.signal}: ${e.summary} (${(e.confidence * 100).toFixed(1)}% confidence)`),
      evidence,
      ...counts,
    };
  }
  if (c.candidate.requests < config.minRequests || c.baseline.requests < config.minRequests) {
    return {
      verdict: 'inconclusive',
      score,
      reasons: [`too little traffic to judge: canary ${c.candidate.requests}, baseline ${c.baseline.requests} requests (at least ${config.minRequests} each)`],
      evidence,
      ...counts,
    };
  }
  return { verdict: 'pass', score, reasons: evidence.map((e) => `${e.signal}: ${e.summary}`), evidence, ...counts };
}

/** The routes the buckets name, busiest first (by requests of both arms: never by their outcome). */
function busiestRoutes(buckets: readonly CanaryBucket[]): string[] {
  const volume = new Map<string, number>();
  for (const b of buckets)
    for (const [route, a] of Object.entries(b.routes ?? {}))
      volume.set(route, (volume.get(route) ?? 0) + (a.candidate?.requests ?? 0) + (a.baseline?.requests ?? 0));
  return [...volume]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, maxRoutes)
    .map(([route]) => route);
}
