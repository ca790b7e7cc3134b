// One route's (or the whole service's) comparison of a new version against the previous one: the
// sequential harm tests that can fail a release (error rate and latency, canary side by side and
// against the previous version's baseline before the deploy), the no-harm tests that bound the
// change ("95% confident p95 did not rise more than 10%"), and the running totals behind the evidence.
import { countAbove, emptySketch, mergeSketch, quantile, type LatencySketch } from '../detect/index.js';
import { count, percent } from '../format/index.js';
import type { ReleaseConfig } from './config.js';
import {
  anytimePValue,
  changeOnsetMs,
  harmGrid,
  markLow,
  newMixture,
  noHarmGrid,
  rejects,
  updateOneArm,
  updateTwoArm,
  upperRateBound,
  type MixtureState,
} from './sequential.js';
import type { Evidence, RedAggregate } from './types.js';

/** Error-rate ratios and latency rises the no-harm tests try to rule out, smallest first. */
export const errorBounds = [1.5, 2, 3];
export const latencyBounds = [0.1, 0.25, 0.5];
/** No-harm statements are made at this confidence; they never fail a release. */
export const boundAlpha = 0.05;
/** Below this many previous-version requests a baseline (reference or threshold) is not trusted. */
const minBaselineRequests = 50;

/** The previous version before the deploy: fixed once, so the tests judging later data stay valid. */
export interface Reference {
  requests: number;
  errors: number;
  /** Requests above the latency threshold. */
  above: number;
  quantileMs: number;
  /** The previous version's latencies before the deploy (for the report's percentiles). */
  latency?: LatencySketch;
}

interface TestPair {
  twoArm: MixtureState;
  oneArm: MixtureState;
}

export interface RouteComparison {
  route: string;
  /** This comparison's share of the release's false-fail budget. */
  alpha: number;
  candidate: RedAggregate;
  /** The previous version in the same buckets (canary); empty when it no longer serves. */
  baseline: RedAggregate;
  reference?: Reference;
  /** The previous version's latency percentile the exceedance tests count against (ms). */
  thresholdMs?: number;
  /** Previous-version requests seen before the threshold was fixed (canary without a reference). */
  warmup: RedAggregate;
  errors: TestPair;
  latency: TestPair;
  errorBounds: TestPair[];
  latencyBounds: TestPair[];
  failedAtMs?: number;
  /** What the one-arm reference is, in words ("against the hour before" when absent). */
  against?: string;
}

const emptyAggregate = (): RedAggregate => ({ requests: 0, errors: 0, latency: emptySketch() });
const pair = (grid: readonly number[]): TestPair => ({ twoArm: newMixture(grid), oneArm: newMixture(grid) });

export function newComparison(route: string, alpha: number, pre: RedAggregate | undefined, config: ReleaseConfig): RouteComparison {
  const c: RouteComparison = {
    route,
    alpha,
    candidate: emptyAggregate(),
    baseline: emptyAggregate(),
    warmup: emptyAggregate(),
    errors: pair(harmGrid),
    latency: pair(harmGrid),
    errorBounds: errorBounds.map(() => pair(noHarmGrid)),
    latencyBounds: latencyBounds.map(() => pair(noHarmGrid)),
  };
  if (pre && pre.requests >= minBaselineRequests) {
    const thresholdMs = quantile(pre.latency, config.latencyQuantile);
    c.thresholdMs = thresholdMs;
    c.reference = { requests: pre.requests, errors: pre.errors, above: countAbove(pre.latency, thresholdMs), quantileMs: thresholdMs, latency: pre.latency };
  }
  return c;
}

function fold(into: RedAggregate, from: RedAggregate): void {
  into.requests += from.requests;
  into.errors += from.errors;
  mergeSketch(into.latency, from.latency);
}

/**
 * Folds one closed bucket of both arms into the tests; the candidate arm may be empty. `span`, the
 * bucket's time, lets a harm test that fails say when the regression began (`regressionSinceMs`).
 */
