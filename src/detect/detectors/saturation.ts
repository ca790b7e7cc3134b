// Saturation and its forecast for gauges with a known limit (pools, memory, disk, queues):
// fires when usage stays above the threshold share of the limit, and earlier when a robust
// (Theil–Sen) slope says the limit will be reached within the horizon.
import { z } from 'zod';
import { detectorSettings, type Detector, type Evaluation } from '../detector.js';
import type { GaugeSeries } from '../gauges.js';
import { theilSenSlope } from '../stats.js';
import { count, duration, percent } from '../format.js';
import { positive } from './verdict.js';

/** A forecast needs a rise worth this share of the limit over the window to be called a trend. */
const MIN_RISE_SHARE = 0.05;

function latest(g: GaugeSeries): [number, number, number] | undefined {
  return g.points[g.points.length - 1];
}

function describeValue(value: number, limit: number, unit: string): string {
  if (limit === 1) return percent(value);
  return `${count(value)} of ${count(limit)}${unit && unit !== '1' && unit !== '{connection}' ? ` ${unit}` : ''}`;
}

/** This detector's section of `detect:` in vigil.yaml (`saturation`): every field, checked, with its default. */
const saturationSchema = z
  .object({
    threshold: z.number().gt(0).max(1),
    horizonMs: positive,
    windowMs: positive,
    minPoints: z.number().int().min(3),
    /** Limits for gauges that carry none themselves, by metric name (e.g. process.memory.usage). */
    limits: z.record(z.string(), positive),
  })
  .strict();

export const saturationSettings = detectorSettings('saturation', saturationSchema, {
  threshold: 0.9,
  horizonMs: 30 * 60_000,
  windowMs: 15 * 60_000,
  minPoints: 6,
  limits: {},
});

export const saturationDetector: Detector<Record<string, never>> = {
  name: 'saturation',
  initialState: () => ({}),
  evaluate(ctx) {
    const c = ctx.config.saturation;
    const out: Evaluation[] = [];
    for (const g of ctx.gauges) {
      const last = latest(g);
      if (!last) continue;
      const [t, value, limit] = last;
      const fresh = ctx.nowMs - t <= c.windowMs;
      const ratio = value / limit;
      const subject = { service: g.service, metric: g.metric, version: g.version };
      const name = `${g.service} ${g.metric}${g.attributes ? ` {${g.attributes}}` : ''}`;

      const satKey = `saturation|${g.id}`;
      const previous = g.points[g.points.length - 2];
      const sustained = fresh && ratio >= c.threshold && (previous === undefined || previous[1] / previous[2] >= c.threshold);
      const satState = sustained ? 'anomalous' : fresh && ratio >= c.threshold - 0.1 ? 'elevated' : 'normal';
      if (satState !== 'normal' || ctx.isFiring(satKey)) {
        const evaluation: Evaluation = { key: satKey, kind: 'saturation', subject, state: satState };
        if (sustained) {
          let onset = t;
          for (let i = g.points.length - 1; i >= 0; i--) {
            const p = g.points[i];
            if (!p || p[1] / p[2] < c.threshold) break;
            onset = p[0];
          }
          evaluation.draft = {
            startedAtMs: onset,
            window: { fromMs: onset, toMs: ctx.nowMs },
            observed: ratio,
            baseline: c.threshold,
            unit: 'ratio',
            pValue: Number.NaN,
            score: Math.min(1, 0.5 + (ratio - c.threshold) / (2 * (1 - c.threshold + 1e-9))),
            summary: `${name}: ${percent(ratio)} of its limit (${describeValue(value, limit, g.unit)}), above ${percent(c.threshold)} since ${duration(ctx.nowMs - onset)}`,
            evidence: { value, limit, ratio },
          };
        }
        out.push(evaluation);
      }

      const forecastKey = `saturation-forecast|${g.id}`;
      let forecastState: 'anomalous' | 'elevated' | 'normal' = 'normal';
      let slope = 0;
      let timeToLimit = Number.POSITIVE_INFINITY;
      if (fresh && g.points.length >= c.minPoints && ratio < 1) {
        slope = theilSenSlope(
          g.points.map((p) => p[0] - t),
          g.points.map((p) => p[1]),
        );
        const first = g.points[0];
        const span = first ? t - first[0] : 0;
        // Half a window at least: one GC sawtooth or a process warming up is not a trend.
        const trend = slope > 0 && span >= c.windowMs / 2 && slope * span >= MIN_RISE_SHARE * limit;
        timeToLimit = slope > 0 ? (limit - value) / slope : Number.POSITIVE_INFINITY;
        if (trend && timeToLimit <= c.horizonMs && ratio < c.threshold) forecastState = 'anomalous';
        else if (slope > 0 && timeToLimit <= 2 * c.horizonMs) forecastState = 'elevated';
      }
      if (forecastState !== 'normal' || ctx.isFiring(forecastKey)) {
        const evaluation: Evaluation = { key: forecastKey, kind: 'saturation-forecast', subject, state: forecastState };
        if (forecastState === 'anomalous') {
          const first = g.points[0];
          evaluation.draft = {
            startedAtMs: first ? first[0] : t,
            window: { fromMs: first ? first[0] : t, toMs: ctx.nowMs },
            observed: ratio,
            baseline: 1,
            unit: 'ratio',
            pValue: Number.NaN,
            score: Math.min(1, Math.max(0.3, 1 - timeToLimit / c.horizonMs)),
            summary:
              `${name}: at ${percent(ratio)} of its limit (${describeValue(value, limit, g.unit)}) and rising ${percent((slope * 60_000) / limit)} of the limit per min; ` +
              `reaches it in about ${duration(timeToLimit)}`,
            evidence: { value, limit, slopePerMin: slope * 60_000, timeToLimitMs: Math.round(timeToLimit) },
          };
        }
        out.push(evaluation);
      }
    }
    return out;
  },
};
