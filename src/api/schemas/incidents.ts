// Answers of the incident routes: the list item, one incident with its root causes, signals,
// changes and timeline, stakeholder updates and the public status page. incident-views.ts shapes
// incidents to these types, so the documented shape and the answer have one definition.
import { z } from 'zod';
import type { ImpactFacts, IncidentContext, IncidentSignature, RootCause, SimilarIncident } from '../../model/index.js';
import { isoTime, type Documents } from './common.js';
import { actionItemSchema, repeatOfSchema } from './follow-up.js';
import { remediationsSchema } from './changes.js';

const incidentStatus = z.enum(['triggered', 'acknowledged', 'mitigated', 'resolved']);
const rootCauseKind = z.enum(['bad-deploy', 'config-change', 'saturation', 'dependency-failure', 'resource-exhaustion', 'traffic-change', 'code-error']);

const summaryFields = {
  id: z.string(),
  title: z.string(),
  status: incidentStatus,
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  severityReason: z.string(),
  services: z.array(z.string()),
  startedAt: isoTime.describe('the estimated onset'),
  detectedAt: isoTime.describe("the engine's clock when the incident opened"),
  acknowledgedAt: isoTime.optional(),
  mitigatedAt: isoTime.optional(),
  resolvedAt: isoTime.optional(),
  silenced: z.boolean().optional().describe('its notifications are suppressed by silences (now; for a resolved incident, when it resolved)'),
  silencedBy: z.array(z.string()).optional().describe('when silenced: the ids of the silences that cover it (GET /api/v1/silences/ID)'),
};

export const incidentSummarySchema = z
  .object({
    ...summaryFields,
    topRootCause: z.object({ service: z.string(), kind: rootCauseKind, score: z.number() }).optional(),
  })
  .meta({ id: 'IncidentSummary' });
export type IncidentSummaryView = z.output<typeof incidentSummarySchema>;
export const incidentListSchema = z.object({
  incidents: z.array(incidentSummarySchema),
  nextCursor: z.string().optional(),
});

export const timelineEntrySchema = z.object({
  at: isoTime,
  kind: z.enum(['signal', 'signal-recovered', 'state', 'severity', 'change', 'root-cause', 'notification', 'note']),
  text: z.string(),
  actor: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type TimelineEntryView = z.output<typeof timelineEntrySchema>;

const rootCauseSchema = z.object({
  service: z.string().describe('may name an uninstrumented dependency'),
  kind: rootCauseKind,
  score: z.number().describe('0..1, ranked descending'),
  explanation: z.string(),
  evidence: z.array(z.string()),
  nextSteps: z.array(z.string()),
  changeId: z.string().optional().describe('the change a bad-deploy or config-change cause blames'),
});

const impactSchema = z.object({
  entryRequests: z.number(),
  entryFailed: z.number(),
  entrySlow: z.number().describe("successful entry requests beyond twice their endpoint's usual p95"),
  entrySlowed: z.number().optional().describe('entry requests of endpoints whose typical request now exceeds their usual p95'),
  slowedEndpoints: z.array(z.string()).optional(),
  affectedUsers: z.number(),
  totalUsers: z.number(),
  journeysHit: z.array(z.string()),
  durationMs: z.number(),
  entryServices: z.array(z.string()).optional(),
  usualFailedRatio: z.number().optional(),
});

const signalSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(['firing', 'recovered']),
  subject: z.object({
    service: z.string(),
    route: z.string().optional(),
    version: z.string().optional(),
    metric: z.string().optional(),
    peer: z.string().optional(),
    patternId: z.string().optional(),
    pattern: z.string().optional(),
    fingerprint: z.string().optional(),
  }),
  startedAt: isoTime,
  detectedAt: isoTime,
  endedAt: isoTime.optional(),
  summary: z.string(),
  observed: z.number().nullable().describe('null when not measured (not a number)'),
  baseline: z.number().nullable().describe('null when not measured (not a number)'),
  unit: z.string(),
  score: z.number(),
  silenced: z.boolean().optional().describe('an active silence matches this signal'),
  silencedBy: z.array(z.string()).optional().describe('when silenced: the ids of the silences matching it'),
});

