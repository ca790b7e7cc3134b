// Answers of the explore routes: spans, traces, logs, metric series and names, RED series, the
// services list, the log histogram, the service map and the coverage report. views.ts shapes spans
// and logs to these types, so the documented shape and the answer have one definition.
import { z } from 'zod';
import { attributesSchema, isoTime } from './common.js';

const exceptionSchema = z.object({ type: z.string(), message: z.string(), stacktrace: z.string() }).nullable();
const window = { from: isoTime.nullable(), to: isoTime.nullable() };

export const spanSchema = z
  .object({
    traceId: z.string(),
    spanId: z.string(),
    parentSpanId: z.string().nullable().describe('null for a root span'),
    name: z.string(),
    kind: z.enum(['unspecified', 'internal', 'server', 'client', 'producer', 'consumer']),
    service: z.string(),
    serviceVersion: z.string(),
    environment: z.string(),
    startTime: isoTime,
    startTimeUnixMicros: z.number().describe('the start in microseconds since the epoch (exact ordering)'),
    durationMs: z.number(),
    status: z.object({ code: z.enum(['unset', 'ok', 'error']), message: z.string() }),
    http: z.object({ method: z.string(), route: z.string(), statusCode: z.number().nullable() }).nullable(),
    db: z.object({ system: z.string(), namespace: z.string(), operation: z.string() }).nullable(),
    peerService: z.string().nullable(),
    userId: z.string().nullable(),
    exception: exceptionSchema,
    scope: z.string(),
    resourceAttributes: attributesSchema,
    attributes: attributesSchema,
    events: z.array(z.object({ time: isoTime, name: z.string(), attributes: attributesSchema })),
    links: z.array(z.object({ traceId: z.string(), spanId: z.string(), attributes: attributesSchema })),
  })
  .meta({ id: 'Span' });
export type SpanView = z.output<typeof spanSchema>;

export const logSchema = z
  .object({
    time: isoTime,
    timeUnixMicros: z.number(),
    observedTime: isoTime,
    service: z.string(),
    serviceVersion: z.string(),
    environment: z.string(),
    severityNumber: z.number().int(),
    severityText: z.string(),
    body: z.string(),
    traceId: z.string().nullable(),
    spanId: z.string().nullable(),
    userId: z.string().nullable(),
    exception: exceptionSchema,
    scope: z.string(),
    resourceAttributes: attributesSchema,
    attributes: attributesSchema,
  })
  .meta({ id: 'LogRecord' });
export type LogView = z.output<typeof logSchema>;

export const traceSchema = z.object({
  traceId: z.string(),
  startTime: isoTime.nullable(),
  durationMs: z.number(),
  services: z.array(z.string()),
  spanCount: z.number().int(),
  errorCount: z.number().int(),
  spans: z.array(spanSchema),
});

const nextCursor = z.string().nullable().describe('pass as cursor for the next page; null on the last');
export const spanPageSchema = z.object({ spans: z.array(spanSchema), nextCursor });
export const logPageSchema = z.object({ logs: z.array(logSchema), nextCursor });

const metricPointSchema = z.object({
  time: isoTime.nullable(),
  timeMs: z.number(),
  value: z.number().nullable(),
  min: z.number().optional(),
  max: z.number().optional(),
  count: z.number().optional(),
  p50: z.number().optional(),
  p95: z.number().optional(),
  p99: z.number().optional(),
});
export const metricSeriesSchema = z.object({
  name: z.string(),
  type: z.string().nullable(),
  unit: z.string(),
  temporality: z.string().nullable(),
  aggregation: z.string(),
  stepMs: z.number(),
  series: z.array(z.object({ labels: attributesSchema, points: z.array(metricPointSchema) })),
  truncated: z.boolean().describe('more series matched than limit'),
  ...window,
});

export const metricNamesSchema = z.object({
  ...window,
  metrics: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      unit: z.string(),
      description: z.string(),
      services: z.array(z.string()),
      points: z.number().int(),
      lastSeen: isoTime.nullable(),
    }),
  ),
});

