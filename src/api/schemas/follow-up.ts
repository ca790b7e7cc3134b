// Answers of the follow-up routes: post-incident reviews, action items, the reliability report and
// recorded support tickets.
import { z } from 'zod';
import type { ReliabilityReport } from '../../reports/index.js';
import { editableSections, type ActionItemView, type RepeatOf, type Review } from '../../reviews/index.js';
import { confidenceSchema } from './assurance.js';
import { isoTime, type Documents } from './common.js';

export const actionItemSchema = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    title: z.string(),
    status: z.enum(['open', 'done']),
    owner: z.string().optional(),
    due: isoTime.optional(),
    overdue: z.boolean(),
    createdAt: isoTime,
    doneAt: isoTime.optional(),
  })
  .meta({ id: 'ActionItem' });
export const actionItemListSchema = z.object({ actionItems: z.array(actionItemSchema) });

export const repeatOfSchema = z.object({
  incidentId: z.string(),
  title: z.string(),
  similarity: z.number(),
  resolvedAtMs: z.number().describe('epoch milliseconds'),
});
const section = z.enum(editableSections);

export const reviewSchema = z
  .object({
    markdown: z.string(),
    metrics: z.object({
      timeToDetectSeconds: z.number(),
      timeToAcknowledgeSeconds: z.number().optional(),
      timeToIdentifySeconds: z.number().optional(),
      timeToMitigateSeconds: z.number().optional(),
      timeToResolveSeconds: z.number().optional(),
    }),
    actionItems: z.array(actionItemSchema),
    incidentId: z.string(),
    repeatOf: repeatOfSchema.optional().describe('the similar earlier incident this one repeats'),
    customerReportedFirst: z.boolean(),
    resurfacedActionItems: z.array(actionItemSchema.extend({ fromIncidentTitle: z.string() })),
    editableSections: z.array(section),
    editedSections: z.array(section),
  })
  .meta({ id: 'Review' });

const target = z.object({ target: z.number(), met: z.boolean().nullable() });
const kpiFiguresSchema = z.object({
  kpi: z.string(),
  direction: z.enum(['drop-is-bad', 'rise-is-bad']),
  unit: z.string().optional(),
  perMinute: z.boolean().describe('a count, shown per minute; otherwise a gauge'),
  before: z.number().nullable().describe('usual level before the event began'),
  worst: z
    .object({ timeMs: z.number().describe('epoch milliseconds'), value: z.number() })
    .nullable()
    .describe('the worst step while it lasted'),
  after: z.number().nullable().describe('level after it ended'),
  worstChange: z.number().nullable().describe('worst change against the level before, signed (-0.75: down 75%)'),
});
export const reliabilitySchema = z
  .object({
    incidents: z.number().int(),
    mttdSeconds: z.number().nullable(),
    mttrSeconds: z.number().nullable(),
    repeatRate: z.number(),
    actionItems: z.object({
      total: z.number().int(),
      done: z.number().int(),
      open: z.number().int(),
      overdue: z.number().int(),
      completionRate: z.number().nullable(),
    }),
    customerReportedFirst: z.number().int(),
    from: isoTime,
    to: isoTime,
    bySeverity: z.object({
      critical: z.number().int(),
      high: z.number().int(),
      medium: z.number().int(),
      low: z.number().int(),
    }),
    byService: z.array(z.object({ service: z.string(), incidents: z.number().int(), repeats: z.number().int() })),
    mttaSeconds: z.number().nullable(),
    mttiSeconds: z.number().nullable(),
    resolved: z.number().int(),
    repeats: z.array(z.object({ incidentId: z.string(), title: z.string(), repeatOf: repeatOfSchema })),
    slos: z.array(
      z.object({
        name: z.string(),
        service: z.string(),
        target: z.number(),
        attainment: z.number().nullable(),
        met: z.boolean().nullable(),
      }),
    ),
    businessKpis: z
      .object({
        declared: z.array(z.string()),
        events: z.array(
          z.object({
            kind: z.enum(['incident', 'release']),
            id: z.string(),
            title: z.string(),
            startMs: z.number().describe('epoch milliseconds'),
            endMs: z.number().optional().describe('epoch milliseconds'),
            kpis: z.array(kpiFiguresSchema),
          }),
        ),
        leftOut: z.number().int().describe('incidents and releases of the range not shown (the most severe incidents and latest releases are)'),
      })
      .describe("declared business KPIs around the range's incidents and releases, in time order"),
    targets: z.object({ mttd: target, mtti: target, mttr: target, repeatRate: target, actionItemCompletion: target }),
    confidence: z
      .array(confidenceSchema.pick({ service: true, level: true, score: true, reasons: true }))
      .describe('per service at the end of the range, least confident first'),
  })
  .meta({ id: 'ReliabilityReport' });

export const ticketRecordedSchema = z.object({
  id: z.string(),
  source: z.string(),
  time: isoTime,
  incidents: z
    .array(z.object({ incidentId: z.string(), score: z.number(), reasons: z.array(z.string()) }))
    .describe('the incidents the ticket correlates with'),
});
export const ticketIgnoredSchema = z.object({
  ignored: z.string().describe("why the webhook's event records no ticket"),
});

// Domain records the routes pass through unchanged: their fields are documented exactly.
export type ActionItemDocumented = Documents<typeof actionItemSchema, ActionItemView>;
export type RepeatOfDocumented = Documents<typeof repeatOfSchema, RepeatOf>;
export type ReviewMetricsDocumented = Documents<typeof reviewSchema.shape.metrics, Review['metrics']>;
export type ReliabilityDocumented = Documents<typeof reliabilitySchema, Omit<ReliabilityReport, 'from' | 'to'> & { from: string; to: string }>;
