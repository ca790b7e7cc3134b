// Throughput detector: drops against the seasonal expectation (Poisson lower tail, after a
// tolerance for normal deviation) over a short and a long window, and surges, which only signal
// when errors rise with them: a marketing surge that the service absorbs is information, not an alarm.
import { z } from 'zod';
import { detectorSettings, type Detector, type DetectorContext, type Evaluation, type EvaluationState, type SignalDraft } from '../detector.js';
import { expectedAt } from '../baseline.js';
import { rateParams, dominantVersion, type SeriesState } from '../red.js';
import { binomialUpperTail, poissonLowerTail, poissonUpperTail } from '../stats.js';
import { count, duration, pValue, percent, scoreOf, subjectName } from '../format.js';
import { positive, probability, strongestVerdict, withDraft } from './verdict.js';
import { baselineErrorRatio, bucketsIn, onsetOf } from './window.js';

interface Verdict {
  state: EvaluationState;
  pv: number;
  draft?: SignalDraft;
}

/** Expected requests per closed bucket over the last `buckets` buckets, oldest first. */
function expectations(ctx: DetectorContext, s: SeriesState, buckets: number): number[] {
  const params = rateParams(ctx.config);
  const out: number[] = [];
  for (let back = buckets - 1; back >= 0; back--) out.push(expectedAt(s.requests, ctx.nowMs - back * ctx.config.bucketMs, params));
  return out;
}

function judgeDrop(ctx: DetectorContext, s: SeriesState, windowMs: number, perBucketAll: readonly number[]): Verdict {
  const c = ctx.config.throughput;
  const buckets = bucketsIn(windowMs, ctx.config);
  const perBucket = perBucketAll.slice(-buckets);
  const expected = perBucket.reduce((a, b) => a + b, 0);
  const n = ctx.window(s, buckets).requests;
  if (expected < c.minExpected / 2) return { state: 'normal', pv: 1 };
  const dropRatio = ctx.effectFor(1 / (1 - c.minDrop), s.firstMs);
  if (n * dropRatio > expected) return { state: n < expected * (1 - c.minDrop / 2) ? 'elevated' : 'normal', pv: 1 };
  const pv = poissonLowerTail(n, expected * (1 - c.tolerance));
  const alpha = ctx.alphaFor(c.alpha, s.firstMs);
  if (expected < c.minExpected || pv >= alpha) return { state: 'elevated', pv };
  const offset = s.history.length - buckets;
  return {
    state: 'anomalous',
    pv,
    draft: {
      startedAtMs: onsetOf(s.history, buckets, ctx.nowMs, ctx.config, (b, i) => b.requests < (perBucket[i - offset] ?? 0) * (1 - c.minDrop / 2)),
      window: { fromMs: ctx.nowMs - buckets * ctx.config.bucketMs, toMs: ctx.nowMs },
      observed: n,
      baseline: expected,
      unit: 'count',
      pValue: pv,
      score: scoreOf(pv, expected / Math.max(n, 1)),
      summary: `${subjectName(s.service, s.route, '')}: ${count(n)} requests over ${duration(windowMs)} vs ${count(expected)} expected at this time (${percent(1 - n / expected)} fewer); ${pValue(pv)}`,
      evidence: { requests: n, expected, windowMs },
    },
  };
}

