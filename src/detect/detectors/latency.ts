// Latency detector: percentile shifts (p50/p95) of the window against the decayed baseline
// distribution, with significance from how many requests exceed the usual p90 (a binomial tail):
// a handful of outliers moves neither the percentiles nor the count, so it is robust to them.
import { z } from 'zod';
import { detectorSettings, type Detector, type Evaluation } from '../detector.js';
import { dominantVersion } from '../red.js';
import { countAbove, quantile } from '../sketch.js';
import { binomialUpperTail } from '../stats.js';
import { count, duration, ms, pValue, percent, scoreOf, subjectName } from '../format.js';
import { bucketsIn, onsetOf } from './window.js';

/** Baseline requests needed before its percentiles mean anything. */
const MIN_BASELINE_SAMPLES = 50;
/** Slack on the expected exceedance share: sketch bins and slow drift move it a little. */
const EXCEEDANCE_SLACK = 1.5;

const positive = z.number().positive();
const probability = z.number().gt(0).lt(1);

/** This detector's section of `detect:` in vigil.yaml (`latency`): every field, checked, with its default. */
const latencySchema = z
  .object({
    windowMs: positive,
    alpha: probability,
    minSamples: z.number().int().min(1),
    minRatio: z.number().min(1),
    minDeltaMs: z.number().min(0),
    /** Requests slower than this baseline quantile are counted for the significance test. */
    referenceQuantile: z.number().gt(0.5).lt(1),
  })
  .strict();

export const latencySettings = detectorSettings('latency', latencySchema, {
  windowMs: 60_000,
  alpha: 1e-7,
  minSamples: 20,
  minRatio: 1.5,
  minDeltaMs: 20,
  referenceQuantile: 0.9,
});

export const latencyDetector: Detector<Record<string, never>> = {
  name: 'latency',
  holdsBaselines: { latency: ['latency'] },
  initialState: () => ({}),
  evaluate(ctx) {
    const c = ctx.config.latency;
    const buckets = bucketsIn(c.windowMs, ctx.config);
    const out: Evaluation[] = [];
    for (const s of ctx.series) {
      if (!ctx.judgedSeries(s) || s.latency.count < MIN_BASELINE_SAMPLES) continue;
      const key = `latency|${s.id}`;
      const { p50: base50, p95: base95, reference } = s.latencyRef;
      // Cheap gate before merging sketches and the exact tail: enough requests slower than usual.
      let slower = 0;
      let samples = 0;
      for (let i = Math.max(0, s.history.length - buckets); i < s.history.length; i++) {
        const b = s.history[i];
        if (!b || b.latency.count === 0) continue;
        slower += countAbove(b.latency, reference);
        samples += b.latency.count;
      }
      const expectedShare = Math.min(0.5, (1 - c.referenceQuantile) * EXCEEDANCE_SLACK);
      if ((samples < c.minSamples / 2 || slower < expectedShare * samples * 1.2) && !ctx.isFiring(key)) continue;
      const w = ctx.window(s, buckets, true);
      const p50 = quantile(w.latency, 0.5);
      const p95 = quantile(w.latency, 0.95);
      const p99 = quantile(w.latency, 0.99);
      const pv = binomialUpperTail(Math.round(slower), Math.round(w.latency.count), expectedShare);
      const ratio = Math.max(p50 / Math.max(base50, 1e-6), p95 / Math.max(base95, 1e-6));
      const delta = Math.max(p50 - base50, p95 - base95);
      const minRatio = ctx.effectFor(c.minRatio, s.firstMs);
      const alpha = ctx.alphaFor(c.alpha, s.firstMs);
      const anomalous = w.requests >= c.minSamples && ratio >= minRatio && delta >= c.minDeltaMs && pv < alpha;
      const stillHigh = w.requests >= c.minSamples / 2 && ratio >= 1 + (minRatio - 1) / 2 && pv < Math.sqrt(alpha);
      const version = dominantVersion(w, false);
      const subject = s.kind === 'edge' ? { service: s.service, peer: s.peer, version } : { service: s.service, route: s.route, version };
      const evaluation: Evaluation = { key, kind: 'latency', subject, state: anomalous ? 'anomalous' : stillHigh ? 'elevated' : 'normal' };
      if (anomalous) {
        const startedAtMs = onsetOf(s.history, buckets, ctx.nowMs, ctx.config, (b) =>
          b.latency.count === 0 ? undefined : quantile(b.latency, 0.5) >= (base50 + p50) / 2 || quantile(b.latency, 0.95) >= (base95 + p95) / 2,
        );
        const share = slower / Math.max(1, w.latency.count);
        evaluation.draft = {
          startedAtMs,
          window: { fromMs: ctx.nowMs - buckets * ctx.config.bucketMs, toMs: ctx.nowMs },
          observed: p95,
          baseline: base95,
          unit: 'ms',
          pValue: pv,
          score: scoreOf(pv, ratio),
          summary:
            `${subjectName(s.service, s.route, s.peer)}${version ? ` (version ${version})` : ''}: p95 ${ms(p95)} (p50 ${ms(p50)}) over ${duration(c.windowMs)} ` +
            `vs ${ms(base95)} (p50 ${ms(base50)}) usual; ${percent(share)} of ${count(w.requests)} requests slower than the usual p${Math.round(c.referenceQuantile * 100)} ` +
            `(${ms(reference)}); ${pValue(pv)}`,
          evidence: { requests: w.requests, slower: Math.round(slower), p50, p95, p99, baselineP50: base50, baselineP95: base95, referenceMs: reference },
        };
      }
      out.push(evaluation);
    }
    return out;
  },
};
