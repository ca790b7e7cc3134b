// Change-point detector: Poisson/Bernoulli CUSUM (log-likelihood ratio of "rate × shiftRatio, and
// at least the minimum increase that matters" against the baseline) on per-bucket errors and on requests slower than the usual p90. It
// accumulates small sustained shifts that the windowed tests miss; its threshold h gives an
// in-control run length of about e^h buckets. Silent while the windowed detector already fires.
import { z } from 'zod';
import { detectorSettings, type Detector, type Evaluation } from '../detector.js';
import { countAbove } from '../sketch.js';
import { count, duration, percent, scoreOf, subjectName } from '../format.js';
import { positive } from './verdict.js';
import { errorNullRatio } from './window.js';
import type { SeriesState } from '../red.js';

interface Cusum {
  sum: number;
  /** Events (errors or slow requests) and requests since the sum last left zero. */
  events: number;
  requests: number;
  sinceMs: number;
  /**
   * Evidence that the rate is back at the usual one: the same log-likelihood ratios summed the other
   * way (a CUSUM for "usual" against "shifted"). Absent in snapshots taken before it existed.
   */
  recovery?: number;
}

export type ChangePointState = Record<string, Cusum>;

const SLOW_SHARE_SLACK = 1.2;
const LATENCY_BASELINE_SAMPLES = 50;

/** The sum is capped at this multiple of the threshold: a long shift must not take hours to unwind once it ends. */
const CAP_FACTOR = 2;
/**
 * A firing shift has ended once the evidence for the usual rate reaches this share of the threshold.
 * Waiting for the capped sum itself to drain (from 2h to h/4) asked for nearly twice the evidence
 * that fired it: a route at one request a second took 10 minutes to recover after the fault ended,
 * and kept its incident open past its all-clear. A shift that persists gathers no such evidence.
 */
const RECOVERY_FACTOR = 0.5;

function step(state: ChangePointState, key: string, llr: number, events: number, requests: number, bucketStartMs: number, cap: number): Cusum {
  const c = state[key] ?? { sum: 0, events: 0, requests: 0, sinceMs: bucketStartMs };
  if (c.sum <= 0) {
    c.events = 0;
    c.requests = 0;
    c.sinceMs = bucketStartMs;
    c.recovery = 0;
  }
  c.sum = Math.min(cap, Math.max(0, c.sum + llr));
  c.recovery = Math.max(0, (c.recovery ?? 0) - llr);
  c.events += events;
  c.requests += requests;
  // Idle CUSUMs are dropped so the snapshot holds only series that are drifting.
  if (c.sum === 0) delete state[key];
  else state[key] = c;
  return c;
}

/** This detector's section of `detect:` in vigil.yaml (`changePoint`): every field, checked, with its default. */
const changePointSchema = z.object({ threshold: positive, shiftRatio: z.number().gt(1), minEvents: z.number().int().min(1) }).strict();

export const changePointSettings = detectorSettings('changePoint', changePointSchema, { threshold: 16, shiftRatio: 2, minEvents: 10 });

