// Error-rate detector: a binomial tail test of a window's errors against the usual ratio, so
// 5 errors in 10 requests and 5 in 10,000 are judged by their volume, plus a minimum error count
// and effect size so low-traffic routes stay quiet; the tail is taken against the usual ratio plus
// what cannot count as a shift (half the minimum increase, or the baseline's own uncertainty). A short window catches busy routes fast, a
// long one gives quiet routes enough requests. Runs for entry routes and client edges.
import { z } from 'zod';
import type { DetectionConfig } from '../config.js';
import { detectorSettings, type Detector, type DetectorContext, type Evaluation, type EvaluationState, type SignalDraft } from '../detector.js';
import { cleanRecordMs, dominantVersion, type SeriesState } from '../red.js';
import { binomialUpperTail } from '../stats.js';
import { count, duration, pValue, percent, scoreOf, subjectName } from '../format.js';
import { positive, probability, strongestVerdict, withDraft } from './verdict.js';
import { bucketsIn, errorNullRatio, errorOnsetOf } from './window.js';

interface WindowVerdict {
  state: EvaluationState;
  pv: number;
  draft?: SignalDraft;
  version: string;
}

function judgeWindow(ctx: DetectorContext, s: SeriesState, windowMs: number, p0: number, tested: number, firing: boolean): WindowVerdict | undefined {
  const c = ctx.config.errorRate;
  const buckets = bucketsIn(windowMs, ctx.config);
  const w = ctx.window(s, buckets);
  if (w.requests === 0) return firing ? { state: 'normal', pv: 1, version: '' } : undefined;
  const observed = w.errors / w.requests;
  const alpha = ctx.alphaFor(c.alpha, s.firstMs);
  const verdict = judgeErrors(w.errors, w.requests, p0, tested, c, ctx.effectFor(c.minRatio, s.firstMs), alpha);
  const clean = cleanRecordMs(s, ctx.nowMs - buckets * ctx.config.bucketMs) ?? 0;
  const broken = breaksCleanRecord(w.errors, w.requests, clean, c);
  if (!verdict && !broken) return firing ? { state: 'normal', pv: 1, version: '' } : undefined;
  const pv = verdict?.pv ?? binomialUpperTail(w.errors, w.requests, tested);
  const anomalous = verdict?.anomalous === true || broken;
  const version = dominantVersion(w, true);
  if (!anomalous) return { state: pv < Math.sqrt(alpha) ? 'elevated' : 'normal', pv, version };
  const what = s.kind === 'edge' ? 'failed calls' : 'errors';
  return {
    state: 'anomalous',
    pv,
    version,
    draft: {
      startedAtMs: errorOnsetOf(s.history, bucketsIn(c.longWindowMs, ctx.config), ctx.nowMs, ctx.config, p0),
      window: { fromMs: ctx.nowMs - buckets * ctx.config.bucketMs, toMs: ctx.nowMs },
      observed,
      baseline: p0,
      unit: 'ratio',
      pValue: pv,
      score: scoreOf(pv, observed / Math.max(p0, 1e-6)),
      summary:
        `${subjectName(s.service, s.route, s.peer)}${version ? ` (version ${version})` : ''}: ${percent(observed)} ${what} over ${duration(windowMs)} ` +
        `vs ${percent(p0)} usual; ${count(w.errors)} of ${count(w.requests)} requests; ${pValue(pv)}` +
        (verdict?.anomalous === true ? '' : `; the first failures after ${duration(clean)} without one`),
      evidence: { requests: w.requests, errors: w.errors, baselineRatio: p0, windowMs, ...(verdict?.anomalous === true ? {} : { cleanRecordMs: clean }) },
    },
  };
}

/**
 * The test of one window's errors against the usual ratio `p0`: undefined when the cheap effect-size
 * gates already rule a shift out; else the binomial tail against `tested` (the usual ratio plus what
 * cannot count as a shift) and whether it pages. Pure, so a bench on aggregated data judges with it.
 */
export function judgeErrors(
  errors: number,
  requests: number,
  p0: number,
  tested: number,
  c: DetectionConfig['errorRate'],
  minRatio: number,
  alpha: number,
): { pv: number; anomalous: boolean } | undefined {
  const observed = errors / requests;
  // The exact tail is costly; most buckets fail the cheap effect-size gates first.
  const plausible = errors >= c.minErrors / 2 && observed >= (1 + (minRatio - 1) / 2) * p0 && observed - p0 >= c.minIncrease / 2;
  if (!plausible) return undefined;
  // Significant against the usual ratio plus what cannot count as a shift, not against the usual
  // alone: a window that happens to hold 1.4% when 0.5% became the norm is not evidence of 1%+.
  const pv = binomialUpperTail(errors, requests, tested);
  return { pv, anomalous: errors >= c.minErrors && observed >= minRatio * p0 && observed - p0 >= c.minIncrease && pv < alpha };
}

