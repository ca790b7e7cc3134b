// Throughput detector: drops against the seasonal expectation (Poisson lower tail, after a
// tolerance for normal deviation), and surges, which only signal when errors rise with them:
// a marketing surge that the service absorbs is information, not an alarm.
import type { Detector, Evaluation } from '../detector.js';
import { expectedAt } from '../baseline.js';
import { rateParams, windowOf, dominantVersion, type RedSeries } from '../red.js';
import { poissonLowerTail, poissonUpperTail } from '../stats.js';
import type { DetectionConfig } from '../config.js';
import { count, duration, pValue, percent, scoreOf, subjectName } from '../format.js';
import { baselineErrorRatio, bucketsIn, onsetOf } from './window.js';

/** Expected requests per closed bucket over the last `buckets` buckets, oldest first. */
function expectations(s: RedSeries, buckets: number, nowMs: number, config: DetectionConfig): number[] {
  const params = rateParams(config);
  const out: number[] = [];
  for (let back = buckets - 1; back >= 0; back--) out.push(expectedAt(s.requests, nowMs - back * config.bucketMs, params));
  return out;
}

export const throughputDetector: Detector<Record<string, never>> = {
  name: 'throughput',
  initialState: () => ({}),
  evaluate(ctx) {
    const c = ctx.config.throughput;
    const buckets = bucketsIn(c.windowMs, ctx.config);
    const out: Evaluation[] = [];
    for (const s of ctx.series) {
      if (s.kind !== 'route' || !ctx.judged(s.firstMs)) continue;
      const perBucket = expectations(s, buckets, ctx.nowMs, ctx.config);
      const expected = perBucket.reduce((a, b) => a + b, 0);
      const w = windowOf(s, buckets);
      const n = w.requests;
      const alpha = ctx.alphaFor(c.alpha, s.firstMs);
      const window = { fromMs: ctx.nowMs - buckets * ctx.config.bucketMs, toMs: ctx.nowMs };
      const name = subjectName(s.service, s.route, '');
      const offset = s.history.length - buckets;

      const dropKey = `throughput-drop|${s.id}`;
      const dropRatio = ctx.effectFor(1 / (1 - c.minDrop), s.firstMs);
      const dropP = poissonLowerTail(n, expected * (1 - c.tolerance));
      const dropAnomalous = expected >= c.minExpected && n * dropRatio <= expected && dropP < alpha;
      const dropState = dropAnomalous ? 'anomalous' : n < expected * (1 - c.minDrop / 2) && expected >= c.minExpected / 2 ? 'elevated' : 'normal';
      const drop: Evaluation = { key: dropKey, kind: 'throughput-drop', subject: { service: s.service, route: s.route, version: dominantVersion(w, false) }, state: dropState };
      if (dropAnomalous) {
        drop.finding = {
          startedAtMs: onsetOf(s.history, buckets, ctx.nowMs, ctx.config, (b, i) => b.requests < (perBucket[i - offset] ?? 0) * (1 - c.minDrop / 2)),
          window,
          observed: n,
          baseline: expected,
          unit: 'count',
          pValue: dropP,
          score: scoreOf(dropP, expected / Math.max(n, 1)),
          summary: `${name}: ${count(n)} requests over ${duration(c.windowMs)} vs ${count(expected)} expected at this time (${percent(1 - n / expected)} fewer); ${pValue(dropP)}`,
          evidence: { requests: n, expected, windowMs: c.windowMs },
        };
      }
      if (dropState !== 'normal' || ctx.isFiring(dropKey)) out.push(drop);

      const surgeKey = `throughput-surge|${s.id}`;
      const p0 = baselineErrorRatio(s, ctx.nowMs, ctx.config);
      const errorRatio = n > 0 ? w.errors / n : 0;
      const errorsRise = w.errors >= ctx.config.errorRate.minErrors && errorRatio >= ctx.config.errorRate.minRatio * p0;
      const surgeP = poissonUpperTail(n, expected * (1 + c.tolerance));
      const surging = expected >= c.minExpected && n >= c.surgeFactor * expected && surgeP < alpha;
      const surgeState = surging && errorsRise ? 'anomalous' : surging ? 'elevated' : 'normal';
      const surge: Evaluation = { key: surgeKey, kind: 'throughput-surge', subject: { service: s.service, route: s.route, version: dominantVersion(w, true) }, state: surgeState };
      if (surgeState === 'anomalous') {
        surge.finding = {
          startedAtMs: onsetOf(s.history, buckets, ctx.nowMs, ctx.config, (b, i) => b.requests > (perBucket[i - offset] ?? 0) * ((1 + c.surgeFactor) / 2)),
          window,
          observed: n,
          baseline: expected,
          unit: 'count',
          pValue: surgeP,
          score: scoreOf(surgeP, n / Math.max(expected, 1)),
          summary:
            `${name}: traffic surge of ${count(n)} requests over ${duration(c.windowMs)} vs ${count(expected)} expected (×${(n / expected).toFixed(1)}) ` +
            `with ${percent(errorRatio)} errors vs ${percent(p0)} usual; ${pValue(surgeP)}`,
          evidence: { requests: n, expected, errors: w.errors, baselineErrorRatio: p0 },
        };
      }
      if (surgeState !== 'normal' || ctx.isFiring(surgeKey)) out.push(surge);
    }
    return out;
  },
};
