// Shared arithmetic of windowed detectors: window length in buckets, onset estimation (the
// earliest of the trailing run of bad buckets) and the error baseline both error detectors use.
import type { DetectionConfig } from '../config.js';
import { seasonalAt } from '../baseline.js';
import type { BucketAggregate, SeriesState } from '../red.js';

export function bucketsIn(windowMs: number, config: DetectionConfig): number {
  return Math.max(1, Math.round(windowMs / config.bucketMs));
}

/**
 * Start time of the trailing run of buckets judged bad, within the last `buckets` buckets; the
 * window start when none is (the anomaly built up over the window). Buckets judged `undefined`
 * (no data) neither extend nor break the run.
 */
export function onsetOf(
  history: readonly BucketAggregate[],
  buckets: number,
  nowMs: number,
  config: DetectionConfig,
  isBad: (b: BucketAggregate, index: number) => boolean | undefined,
): number {
  let onset = nowMs - buckets * config.bucketMs;
  let found = false;
  for (let back = 0; back < Math.min(buckets, history.length); back++) {
    const i = history.length - 1 - back;
    const b = history[i];
    if (!b) break;
    const bad = isBad(b, i);
    if (bad === false) break;
    if (bad === true) {
      onset = nowMs - (back + 1) * config.bucketMs;
      found = true;
    }
  }
  return found ? onset : nowMs - buckets * config.bucketMs;
}

/**
 * Most likely start of an error-ratio shift up from `p0` within the last `buckets` buckets: the
 * start maximizing the Poisson log-likelihood ratio of the buckets after it, each candidate with
 * its own fitted ratio. Per-bucket verdicts break on a bucket that happens to hold no error, and a
 * fixed ratio fitted over the whole window reaches back to a stray error before the shift.
 */
export function errorOnsetOf(history: readonly BucketAggregate[], buckets: number, nowMs: number, config: DetectionConfig, p0: number): number {
  const base = Math.max(p0, 1e-9);
  let errors = 0;
  let requests = 0;
  let best = 0;
  let onset = nowMs - config.bucketMs;
  for (let back = 0; back < Math.min(buckets, history.length); back++) {
    const b = history[history.length - 1 - back];
    if (!b) break;
    errors += b.errors;
    requests += b.requests;
    const p1 = requests > 0 ? errors / requests : 0;
    if (p1 <= base) continue;
    const llr = errors * Math.log(p1 / base) - requests * (p1 - base);
    if (llr > best) {
      best = llr;
      onset = nowMs - (back + 1) * config.bucketMs;
    }
  }
  return onset;
}

/**
 * The usual error ratio of a series: the decayed recent ratio or, when higher, the ratio usual at
 * this time of day/week, each smoothed by a prior so a quiet route is not judged on three requests.
 */
export function baselineErrorRatio(series: SeriesState, nowMs: number, config: DetectionConfig): number {
  return errorBaseline(series, nowMs, config).ratio;
}

/**
 * The ratio a window is tested against: the usual one plus what cannot count as a shift — a quarter of the
 * minimum increase that matters, or two standard errors of the usual ratio when its baseline rests
 * on few requests (a baseline learned in the first minutes does not know the background yet).
 */
export function errorNullRatio(series: SeriesState, nowMs: number, config: DetectionConfig): { usual: number; tested: number } {
  const { ratio, requests } = errorBaseline(series, nowMs, config);
  return { usual: ratio, tested: testedErrorRatio(ratio, requests, config.errorRate) };
}

/** `errorNullRatio`'s margin, given the usual ratio and the (pseudo-)requests it rests on (pure, for benches on aggregated data). */
export function testedErrorRatio(ratio: number, requests: number, c: DetectionConfig['errorRate']): number {
  const standardError = Math.sqrt((ratio * (1 - ratio)) / Math.max(1, requests));
  return Math.min(0.99, ratio + Math.max(c.minIncrease / 4, 2 * standardError));
}

/** A usual ratio of `errors` in `requests`, smoothed by the prior, and the pseudo-requests it then rests on. */
export function smoothedErrorRatio(errors: number, requests: number, c: DetectionConfig['errorRate']): { ratio: number; requests: number } {
  return { ratio: (errors + c.priorRate * c.priorRequests) / (requests + c.priorRequests), requests: requests + c.priorRequests };
}

/** The usual error ratio and the (pseudo-)requests it rests on. */
function errorBaseline(series: SeriesState, nowMs: number, config: DetectionConfig): { ratio: number; requests: number } {
  const c = config.errorRate;
  const decay = Math.pow(0.5, config.bucketMs / config.errorHalfLifeMs);
  const effectiveBuckets = Math.min(series.errors.buckets, 1 / (1 - decay));
  const recent = smoothedErrorRatio(Math.max(0, series.errors.level) * effectiveBuckets, Math.max(0, series.slowRequests.level) * effectiveBuckets, c);
  const seasonalRequests = seasonalAt(series.slowRequests, nowMs);
  const seasonalErrors = seasonalAt(series.errors, nowMs);
  if (seasonalRequests === undefined || seasonalErrors === undefined) return recent;
  const slotBuckets = config.seasonalSlotMs / config.bucketMs;
  const seasonal = smoothedErrorRatio(seasonalErrors * slotBuckets, seasonalRequests * slotBuckets, c);
  return seasonal.ratio > recent.ratio ? seasonal : recent;
}