export function observeBucket(
  c: RouteComparison,
  candidate: RedAggregate | undefined,
  baseline: RedAggregate | undefined,
  config: ReleaseConfig,
  span?: { fromMs: number; toMs: number },
): void {
  foldBucket(c, candidate, baseline, config);
  if (span) for (const t of [c.errors, c.latency]) for (const s of [t.twoArm, t.oneArm]) markLow(s, span.fromMs, span.toMs);
}

function foldBucket(c: RouteComparison, candidate: RedAggregate | undefined, baseline: RedAggregate | undefined, config: ReleaseConfig): void {
  const cand = candidate ?? emptyAggregate();
  const base = baseline ?? emptyAggregate();
  fold(c.candidate, cand);
  fold(c.baseline, base);
  const tau = c.thresholdMs;
  if (tau === undefined) {
    // A canary with no history of the previous version: its first requests fix the threshold.
    fold(c.warmup, base);
    if (c.warmup.requests >= minBaselineRequests) c.thresholdMs = quantile(c.warmup.latency, config.latencyQuantile);
    return;
  }
  const both = cand.requests > 0 && base.requests > 0;
  const shifted = tau * (1 + config.latencyTolerance);
  if (both) {
    updateTwoArm(
      c.errors.twoArm,
      config.errorRatioTolerance,
      { events: cand.errors, requests: cand.requests },
      { events: base.errors, requests: base.requests },
    );
    updateTwoArm(
      c.latency.twoArm,
      1,
      { events: countAbove(cand.latency, shifted), requests: cand.requests },
      { events: countAbove(base.latency, tau), requests: base.requests },
    );
    errorBounds.forEach((ratio, i) =>
      updateTwoArm(c.errorBounds[i]!.twoArm, ratio, { events: cand.errors, requests: cand.requests }, { events: base.errors, requests: base.requests }),
    );
    latencyBounds.forEach((rise, i) =>
      updateTwoArm(
        c.latencyBounds[i]!.twoArm,
        1,
        { events: countAbove(cand.latency, tau * (1 + rise)), requests: cand.requests },
        { events: countAbove(base.latency, tau), requests: base.requests },
      ),
    );
  }
  foldOneArm(c, cand, config);
}

function foldOneArm(c: RouteComparison, cand: RedAggregate, config: ReleaseConfig): void {
  const ref = c.reference;
  const tau = c.thresholdMs;
  if (!ref || tau === undefined || cand.requests <= 0) return;
  const shifted = tau * (1 + config.latencyTolerance);
  updateOneArm(c.errors.oneArm, config.errorRatioTolerance * upperRateBound(ref.errors, ref.requests), { events: cand.errors, requests: cand.requests });
  updateOneArm(c.latency.oneArm, upperRateBound(ref.above, ref.requests), { events: countAbove(cand.latency, shifted), requests: cand.requests });
  errorBounds.forEach((ratio, i) =>
    updateOneArm(c.errorBounds[i]!.oneArm, ratio * lowerRateBound(ref.errors, ref.requests), { events: cand.errors, requests: cand.requests }),
  );
  latencyBounds.forEach((rise, i) =>
    updateOneArm(c.latencyBounds[i]!.oneArm, lowerRateBound(ref.above, ref.requests), {
      events: countAbove(cand.latency, tau * (1 + rise)),
      requests: cand.requests,
    }),
  );
}

/**
 * Replaces the one-arm reference (the hour before) by another fixed from data the candidate never
 * touched (the same time of day on previous days). A fixed reference's likelihood ratio is a product
 * over buckets, so folding the candidate's totals so far in one step gives exactly the ratio the
 * test would have now had it used this reference from the start; only the running maximum of the
 * old path is lost, which can only make the test more conservative.
 */
