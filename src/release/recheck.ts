// After a fail verdict: is the regression still there? A benign deploy that lands next to an outside
// fault (a database slowing everyone down) fails its watch, and its signal would then hold the
// incident open for as long as the harmless version serves. So the failed version keeps being
// compared with the same reference, in a fresh comparison: while that shows the regression it
// starts over (the fault's minutes must not weigh forever), and once it has watched long enough and
// shown that what failed the release is gone, the failure signal recovers: a latency regression
// needs the version proven within the smallest latency bound, an error regression within 2× the
// error rate (the bounds a pass needs) or, like a watch at its window's end, a whole window without
// the regression (see passesLikeAWatch), and a failure on a new exception needs that exception's own
// detector signal recovered (it no longer occurs) and the requests a verdict needs without a regression. A
// failed smoke check or a saturation regression cannot be re-judged from requests: those stay until
// the version leaves. A version that is really worse keeps showing
// the regression and stays failed. The verdict itself stays "fail": it is the record of what was seen.
import { mergeSketch, emptySketch } from '../detect/index.js';
import { errorBounds, failingTests, latencyBounds, newComparison, observeBucket, provenBound, type RouteComparison } from './comparison.js';
import type { ReleaseConfig } from './config.js';
import type { Evidence, RedAggregate } from './types.js';

/** How long a fresh comparison must hold before "back to normal" counts: the scale of the detectors' own recovery, not a verdict's watch. */
export const recheckMinMs = 5 * 60_000;

/** What failed the release, as far as the recheck is concerned. */
export type FailedOn = 'latency' | 'error-rate' | 'finding';

export interface Recheck {
  sinceMs: number;
  failedOn: FailedOn[];
  /** Fingerprints of the new exceptions that failed it whose detector signal has not recovered yet. */
  openExceptions: string[];
  /** The whole service, candidate against the previous version beside it or the watch's reference. */
  service: RouteComparison;
  /** Open 10 s buckets: candidate and baseline arms summed over routes. */
  pending: Record<string, { candidate?: RedAggregate; baseline?: RedAggregate }>;
}

/** A fresh comparison against the same reference (and latency threshold) the watch used. */
export function startRecheck(
  watched: RouteComparison,
  failedOn: readonly FailedOn[],
  openExceptions: readonly string[],
  nowMs: number,
  config: ReleaseConfig,
): Recheck {
  const service = newComparison(watched.route, watched.alpha, undefined, config);
  if (watched.thresholdMs !== undefined) service.thresholdMs = watched.thresholdMs;
  if (watched.reference) service.reference = { ...watched.reference };
  if (watched.against) service.against = watched.against;
  return { sinceMs: nowMs, failedOn: [...failedOn], openExceptions: [...openExceptions], service, pending: {} };
}

/** One closed-or-open bucket of one arm; buckets that began before the recheck are the watch's, not its. */
export function feedRecheck(r: Recheck, arm: 'candidate' | 'baseline', bucketStartMs: number, bucketMs: number, agg: RedAggregate): void {
  if (bucketStartMs < Math.floor(r.sinceMs / bucketMs) * bucketMs) return;
  const slot = (r.pending[bucketStartMs] ??= {});
  const into = (slot[arm] ??= { requests: 0, errors: 0, latency: emptySketch() });
  into.requests += agg.requests;
  into.errors += agg.errors;
  mergeSketch(into.latency, agg.latency);
}

/** Closes the due buckets and says what they show: still regressed (start over), back within bounds long enough, or not yet known. */
export function judgeRecheck(r: Recheck, nowMs: number, bucketMs: number, config: ReleaseConfig): 'regressed' | 'recovered' | 'undecided' {
  const due = Object.keys(r.pending)
    .map(Number)
    .filter((t) => t + bucketMs <= nowMs)
    .sort((a, b) => a - b);
  for (const t of due) {
    const arms = r.pending[t] ?? {};
    delete r.pending[t];
    observeBucket(r.service, arms.candidate, arms.baseline, config);
  }
  if (failingTests(r.service).length) return 'regressed';
  if (nowMs - r.sinceMs < recheckMinMs) return 'undecided';
  const gone = (on: FailedOn): boolean =>
    on === 'latency'
      ? provenBound(latencyBounds, r.service.latencyBounds) !== undefined || passesLikeAWatch(r, nowMs, config)
      : on === 'error-rate'
        ? (provenBound(errorBounds, r.service.errorBounds) ?? Infinity) <= 2 || passesLikeAWatch(r, nowMs, config)
        : r.openExceptions.length === 0 && r.service.candidate.requests >= config.minRequests;
  return r.failedOn.every(gone) ? 'recovered' : 'undecided';
}

/**
 * What a new watch of the version would pass on: its whole intensive window without the regression,
 * with the requests a verdict needs. The bounds above are the quick way back; at a few requests per
 * second they can take hours (the no-harm tests compare with the low end of the reference's
 * confidence interval, so 2× the error rate of 45 errors in 10,488 requests is 2 × 0.28%, about
 * 1.3× the rate observed), and a version its own watch would have passed must not stay failed for
 * as long as it serves. The recheck's harm test, which starts the comparison over, still keeps a
 * version it finds worse failed.
 */
function passesLikeAWatch(r: Recheck, nowMs: number, config: ReleaseConfig): boolean {
  return nowMs - r.sinceMs >= config.windowMs && r.service.candidate.requests >= config.minRequests;
}

/**
 * Which kinds of evidence failed the release, for the recheck; undefined when one of them cannot be
 * re-judged from requests (a failed smoke check, a saturation regression): then only the version
 * leaving ends the signal.
 */
export function failedOn(evidence: readonly Evidence[]): FailedOn[] | undefined {
  const kinds = new Set<FailedOn>();
  for (const e of evidence) {
    if (!e.failing) continue;
    if (e.signal === 'smoke' || e.signal === 'saturation') return undefined;
    kinds.add(e.signal === 'latency' || e.signal === 'error-rate' ? e.signal : 'finding');
  }
  return [...kinds];
}
