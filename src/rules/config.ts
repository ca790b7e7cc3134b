// User-defined alert rules, from vigil.yaml `rules:` or POST /api/v1/rules: a threshold or an
// anomaly rule on a metric or a RED series (error rate, p95 latency, requests per minute) of a
// service's entry spans. Validated once at the boundary, every problem with its place.
import { z } from 'zod';
import { metricWhereSchema } from '../slo/index.js';

const durationText = /^(\d+)(s|m|h)$/;
const unitMs: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000 };

/** `30s`, `5m`, `1h` in ms; undefined when malformed. */
export function parseRuleDuration(text: string): number | undefined {
  const m = durationText.exec(text.trim());
  return m ? Number(m[1]) * (unitMs[m[2] ?? ''] ?? Number.NaN) : undefined;
}

const duration = (what: string, minMs: number, maxMs: number) =>
  z.string().refine(
    (d) => {
      const ms = parseRuleDuration(d);
      return ms !== undefined && ms >= minMs && ms <= maxMs;
    },
    `${what} is a duration from ${minMs / 1000}s to ${maxMs / 3_600_000}h such as "5m"`,
  );

/** What a rule may watch of a RED series (its `red:` field). */
export const redMeasures = ['errorRate', 'p95Ms', 'requestsPerMinute'] as const;
export type RedMeasure = (typeof redMeasures)[number];

export const alertRuleSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    service: z.string().trim().min(1).max(200),
    /** RED series only: one route ("POST /pay" or the span name); absent, all entry spans of the service. */
    route: z.string().trim().min(1).max(500).optional(),
    /**
     * A metric by name: a counter (monotonic sum) as its increase per second over the window,
     * anything else as the mean of its points (histograms: the mean observation) …
     */
    metric: z.string().trim().min(1).max(300).optional(),
    /** … of the points with these attribute values (as an SLO's metric `where`: equal, not, regex, notRegex). */
    where: metricWhereSchema.optional(),
    /** … or a RED series of the service's entry spans. */
    red: z.enum(redMeasures).optional(),
    kind: z.enum(['threshold', 'anomaly']).default('threshold'),
    /** Threshold rules: fire while the value is above and/or below these. */
    above: z.number().finite().optional(),
    below: z.number().finite().optional(),
    /** Anomaly rules: robust z-score against the last day of the same window, and which way counts. */
    sensitivity: z.number().min(2).max(20).default(4),
    direction: z.enum(['up', 'down', 'both']).default('both'),
    /** The window the value is computed over, in event time. */
    window: duration('window', 10_000, 6 * 3_600_000).default('5m'),
    /** How long the condition must hold before the rule fires (Prometheus `for`); 0s fires at once. */
    for: z
      .string()
      .refine((d) => d.trim() === '0s' || parseRuleDuration(d) !== undefined, 'for is a duration such as "0s", "2m"')
      .default('0s'),
    description: z.string().max(2_000).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if ((r.metric === undefined) === (r.red === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['metric'],
        message: 'a rule watches either a metric (metric: name) or a RED series (red: errorRate|p95Ms|requestsPerMinute)',
      });
    if (r.route !== undefined && r.metric !== undefined) ctx.addIssue({ code: 'custom', path: ['route'], message: 'route applies to RED series only' });
    if (r.where !== undefined && r.metric === undefined)
      ctx.addIssue({ code: 'custom', path: ['where'], message: 'where narrows a metric; a RED series takes a route' });
    if (r.kind === 'threshold' && r.above === undefined && r.below === undefined)
      ctx.addIssue({ code: 'custom', path: ['above'], message: 'a threshold rule needs above, below or both' });
    if (r.kind === 'anomaly' && (r.above !== undefined || r.below !== undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['above'],
        message: 'an anomaly rule learns its own bounds: use sensitivity and direction instead of above/below',
      });
  });

export type AlertRule = z.output<typeof alertRuleSchema>;
export type AlertRuleInput = z.input<typeof alertRuleSchema>;

/** vigil.yaml `rules:` — names are unique: signals and the API refer to rules by name. */
export const rulesConfigSchema = z.array(alertRuleSchema).superRefine((rules, ctx) => {
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    if (seen.has(r.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `another rule is already named "${r.name}"` });
    seen.add(r.name);
  });
});