export function rebase(c: RouteComparison, pre: RedAggregate | undefined, config: ReleaseConfig, against: string): boolean {
  if (!pre || pre.requests < minBaselineRequests) return false;
  const thresholdMs = quantile(pre.latency, config.latencyQuantile);
  c.thresholdMs = thresholdMs;
  c.reference = { requests: pre.requests, errors: pre.errors, above: countAbove(pre.latency, thresholdMs), quantileMs: thresholdMs, latency: pre.latency };
  c.against = against;
  c.errors.oneArm = newMixture(harmGrid);
  c.latency.oneArm = newMixture(harmGrid);
  for (const p of c.errorBounds) p.oneArm = newMixture(noHarmGrid);
  for (const p of c.latencyBounds) p.oneArm = newMixture(noHarmGrid);
  foldOneArm(c, c.candidate, config);
  return true;
}

function lowerRateBound(events: number, requests: number): number {
  if (requests <= 0) return 0;
  // The Wilson lower bound is the complement's upper bound.
  return Math.max(0, 1 - upperRateBound(requests - events, requests));
}

/** Each of the four harm tests gets a quarter of the comparison's budget (Bonferroni). `sideBySideOnly`: the one-arm reference is not settled yet. */
export function failingTests(c: RouteComparison, sideBySideOnly = false): Array<'error-rate' | 'latency'> {
  const a = c.alpha / 4;
  const out: Array<'error-rate' | 'latency'> = [];
  if (rejects(c.errors.twoArm, a) || (!sideBySideOnly && rejects(c.errors.oneArm, a))) out.push('error-rate');
  if (rejects(c.latency.twoArm, a) || (!sideBySideOnly && rejects(c.latency.oneArm, a))) out.push('latency');
  return out;
}

/**
 * When the regression a failing harm test found began: its change-point (the earliest of the arms
 * that reject), so a failed release is dated at its regression rather than at the deploy. Undefined
 * when the buckets came without times.
 */
export function regressionSinceMs(c: RouteComparison, test: 'error-rate' | 'latency', sideBySideOnly = false): number | undefined {
  const pair = test === 'error-rate' ? c.errors : c.latency;
  const a = c.alpha / 4;
  const onsets = [pair.twoArm, ...(sideBySideOnly ? [] : [pair.oneArm])].filter((s) => rejects(s, a)).map(changeOnsetMs);
  const known = onsets.filter((t): t is number => t !== undefined);
  return known.length ? Math.min(...known) : undefined;
}

/** The smallest bound ruled out at 95% (either arm), or undefined when none is yet. */
export function provenBound(bounds: readonly number[], tests: readonly TestPair[]): number | undefined {
  for (let i = 0; i < bounds.length; i++) {
    const t = tests[i];
    if (t && (rejects(t.twoArm, boundAlpha) || rejects(t.oneArm, boundAlpha))) return bounds[i];
  }
  return undefined;
}

const pOf = (p: TestPair): number => Math.min(anytimePValue(p.twoArm), anytimePValue(p.oneArm));

/** The smallest latency rise ruled out so far at 95%, if any. */
export const provenLatencyRise = (c: RouteComparison): number | undefined => provenBound(latencyBounds, c.latencyBounds);

/** The rise ruled out for latency and the error ratio ruled out, when both are proven and errors at most 2×: what a pass needs. */
export function passBounds(c: RouteComparison): { latencyRise: number; errorRatio: number } | undefined {
  const latencyRise = provenBound(latencyBounds, c.latencyBounds);
  const errorRatio = provenBound(errorBounds, c.errorBounds);
  return latencyRise !== undefined && errorRatio !== undefined && errorRatio <= 2 ? { latencyRise, errorRatio } : undefined;
}

/** Whether the comparison has seen the previous version side by side in the same buckets. */
export const isCanary = (c: RouteComparison): boolean => c.errors.twoArm.exposure[1] > 0;