export const changePointDetector: Detector<ChangePointState> = {
  name: 'change-point',
  holdsBaselines: { errors: ['change-point|errors'], latency: ['change-point|latency'] },
  initialState: () => ({}),
  evaluate(ctx, state) {
    const c = ctx.config.changePoint;
    const r = c.shiftRatio;
    const out: Evaluation[] = [];
    const bucketStart = ctx.nowMs - ctx.config.bucketMs;
    const thresholdOf = (s: SeriesState): number => c.threshold - Math.log(ctx.config.coldAlphaFactor) * (1 - ctx.warmth(s.firstMs));
    const evaluateOne = (
      s: SeriesState,
      metric: 'error_rate' | 'latency',
      key: string,
      windowedKey: string,
      cusum: Cusum,
      base: number,
      unit: string,
      minShift: number,
    ): void => {
      const h = thresholdOf(s);
      if (ctx.isFiring(windowedKey)) {
        cusum.sum = 0;
        return;
      }
      // The shift has ended: a new one must be judged on its own evidence, not on the old sum.
      if (ctx.isFiring(key) && (cusum.recovery ?? 0) >= RECOVERY_FACTOR * h) cusum.sum = 0;
      // The evidence adds up in the sum; the shift it measured must still be one that matters.
      const shift = cusum.events / Math.max(1, cusum.requests) - base;
      const anomalous = cusum.sum > h && cusum.events >= c.minEvents && shift >= minShift;
      const state = anomalous ? 'anomalous' : cusum.sum > h / 4 ? 'elevated' : 'normal';
      if (state === 'normal' && !ctx.isFiring(key)) return;
      const subject = { service: s.service, ...(s.kind === 'edge' ? { peer: s.peer } : { route: s.route }), metric };
      const evaluation: Evaluation = { key, kind: 'change-point', subject, state };
      if (anomalous) {
        const observed = cusum.events / Math.max(1, cusum.requests);
        const what = metric === 'error_rate' ? 'error ratio' : `share of requests slower than the usual p90`;
        evaluation.draft = {
          startedAtMs: cusum.sinceMs,
          window: { fromMs: cusum.sinceMs, toMs: ctx.nowMs },
          observed,
          baseline: base,
          unit,
          pValue: Math.exp(-cusum.sum),
          score: scoreOf(Math.exp(-cusum.sum), observed / Math.max(base, 1e-6)),
          summary:
            `${subjectName(s.service, s.route, s.peer)}: sustained shift in ${what} since ${duration(ctx.nowMs - cusum.sinceMs)} ago, ` +
            `${percent(observed)} vs ${percent(base)} usual (${count(cusum.events)} of ${count(cusum.requests)} requests; CUSUM ${cusum.sum.toFixed(1)} > ${h.toFixed(1)})`,
          evidence: { events: cusum.events, requests: cusum.requests, cusum: cusum.sum, threshold: h },
        };
      }
      out.push(evaluation);
    };
    for (const s of ctx.series) {
      if (!ctx.judgedSeries(s)) continue;
      const b = s.history[s.history.length - 1];
      if (!b) continue;
      const cap = CAP_FACTOR * thresholdOf(s);
      const { usual: p0, tested } = errorNullRatio(s, ctx.nowMs, ctx.config);
      const errKey = `change-point|errors|${s.id}`;
      // In control is anything up to the usual ratio plus what cannot count as a shift; the shift
      // looked for is at least the minimum increase that matters. A move from 0.1% to 0.5% doubles
      // the ratio but fails no one who matters, so it drifts down instead of adding up.
      const p1 = Math.max(r * p0, p0 + ctx.config.errorRate.minIncrease, tested * 1.2);
      const errLlr = b.errors * Math.log(p1 / tested) - b.requests * (p1 - tested);
      const errCusum = step(state, errKey, errLlr, b.errors, b.requests, bucketStart, cap);
      evaluateOne(s, 'error_rate', errKey, `error-rate|${s.id}`, errCusum, p0, 'ratio', ctx.config.errorRate.minIncrease / 2);

      if (s.latency.count < LATENCY_BASELINE_SAMPLES) continue;
      const latKey = `change-point|latency|${s.id}`;
      const q0 = Math.min(0.5, (1 - ctx.config.latency.referenceQuantile) * SLOW_SHARE_SLACK);
      const q1 = Math.min(0.95, q0 * r);
      const slow = b.latency.count > 0 ? Math.round(countAbove(b.latency, s.latencyRef.reference)) : 0;
      const llr = slow * Math.log(q1 / q0) + (b.requests - slow) * Math.log((1 - q1) / (1 - q0));
      const latCusum = step(state, latKey, llr, slow, b.requests, bucketStart, cap);
      evaluateOne(s, 'latency', latKey, `latency|${s.id}`, latCusum, q0, 'ratio', 0);
    }
    return out;
  },
};