/** A record this long without a failure (a whole daily cycle, peak included) is a near-zero baseline no burst has spread. */
export const CLEAN_RECORD_MS = 24 * 3_600_000;
/** One failure is no rate: a clean record is broken by two (the Poisson floor of a near-zero baseline). */
const CLEAN_RECORD_MIN_ERRORS = 2;

/**
 * A clean record broken: a series that failed nothing for `CLEAN_RECORD_MS` now fails at least two
 * requests, and at least `minIncrease` of the window's. Its usual ratio is near zero with no bursts
 * to spread it, so the minimum count and the prior meant for series that fail now and then do not
 * apply; the effect size still does (two failures in a busy window are no page). Pure, for benches.
 */
export function breaksCleanRecord(errors: number, requests: number, cleanForMs: number, c: DetectionConfig['errorRate']): boolean {
  return cleanForMs >= CLEAN_RECORD_MS && errors >= CLEAN_RECORD_MIN_ERRORS && requests > 0 && errors / requests >= c.minIncrease;
}

/**
 * The rate a record of `cleanRequests` requests without one failure still allows: the 95% upper
 * bound for zero events ("rule of three", −ln 0.05 ≈ 3).
 */
export function cleanRecordBound(cleanRequests: number): number {
  return Math.min(1, 3 / cleanRequests);
}

/**
 * A series that has failed nothing since it was first seen, for less than a day: too short a record
 * to take two failures as news (the daily peak may not have come yet), so the window's failures must
 * be improbable (tail under `alpha`) even at the highest rate its clean requests still allow — with
 * two hours of 150 requests an export, four of one export's 150 are; with ten minutes, no handful
 * is — and reach the detector's usual minimum count (five), in a window of at least
 * `minRequests` (the fewest the latency detector judges a window by): a load balancer's view that
 * fails all of its 3 requests an export is no page. A series that failed before has shown its bursts and
 * waits for a clean day, so each series can page this way once, in its first day. Pure, for benches.
 */
export function breaksYoungRecord(
  errors: number,
  requests: number,
  cleanRequests: number,
  c: DetectionConfig['errorRate'],
  alpha: number,
  minRequests: number,
): boolean {
  if (cleanRequests <= 0 || requests < minRequests || errors < c.minErrors || errors / requests < c.minIncrease) return false;
  return binomialUpperTail(Math.round(errors), Math.max(Math.round(requests), Math.round(errors)), cleanRecordBound(cleanRequests)) < alpha;
}

/** This detector's section of `detect:` in vigil.yaml (`errorRate`): every field, checked, with its default. */
const errorRateSchema = z
  .object({
    windowMs: positive,
    /** A second, longer window gives quiet routes enough requests to be judged. */
    longWindowMs: positive,
    alpha: probability,
    minErrors: z.number().int().min(1),
    /** Observed ratio must be at least this multiple of the baseline ratio … */
    minRatio: z.number().min(1),
    /** … and at least this much higher in absolute terms (0.01 = one percentage point). */
    minIncrease: z.number().min(0).max(1),
    /** Prior for the baseline error ratio: `priorRate` over `priorRequests` pseudo-requests. */
    priorRate: probability,
    priorRequests: z.number().min(0),
  })
  .strict();

export const errorRateSettings = detectorSettings('errorRate', errorRateSchema, {
  windowMs: 60_000,
  longWindowMs: 180_000,
  alpha: 1e-5,
  minErrors: 5,
  minRatio: 3,
  minIncrease: 0.01,
  priorRate: 0.005,
  priorRequests: 200,
});

export const errorRateDetector: Detector<Record<string, never>> = {
  name: 'error-rate',
  holdsBaselines: { errors: ['error-rate'] },
  initialState: () => ({}),
  evaluate(ctx) {
    const c = ctx.config.errorRate;
    const out: Evaluation[] = [];
    for (const s of ctx.series) {
      if (!ctx.judgedSeries(s)) continue;
      const key = `error-rate|${s.id}`;
      const firing = ctx.isFiring(key);
      const { usual: p0, tested } = errorNullRatio(s, ctx.nowMs, ctx.config);
      const best = strongestVerdict([c.windowMs, c.longWindowMs].map((windowMs) => judgeWindow(ctx, s, windowMs, p0, tested, firing)));
      if (!best) continue;
      const subject =
        s.kind === 'edge' ? { service: s.service, peer: s.peer, version: best.version } : { service: s.service, route: s.route, version: best.version };
      out.push(withDraft({ key, kind: 'error-rate', subject, state: best.state }, best, ctx.alphaFor(c.alpha, s.firstMs)));
    }
    return out;
  },
};
