// Silence detector: a service with steady traffic that stops sending anything. Only the advancing
// clock reveals it (the buckets close empty), so it is why the engine closes windows without data.
// Significance: the chance of seeing nothing when λ events were expected is e^−λ.
import { z } from 'zod';
import { detectorSettings, type Detector, type Evaluation } from '../detector.js';
import { expectedAt } from '../baseline.js';
import { rateParams } from '../red.js';
import { count, duration, pValue } from '../format.js';
import { positive, probability } from './verdict.js';
import { bucketsIn } from './window.js';

/** This detector's section of `detect:` in vigil.yaml (`silence`): every field, checked, with its default. */
const silenceSchema = z.object({ silenceMs: positive, alpha: probability, minExpectedPerMin: z.number().min(0) }).strict();

export const silenceSettings = detectorSettings('silence', silenceSchema, { silenceMs: 2 * 60_000, alpha: 1e-7, minExpectedPerMin: 5 });

export const silenceDetector: Detector<Record<string, never>> = {
  name: 'silence',
  holdsBaselines: { activity: ['silence'] },
  initialState: () => ({}),
  evaluate(ctx) {
    const c = ctx.config.silence;
    const buckets = bucketsIn(c.silenceMs, ctx.config);
    const params = rateParams(ctx.config);
    const out: Evaluation[] = [];
    for (const a of ctx.services) {
      if (!ctx.judged(a.firstMs) || (a.activeBuckets ?? Infinity) < ctx.config.minActiveBuckets) continue;
      const key = `silence|${a.service}`;
      const last = a.history[a.history.length - 1] ?? 0;
      if (last > 0) {
        if (ctx.isFiring(key)) out.push({ key, kind: 'silence', subject: { service: a.service }, state: 'normal' });
        continue;
      }
      const recent = a.history.slice(-buckets);
      if (recent.length < buckets || recent.some((n) => n > 0)) continue;
      let expected = 0;
      for (let back = 0; back < buckets; back++) expected += expectedAt(a.baseline, ctx.nowMs - back * ctx.config.bucketMs, params);
      const perMin = expected / (c.silenceMs / 60_000);
      const pv = Math.exp(-expected);
      const anomalous = perMin >= c.minExpectedPerMin && pv < ctx.alphaFor(c.alpha, a.firstMs);
      const evaluation: Evaluation = { key, kind: 'silence', subject: { service: a.service }, state: anomalous ? 'anomalous' : 'elevated' };
      if (anomalous) {
        const since = Math.max(a.lastSeenMs, ctx.nowMs - ctx.config.maxCatchUpMs);
        evaluation.draft = {
          startedAtMs: since,
          window: { fromMs: since, toMs: ctx.nowMs },
          observed: 0,
          baseline: perMin,
          unit: 'per_min',
          pValue: pv,
          score: Math.min(1, 0.6 + perMin / 1000),
          summary: `${a.service}: no spans or logs for ${duration(ctx.nowMs - since)} after steady traffic of about ${count(perMin)} per min; ${pValue(pv)}`,
          evidence: { expectedPerMin: perMin, lastSeenMs: a.lastSeenMs },
        };
      }
      out.push(evaluation);
    }
    return out;
  },
};
