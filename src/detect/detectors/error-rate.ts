// Error-rate detector: a binomial tail test of the window's errors against the usual ratio, so
// 5 errors in 10 requests and 5 in 10,000 are judged by their volume, plus a minimum error count
// and effect size so low-traffic routes stay quiet. Runs for entry routes and client edges.
import type { Detector, Evaluation } from '../detector.js';
import { windowOf, dominantVersion } from '../red.js';
import { binomialUpperTail } from '../stats.js';
import { count, duration, pValue, percent, scoreOf, subjectName } from '../format.js';
import { baselineErrorRatio, bucketsIn, onsetOf } from './window.js';

export const errorRateDetector: Detector<Record<string, never>> = {
  name: 'error-rate',
  initialState: () => ({}),
  evaluate(ctx) {
    const c = ctx.config.errorRate;
    const buckets = bucketsIn(c.windowMs, ctx.config);
    const out: Evaluation[] = [];
    for (const s of ctx.series) {
      if (!ctx.judged(s.firstMs)) continue;
      const key = `error-rate|${s.id}`;
      const w = windowOf(s, buckets);
      if (w.requests === 0 && !ctx.isFiring(key)) continue;
      const p0 = baselineErrorRatio(s, ctx.nowMs, ctx.config);
      const observed = w.requests > 0 ? w.errors / w.requests : 0;
      const pv = binomialUpperTail(w.errors, w.requests, p0);
      const minRatio = ctx.effectFor(c.minRatio, s.firstMs);
      const alpha = ctx.alphaFor(c.alpha, s.firstMs);
      const version = dominantVersion(w, true);
      const subject = s.kind === 'edge' ? { service: s.service, peer: s.peer, version } : { service: s.service, route: s.route, version };
      const anomalous = w.errors >= c.minErrors && observed >= minRatio * p0 && observed - p0 >= c.minIncrease && pv < alpha;
      const stillHigh = w.errors >= c.minErrors / 2 && observed >= (1 + (minRatio - 1) / 2) * p0 && observed - p0 >= c.minIncrease / 2 && pv < Math.sqrt(alpha);
      const state = anomalous ? 'anomalous' : stillHigh ? 'elevated' : 'normal';
      const evaluation: Evaluation = { key, kind: 'error-rate', subject, state };
      if (anomalous) {
        const midpoint = (p0 + observed) / 2;
        const startedAtMs = onsetOf(s.history, buckets, ctx.nowMs, ctx.config, (b) => (b.requests === 0 ? undefined : b.errors / b.requests >= midpoint));
        const what = s.kind === 'edge' ? 'failed calls' : 'errors';
        evaluation.finding = {
          startedAtMs,
          window: { fromMs: ctx.nowMs - buckets * ctx.config.bucketMs, toMs: ctx.nowMs },
          observed,
          baseline: p0,
          unit: 'ratio',
          pValue: pv,
          score: scoreOf(pv, observed / Math.max(p0, 1e-6)),
          summary:
            `${subjectName(s.service, s.route, s.peer)}${version ? ` (version ${version})` : ''}: ${percent(observed)} ${what} over ${duration(c.windowMs)} ` +
            `vs ${percent(p0)} usual; ${count(w.errors)} of ${count(w.requests)} requests; ${pValue(pv)}`,
          evidence: { requests: w.requests, errors: w.errors, baselineRatio: p0, windowMs: c.windowMs },
        };
      }
      out.push(evaluation);
    }
    return out;
  },
};