function judgeSurge(ctx: DetectorContext, s: SeriesState, perBucketAll: readonly number[]): Verdict {
  const c = ctx.config.throughput;
  const buckets = bucketsIn(c.longWindowMs, ctx.config);
  const perBucket = perBucketAll.slice(-buckets);
  const expected = perBucket.reduce((a, b) => a + b, 0);
  const w = ctx.window(s, buckets);
  const n = w.requests;
  // A surge well short of `surgeFactor` is still "elevated": the baseline must not learn it, or
  // the return to normal afterwards would look like a drop.
  if (expected < c.minExpected || n < (1 + (c.surgeFactor - 1) / 4) * expected) return { state: 'normal', pv: 1 };
  const surgeP = poissonUpperTail(n, expected * (1 + c.tolerance));
  if (surgeP >= ctx.alphaFor(c.alpha, s.firstMs)) return { state: 'normal', pv: surgeP };
  if (n < c.surgeFactor * expected) return { state: 'elevated', pv: surgeP };
  const p0 = baselineErrorRatio(s, ctx.nowMs, ctx.config);
  const errorRatio = w.errors / n;
  const errorsRise =
    w.errors >= ctx.config.errorRate.minErrors &&
    errorRatio >= ctx.config.errorRate.minRatio * p0 &&
    binomialUpperTail(w.errors, n, p0) < ctx.alphaFor(ctx.config.errorRate.alpha, s.firstMs);
  if (!errorsRise) return { state: 'elevated', pv: surgeP };
  const offset = s.history.length - buckets;
  return {
    state: 'anomalous',
    pv: surgeP,
    draft: {
      startedAtMs: onsetOf(s.history, buckets, ctx.nowMs, ctx.config, (b, i) => b.requests > (perBucket[i - offset] ?? 0) * ((1 + c.surgeFactor) / 2)),
      window: { fromMs: ctx.nowMs - buckets * ctx.config.bucketMs, toMs: ctx.nowMs },
      observed: n,
      baseline: expected,
      unit: 'count',
      pValue: surgeP,
      score: scoreOf(surgeP, n / Math.max(expected, 1)),
      summary:
        `${subjectName(s.service, s.route, '')}: traffic surge of ${count(n)} requests over ${duration(c.longWindowMs)} vs ${count(expected)} expected (×${(n / expected).toFixed(1)}) ` +
        `with ${percent(errorRatio)} errors vs ${percent(p0)} usual; ${pValue(surgeP)}`,
      evidence: { requests: n, expected, errors: w.errors, baselineErrorRatio: p0 },
    },
  };
}

/** This detector's section of `detect:` in vigil.yaml (`throughput`): every field, checked, with its default. */
const throughputSchema = z
  .object({
    windowMs: positive,
    longWindowMs: positive,
    alpha: probability,
    minDrop: z.number().gt(0).lt(1),
    minExpected: z.number().min(0),
    /** Part of the expectation allowed as normal deviation before the Poisson test starts. */
    tolerance: z.number().min(0).lt(1),
    surgeFactor: z.number().gt(1),
  })
  .strict();

export const throughputSettings = detectorSettings('throughput', throughputSchema, {
  windowMs: 30_000,
  longWindowMs: 120_000,
  alpha: 1e-7,
  minDrop: 0.5,
  minExpected: 20,
  tolerance: 0.25,
  surgeFactor: 3,
});

export const throughputDetector: Detector<Record<string, never>> = {
  name: 'throughput',
  holdsBaselines: { requests: ['throughput-drop', 'throughput-surge'] },
  initialState: () => ({}),
  evaluate(ctx) {
    const c = ctx.config.throughput;
    const longest = bucketsIn(Math.max(c.windowMs, c.longWindowMs), ctx.config);
    const out: Evaluation[] = [];
    for (const s of ctx.series) {
      if (s.kind !== 'route' || !ctx.judgedSeries(s)) continue;
      const perBucket = expectations(ctx, s, longest);
      const dropKey = `throughput-drop|${s.id}`;
      const drop = strongestVerdict([c.windowMs, c.longWindowMs].map((windowMs) => judgeDrop(ctx, s, windowMs, perBucket)));
      if (drop && (drop.state !== 'normal' || ctx.isFiring(dropKey))) {
        const version = dominantVersion(ctx.window(s, bucketsIn(c.windowMs, ctx.config)), false);
        out.push(
          withDraft(
            { key: dropKey, kind: 'throughput-drop', subject: { service: s.service, route: s.route, version }, state: drop.state },
            drop,
            ctx.alphaFor(c.alpha, s.firstMs),
          ),
        );
      }
      const surgeKey = `throughput-surge|${s.id}`;
      const surge = judgeSurge(ctx, s, perBucket);
      if (surge.state !== 'normal' || ctx.isFiring(surgeKey)) {
        const version = dominantVersion(ctx.window(s, bucketsIn(c.longWindowMs, ctx.config)), true);
        const e: Evaluation = {
          key: surgeKey,
          kind: 'throughput-surge',
          subject: { service: s.service, route: s.route, version },
          state: surge.state,
          holdBaseline: true,
        };
        if (surge.draft) e.draft = surge.draft;
        out.push(e);
      }
    }
    return out;
  },
};
