// The shape of an SLO, shared by vigil.yaml's `slos:` section and POST /api/v1/slos: validated
// once at the boundary (every problem with its place), then handed to the pure engine as plain values.
import { z } from 'zod';

const dayMs = 86_400_000;
const unitMs: Record<string, number> = { h: 3_600_000, d: dayMs, w: 7 * dayMs };
/** The multiwindow rules' factors assume a window of weeks (the workbook's 30 days); 90 days bounds the hourly ring. */
export const minWindowMs = 7 * dayMs;
export const maxWindowMs = 90 * dayMs;

/** Milliseconds in a whole-hours window such as `30d`, `4w`, `720h`; undefined when malformed. */
export function parseSloWindow(text: string): number | undefined {
  const m = /^(\d+)(h|d|w)$/.exec(text.trim());
  return m ? Number(m[1]) * (unitMs[m[2] ?? ''] ?? Number.NaN) : undefined;
}

const label = z.string().trim().min(1).max(200);

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
const pattern = z.string().max(500).refine(compiles, 'not a valid regular expression');

/** An attribute's value: equal to a string, or not, or (not) matching a whole-value regular expression such as "5..". */
const attributeMatch = z.union([
  z.string().max(500),
  z.object({ not: z.string().max(500) }).strict(),
  z.object({ regex: pattern }).strict(),
  z.object({ notRegex: pattern }).strict(),
]);

/** Attribute values a metric's points must have, by attribute name (alert rules narrow their metric with it too). */
export const metricWhereSchema = z.record(z.string().min(1).max(200), attributeMatch);

/** Points of one metric of the SLO's service, narrowed by attribute values (point attributes, then resource ones). */
export const metricSelectorSchema = z
  .object({
    name: z.string().trim().min(1).max(300),
    where: metricWhereSchema.optional(),
  })
  .strict();

/**
 * An SLO from a metric's good/total ratio instead of spans: counts of events (monotonic sums, or
 * histograms and summaries by their count), cumulative ones by their increase. `total` with `good`
 * or `bad`; a latency SLO may instead take its good events from `total`'s histogram buckets up to
 * `thresholdMs` (`unit` tells the buckets' unit when the metric does not).
 */
export const sloMetricSchema = z
  .object({
    total: metricSelectorSchema,
    good: metricSelectorSchema.optional(),
    bad: metricSelectorSchema.optional(),
    unit: z.enum(['s', 'ms', 'us', 'ns']).optional(),
  })
  .strict();
export type SloMetric = z.output<typeof sloMetricSchema>;
export type MetricSelector = z.output<typeof metricSelectorSchema>;

export const sloDefinitionSchema = z
  .object({
    name: label,
    service: label,
    /** "METHOD /path" (the span's route) or the span name; absent: every entry point of the service. */
    route: z.string().trim().min(1).max(500).optional(),
    /** Counted from a metric's good/total ratio rather than from the service's entry spans. */
    metric: sloMetricSchema.optional(),
    objective: z.enum(['availability', 'latency']),
    /** Fraction of good requests, e.g. 0.999. */
    target: z.number().gt(0.5, 'target is a fraction such as 0.999 (above 0.5)').lt(1, 'target is a fraction below 1, such as 0.999'),
    /** Latency objectives: a request is good when it ends within this many milliseconds. */
    thresholdMs: z.number().positive().max(3_600_000).optional(),
    window: z
      .string()
      .default('30d')
      .refine((w) => {
        const ms = parseSloWindow(w);
        return ms !== undefined && ms >= minWindowMs && ms <= maxWindowMs;
      }, 'window is a duration from 7d to 90d such as "30d", "28d" or "4w"'),
    description: z.string().max(2_000).optional(),
  })
  .strict()
  .superRefine((slo, ctx) => {
    const m = slo.metric;
    const counted = m !== undefined && (m.good !== undefined || m.bad !== undefined);
    if (slo.objective === 'latency' && slo.thresholdMs === undefined && !counted)
      ctx.addIssue({ code: 'custom', path: ['thresholdMs'], message: 'a latency SLO needs thresholdMs (e.g. 300 or "300ms")' });
    if (slo.objective === 'availability' && slo.thresholdMs !== undefined)
      ctx.addIssue({ code: 'custom', path: ['thresholdMs'], message: 'thresholdMs applies to latency SLOs only' });
    if (!m) return;
    if (counted && slo.thresholdMs !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['thresholdMs'],
        message: 'thresholdMs reads histogram buckets; with metric.good or metric.bad the counts say what is good',
      });
    if (m.good && m.bad) ctx.addIssue({ code: 'custom', path: ['metric', 'bad'], message: 'a metric SLO counts good or bad events, not both' });
    if (slo.objective === 'availability' && !counted)
      ctx.addIssue({
        code: 'custom',
        path: ['metric', 'good'],
        message: 'an availability SLO from a metric needs metric.good or metric.bad beside metric.total',
      });
    if (m.unit !== undefined && (counted || slo.objective !== 'latency'))
      ctx.addIssue({ code: 'custom', path: ['metric', 'unit'], message: "metric.unit is the histogram buckets' unit, for a latency SLO read from them" });
    if (slo.route !== undefined)
      ctx.addIssue({ code: 'custom', path: ['route'], message: 'route applies to SLOs from spans; narrow a metric with where: {http.route: "/pay"}' });
  });

export type SloDefinition = z.output<typeof sloDefinitionSchema>;
export type SloDefinitionInput = z.input<typeof sloDefinitionSchema>;

/** vigil.yaml `slos:` — names are unique because incidents and the API refer to SLOs by name. */
export const slosConfigSchema = z.array(sloDefinitionSchema).superRefine((slos, ctx) => {
  const seen = new Set<string>();
  slos.forEach((slo, i) => {
    if (seen.has(slo.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `another SLO is already named "${slo.name}"` });
    seen.add(slo.name);
  });
});
