// Answers of the assurance routes: SLOs, silences, alert rules, production confidence and
// synthetic checks — each as its route shapes it, field for field.
import { z } from 'zod';
import type { Confidence } from '../../confidence/index.js';
import type { SloView } from '../ports.js';
import { isoTime, type Documents } from './common.js';

const attributeMatchSchema = z.union([
  z.string(),
  z.object({ not: z.string() }),
  z.object({ regex: z.string().describe('matches the whole value, as PromQL =~ does') }),
  z.object({ notRegex: z.string() }),
]);
const metricSelectorSchema = z
  .object({
    name: z.string(),
    where: z.record(z.string(), attributeMatchSchema).optional().describe('attribute values the points must have (point attributes, then resource ones)'),
  })
  .meta({ id: 'SloMetricSelector' });
const sloMetricSchema = z.object({
  total: metricSelectorSchema,
  good: metricSelectorSchema.optional(),
  bad: metricSelectorSchema.optional(),
  unit: z.enum(['s', 'ms', 'us', 'ns']).optional().describe("the histogram buckets' unit, for a latency SLO read from them"),
});

export const sloSchema = z
  .object({
    name: z.string(),
    service: z.string(),
    route: z.string().optional(),
    objective: z.enum(['availability', 'latency']),
    target: z.number(),
    thresholdMs: z.number().optional(),
    metric: sloMetricSchema.optional().describe("counted from this metric's good/total ratio instead of the service's entry spans"),
    window: z.string(),
    attainment: z.number().nullable().describe('good over total requests in the window; null before any request'),
    errorBudgetRemaining: z.number().describe("fraction of the window's budget left; negative when overspent"),
    burnRates: z.object({ '5m': z.number(), '30m': z.number(), '1h': z.number(), '6h': z.number(), '3d': z.number() }),
    budgetExhaustedInMs: z.number().nullable(),
    forecast: z.string(),
    alerts: z.array(
      z.object({
        severity: z.enum(['page', 'ticket']),
        longWindow: z.string(),
        shortWindow: z.string(),
        threshold: z.number(),
        longBurn: z.number(),
        shortBurn: z.number(),
      }),
    ),
    status: z.enum(['ok', 'warning', 'breaching']),
    requests: z.object({ good: z.number(), total: z.number() }),
    source: z.enum(['config', 'api']),
    version: z.number().int(),
  })
  .meta({ id: 'Slo' });
export const sloListSchema = z.object({ slos: z.array(sloSchema) });

export const silenceSchema = z
  .object({
    id: z.string(),
    service: z.string().optional(),
    kind: z.string().optional(),
    startsAt: isoTime,
    endsAt: isoTime,
    expiredAt: isoTime.optional(),
    state: z.enum(['pending', 'active', 'expired']),
    comment: z.string(),
    createdBy: z.string(),
    createdAt: isoTime,
  })
  .meta({ id: 'Silence' });
export const silenceListSchema = z.object({ silences: z.array(silenceSchema) });

export const ruleSchema = z
  .object({
    name: z.string(),
    service: z.string(),
    route: z.string().optional(),
    metric: z.string().optional().describe('a counter is judged by its increase per second, other metrics by the mean of their points'),
    where: z.record(z.string(), attributeMatchSchema).optional().describe("the metric's points with these attribute values only"),
    red: z.enum(['errorRate', 'p95Ms', 'requestsPerMinute']).optional(),
    kind: z.enum(['threshold', 'anomaly']),
    above: z.number().optional(),
    below: z.number().optional(),
    sensitivity: z.number(),
    direction: z.enum(['up', 'down', 'both']),
    window: z.string(),
    for: z.string(),
    description: z.string().optional(),
    source: z.enum(['config', 'api']),
    state: z.enum(['inactive', 'pending', 'firing']),
    value: z.number().nullable().describe('the value over the window now; null without data'),
    baseline: z.number().optional(),
    score: z.number().optional(),
    since: isoTime.optional(),
  })
  .meta({ id: 'AlertRule' });
export const ruleListSchema = z.object({ rules: z.array(ruleSchema) });

export const confidenceSchema = z
  .object({
    service: z.string(),
    level: z.enum(['high', 'medium', 'low']),
    score: z.number().describe('0-100'),
    reasons: z.array(z.string()),
    factors: z.array(z.object({ factor: z.string(), points: z.number(), detail: z.string() })),
  })
  .meta({ id: 'Confidence' });
const confidenceLevel = z.enum(['high', 'medium', 'low']);
export const confidenceListSchema = z.object({
  overall: z
    .object({
      level: confidenceLevel,
      safeToStopWatching: z.boolean(),
      answer: z.string(),
      counts: z.object({ high: z.number().int(), medium: z.number().int(), low: z.number().int() }),
    })
    .describe('"is it safe to stop watching?" for all of production: the weakest service decides'),
  services: z.array(confidenceSchema),
});

export const checkListSchema = z.object({
  checks: z.array(
    z.object({
      name: z.string(),
      kind: z.string(),
      service: z.string().optional(),
      critical: z.boolean(),
      smoke: z.boolean(),
      everyMs: z.number(),
      status: z.enum(['pending', 'passing', 'failing']),
      lastRun: z
        .object({
          at: isoTime,
          ok: z.boolean(),
          durationMs: z.number(),
          error: z.string().optional(),
          traceId: z.string().optional(),
        })
        .optional(),
    }),
  ),
});
export const checkRunsSchema = z.object({
  runs: z.array(
    z.object({
      at: isoTime,
      ok: z.boolean(),
      durationMs: z.number().int(),
      error: z.string().optional(),
      traceId: z.string().optional(),
      steps: z.array(z.unknown()).describe("a journey's steps as the runner recorded them"),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
});
export const checkPingSchema = z.object({ pinged: z.string(), at: isoTime });

// Domain records the routes pass through unchanged: their fields are documented exactly.
export type ConfidenceDocumented = Documents<typeof confidenceSchema, Confidence>;
export type SloDocumented = Documents<typeof sloSchema, SloView>;