// The context's parts are the context module's records (model/context.ts), listed here as they are.
const part = z.unknown();
const range = z.object({ fromMs: z.number(), toMs: z.number() });
const contextSchema = z
  .object({
    assembledAtMs: z.number(),
    onsetMs: z.number(),
    before: range,
    after: range,
    affectedEndpoints: z.array(part),
    errorGroups: z.array(part),
    exampleTraces: z.array(part),
    logs: z.array(part),
    changes: z.array(part),
    affectedUsers: part,
    entry: part,
    runbook: z.string().optional(),
    links: z
      .object({ traces: z.array(z.string()), logs: z.array(z.string()), metrics: z.array(z.string()) })
      .describe('deep links into the explore API, per affected service'),
  })
  .describe('what was assembled around the incident when it opened or last grew (epoch-millisecond times)');

/** One incident: the summary fields, everything a responder needs, its timeline, then sections other modules attach. */
export const incidentSchema = z
  .object({
    ...summaryFields,
    rootCauses: z.array(rootCauseSchema),
    remediation: remediationsSchema
      .optional()
      .describe('remediation actions suggested beside the root cause (each with the id to run on approval) and the runs so far'),
    impact: impactSchema.nullable(),
    context: contextSchema.nullable(),
    changes: z.array(
      z.object({
        id: z.string(),
        service: z.string(),
        kind: z.enum(['deploy', 'config', 'flag', 'infra']),
        time: isoTime,
        version: z.string().nullable(),
        description: z.string(),
      }),
    ),
    signals: z.array(signalSchema),
    similarIncidents: z.array(
      z.object({
        incidentId: z.string(),
        similarity: z.number(),
        title: z.string(),
        resolution: z.string().describe('what fixed it; empty when nobody said'),
        openActionItems: z.array(z.string()),
      }),
    ),
    runbook: z.string().nullable(),
    signature: z.object({
      services: z.array(z.string()),
      signalKinds: z.array(z.string()),
      fingerprints: z.array(z.string()),
      templates: z.array(z.string()),
      rootCause: z.string(),
      rootCauseKind: z.union([rootCauseKind, z.literal('')]),
    }),
    resolution: z.object({ text: z.string(), actor: z.string(), at: isoTime }).optional(),
    timeline: z.array(timelineEntrySchema),
    tickets: z
      .array(
        z.object({
          id: z.string(),
          source: z.string(),
          title: z.string(),
          time: isoTime,
          service: z.string().optional(),
          customer: z.string().optional(),
          reasons: z.array(z.string()),
          beforeDetection: z.boolean(),
        }),
      )
      .optional()
      .describe('support tickets correlated with the incident'),
    repeatOf: repeatOfSchema.optional().describe('the similar earlier incident (resolved in the 90 days before the onset) this one repeats'),
    resurfacedActionItems: z
      .array(actionItemSchema.extend({ fromIncidentTitle: z.string(), similarity: z.number() }))
      .optional()
      .describe('open action items of similar earlier incidents'),
  })
  .catchall(z.unknown())
  .meta({ id: 'Incident' });
export type IncidentView = z.output<typeof incidentSchema>;

export const stakeholderUpdateSchema = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    status: z.enum(['draft', 'posted']),
    incidentStatus: z.string(),
    text: z.string(),
    createdAt: isoTime,
    postedAt: isoTime.optional(),
    editedBy: z.string().optional(),
    postedBy: z.string().optional(),
  })
  .meta({ id: 'StakeholderUpdate' });
export type StakeholderUpdateAnswer = z.output<typeof stakeholderUpdateSchema>;
export const stakeholderUpdateListSchema = z.object({ updates: z.array(stakeholderUpdateSchema) });

const componentStatus = z.enum(['operational', 'degraded', 'outage']);
export const statusPageSchema = z.object({
  title: z.string(),
  status: componentStatus,
  components: z.array(z.object({ name: z.string(), status: componentStatus })),
  incidents: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      status: incidentStatus,
      impact: z.enum(['degraded', 'outage']),
      components: z.array(z.string()),
      startedAt: isoTime,
      resolvedAt: isoTime.optional(),
      updates: z.array(z.object({ at: isoTime, status: incidentStatus, text: z.string() })),
    }),
  ),
});
export type StatusPageAnswer = z.output<typeof statusPageSchema>;

// Parts of the incident record the view passes through unchanged: their fields are documented exactly.
export type RootCauseDocumented = Documents<typeof rootCauseSchema, RootCause>;
export type ImpactDocumented = Documents<typeof impactSchema, ImpactFacts>;
export type ContextDocumented = Documents<typeof contextSchema, IncidentContext>;
export type SimilarIncidentDocumented = Documents<typeof incidentSchema.shape.similarIncidents.element, SimilarIncident>;
export type SignatureDocumented = Documents<typeof incidentSchema.shape.signature, IncidentSignature>;
