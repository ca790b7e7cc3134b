// The canary judge progressive-delivery tools call (Argo Rollouts' web metric, Flagger's webhook,
// POST /api/v1/canary/judge): the canary and baseline versions side by side over a window, with
// the same sequential tests as a deploy's verdict, so reading the answer at every analysis step
// keeps the false-fail rate under alpha. Pure: fed the window's 10 s buckets.
import { comparisonEvidence, failingTests, newComparison, observeBucket } from './comparison.js';
import type { ReleaseConfig } from './config.js';
import { anytimePValue } from './sequential.js';
import type { Evidence, RedAggregate } from './types.js';

export interface CanaryBucket {
  candidate?: RedAggregate;
  baseline?: RedAggregate;
}

export interface CanaryJudgement {
  verdict: 'pass' | 'fail' | 'inconclusive';
  /** 0..100, higher is healthier: 100 × the smaller anytime p-value of "the canary is worse". */
  score: number;
  reasons: string[];
  evidence: Evidence[];
  canaryRequests: number;
  baselineRequests: number;
}

/** `thresholdMs`: the baseline's latency percentile before the window, when known (else its first requests set it). */
export function judgeCanary(buckets: readonly CanaryBucket[], config: ReleaseConfig, thresholdMs?: number): CanaryJudgement {
  const c = newComparison('', config.alpha, undefined, config);
  if (thresholdMs !== undefined && thresholdMs > 0) c.thresholdMs = thresholdMs;
  for (const b of buckets) observeBucket(c, b.candidate, b.baseline, config);
  const evidence = comparisonEvidence(c, config);
  const failing = failingTests(c);
  const score = Math.round(100 * Math.min(anytimePValue(c.errors.twoArm), anytimePValue(c.latency.twoArm)));
  const counts = { canaryRequests: c.candidate.requests, baselineRequests: c.baseline.requests };
  if (failing.length) {
    return { verdict: 'fail', score, reasons: evidence.filter((e) => e.failing).map((e) => `${e.signal}: ${e.summary} (${(e.confidence * 100).toFixed(1)}% confidence)`), evidence, ...counts };
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