const percentiles = { p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() };
export const redSeriesSchema = z.object({
  groupBy: z.enum(['service', 'route', 'version']),
  series: z.array(
    z.object({
      service: z.string(),
      route: z.string().optional(),
      version: z.string().optional(),
      points: z.array(
        z.object({
          time: isoTime.nullable(),
          timeMs: z.number(),
          requests: z.number(),
          errors: z.number(),
          ratePerSecond: z.number(),
          errorRate: z.number(),
          ...percentiles,
        }),
      ),
    }),
  ),
});

export const servicesSchema = z.object({
  ...window,
  services: z.array(
    z.object({
      service: z.string(),
      requests: z.number(),
      errors: z.number(),
      errorRate: z.number(),
      ratePerSecond: z.number(),
      ...percentiles,
      versions: z.array(z.string()),
      lastSeenMs: z.number().nullable(),
      lastSeen: isoTime.nullable(),
      signals: z.object({ spans: z.boolean(), logs: z.boolean(), metrics: z.boolean() }),
    }),
  ),
});

export const logHistogramSchema = z.object({
  ...window,
  stepMs: z.number(),
  buckets: z.array(z.object({ time: isoTime.nullable(), timeMs: z.number(), count: z.number().int(), errors: z.number().int() })),
});

const health = z.enum(['ok', 'warning', 'failing', 'idle']);
export const serviceMapSchema = z.object({
  ...window,
  nodes: z.array(
    z.object({
      name: z.string(),
      kind: z.enum(['service', 'database', 'cache', 'messaging', 'external']),
      versions: z.array(z.string()),
      entry: z.boolean(),
      requests: z.number(),
      errors: z.number(),
      errorRate: z.number().nullable(),
      p95Ms: z.number().nullable(),
      health,
    }),
  ),
  edges: z.array(
    z.object({
      caller: z.string(),
      callee: z.string(),
      calls: z.number(),
      errors: z.number(),
      errorRate: z.number(),
      p95Ms: z.number().nullable(),
      health,
      lastSeen: isoTime.nullable(),
      declared: z.boolean().describe("declared in vigil.yaml's topology (spans may show it too; calls 0 and lastSeen null when none has)"),
    }),
  ),
});

// Per-check details of the coverage report are the coverage module's (docs/coverage.md): open here.
const checkDetails = z.record(z.string(), z.unknown());
export const coverageSchema = z.object({
  from: isoTime,
  to: isoTime,
  score: z.number().describe('0-100'),
  services: z.array(checkDetails),
  routes: z.array(checkDetails),
  journeys: z.array(checkDetails),
  gaps: z.array(z.object({ service: z.string(), check: z.string(), weight: z.number(), text: z.string() })),
});

export const logPatternsSchema = z.object({
  ...window,
  baselineFrom: isoTime.nullable().describe('"new" means absent from baselineFrom to from'),
  totalPatterns: z.number().int(),
  totalLines: z.number().int(),
  patterns: z.array(
    z.object({
      service: z.string(),
      template: z.string(),
      count: z.number().int(),
      baselineCount: z.number().int(),
      new: z.boolean(),
      firstSeen: isoTime.nullable(),
      lastSeen: isoTime.nullable(),
      maxSeverity: z.number().int().describe('the highest OTLP severity number among its lines'),
      sample: z.object({
        time: isoTime.nullable(),
        severityText: z.string(),
        body: z.string(),
        traceId: z.string().nullable(),
      }),
    }),
  ),
  errorGroups: z
    .array(
      z.object({
        service: z.string(),
        fingerprint: z.string(),
        exceptionType: z.string().nullable(),
        message: z.string(),
        count: z.number().int(),
        sampleTraceId: z.string().nullable(),
        firstSeenVersion: z.string().nullable(),
        firstSeen: isoTime.nullable(),
      }),
    )
    .describe('the failing spans of the named services, grouped'),
});