/** Evidence rows: error rate and latency (and, for the service, the candidate's traffic share). */
export function comparisonEvidence(c: RouteComparison, config: ReleaseConfig, sideBySideOnly = false): Evidence[] {
  const route = c.route ? { route: c.route } : {};
  const failing = new Set(failingTests(c, sideBySideOnly));
  const since = (test: 'error-rate' | 'latency'): { sinceMs?: number } => {
    const at = failing.has(test) ? regressionSinceMs(c, test, sideBySideOnly) : undefined;
    return at === undefined ? {} : { sinceMs: at };
  };
  const canary = isCanary(c);
  const out: Evidence[] = [];
  const baseReqs = canary ? c.baseline.requests : (c.reference?.requests ?? 0);
  const baseErrs = canary ? c.baseline.errors : (c.reference?.errors ?? 0);
  if (c.candidate.requests > 0 && baseReqs > 0) {
    const b = baseErrs / baseReqs;
    const k = c.candidate.errors / c.candidate.requests;
    const bound = provenBound(errorBounds, c.errorBounds);
    const where = canary ? 'side by side' : (c.against ?? 'against the hour before');
    out.push({
      signal: 'error-rate',
      ...route,
      baseline: b,
      candidate: k,
      change: b > 0 ? k / b - 1 : k > 0 ? 1 : 0,
      confidence: 1 - pOf(c.errors),
      unit: 'ratio',
      failing: failing.has('error-rate'),
      ...since('error-rate'),
      summary: failing.has('error-rate')
        ? `error rate ${pct(b)} → ${pct(k)} ${where} (${count(c.candidate.requests)} requests)`
        : bound
          ? `error rate ${pct(k)} vs ${pct(b)}; 95% confident it did not rise ${bound}x`
          : `error rate ${pct(k)} vs ${pct(b)} (${count(c.candidate.requests)} requests, no significant rise)`,
    });
  }
  const basePct = canary ? quantile(c.baseline.latency, config.latencyQuantile) : (c.reference?.quantileMs ?? 0);
  if (c.candidate.requests > 0 && basePct > 0) {
    const candPct = quantile(c.candidate.latency, config.latencyQuantile);
    const q = `p${Math.round(config.latencyQuantile * 100)}`;
    const bound = provenBound(latencyBounds, c.latencyBounds);
    const change = candPct / basePct - 1;
    out.push({
      signal: 'latency',
      ...route,
      baseline: basePct,
      candidate: candPct,
      change,
      confidence: 1 - pOf(c.latency),
      unit: 'ms',
      failing: failing.has('latency'),
      ...since('latency'),
      summary: failing.has('latency')
        ? `${q} ${ms(basePct)} → ${ms(candPct)} (${signed(change)})`
        : bound !== undefined
          ? `no ${q} regression with ${count(c.candidate.requests)} requests; 95% confident ${q} did not rise more than ${Math.round(bound * 100)}%`
          : `${q} ${ms(candPct)} vs ${ms(basePct)} (${count(c.candidate.requests)} requests, no significant rise)`,
    });
  }
  if (!c.route && canary) {
    const share = c.candidate.requests / Math.max(1, c.candidate.requests + c.baseline.requests);
    out.push({
      signal: 'throughput-share',
      baseline: 1 - share,
      candidate: share,
      change: share,
      confidence: 0,
      unit: 'share',
      failing: false,
      summary: `the new version served ${pct(share)} of requests beside the previous one`,
    });
  }
  return out;
}

/** Shares print by Vigil's one rule (src/format). */
export const pct = percent;
export const ms = (x: number): string => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 1 : 0)} ms`);
export const signed = (x: number): string => `${x >= 0 ? '+' : ''}${Math.round(x * 100)}%`;

/** Route share of a version's traffic: whether a route the previous version served went quiet. */
export function routeShares(routes: readonly RouteComparison[]): Array<{ route: string; baseline: number; candidate: number }> {
  const baseTotal = routes.reduce((s, r) => s + (isCanary(r) ? r.baseline.requests : (r.reference?.requests ?? 0)), 0);
  const candTotal = routes.reduce((s, r) => s + r.candidate.requests, 0);
  if (!baseTotal || !candTotal) return [];
  return routes.map((r) => ({
    route: r.route,
    baseline: (isCanary(r) ? r.baseline.requests : (r.reference?.requests ?? 0)) / baseTotal,
    candidate: r.candidate.requests / candTotal,
  }));
}

export type { LatencySketch };
