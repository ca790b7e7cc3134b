// IncidentMessage: the one channel-neutral payload every notification is rendered from, built
// from the incident summary, its top root causes and context highlights. Bounded in size so no
// channel has to guess what to cut.
import type { IncidentSummary, RootCause, RootCauseKind } from '../model/index.js';
import { buildIncidentLinks, type IncidentLinks } from './links.js';

/** What a notification tells of an incident (incidents/ IncidentEvent is the finer timeline event it comes from). */
export const notificationEvents = ['opened', 'updated', 'escalated', 'acknowledged', 'mitigated', 'resolved', 'all-clear'] as const;
export type NotificationEvent = (typeof notificationEvents)[number];

export interface MessageRootCause {
  service: string;
  kind: RootCauseKind;
  score: number;
  explanation: string;
  nextSteps: string[];
}

/** What the on-call developer needs first; the lead maps the incident context onto this. */
export interface ContextHighlights {
  affectedUsers?: { count: number; percent?: number };
  endpoints: Array<{ service: string; route: string; summary: string }>;
  errorGroups: Array<{ message: string; count: number; service?: string }>;
  exampleTraces: Array<{ traceId: string; label: string }>;
  changes: Array<{ service: string; kind: string; version?: string; description: string; atMs: number }>;
  runbookUrl?: string;
  similarIncidents: Array<{ id: string; title: string; fix?: string }>;
  /** Follow-up work still open from similar earlier incidents ("we said we'd fix this last time"). */
  openActionItems?: Array<{ id: string; title: string; incidentId: string; incidentTitle: string; owner?: string; overdue?: boolean }>;
}

export interface EscalationInfo {
  level: number; // 1 for the first escalation level
  afterMinutes: number;
  channels: string[];
  policy: string;
}

export interface IncidentMessage {
  /** `${incidentId}:${event}:${seq}`: receivers dedupe on it; the outbox adds the channel. */
  idempotencyKey: string;
  event: NotificationEvent;
  seq: number;
  atMs: number;
  incident: IncidentSummary;
  /** One line: severity, title and what happened. */
  headline: string;
  /** What changed in this update ("severity high → critical", a note …). */
  update?: string;
  actor?: string;
  rootCauses: MessageRootCause[];
  context: ContextHighlights;
  links: IncidentLinks;
  escalation?: EscalationInfo;
}

export interface BuildIncidentMessageInput {
  event: NotificationEvent;
  /** Per-incident sequence number of this message (e.g. its timeline position). */
  seq: number;
  /** Engine time of the event (event time in event-clock mode). */
  atMs: number;
  incident: IncidentSummary;
  rootCauses?: readonly RootCause[];
  context?: Partial<ContextHighlights>;
  update?: string;
  actor?: string;
  escalation?: EscalationInfo;
  /** Public URL of the Vigil UI; links are omitted when absent. */
  baseUrl?: string;
  /** A message about something other than an incident's state (the weekly report) names itself. */
  headline?: string;
}

const limits = { rootCauses: 3, endpoints: 5, errorGroups: 5, traces: 5, changes: 3, similar: 3, actionItems: 5, text: 300 };

const clip = (text: string, max = limits.text): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

const eventPhrase: Record<NotificationEvent, string> = {
  opened: 'opened',
  updated: 'updated',
  escalated: 'escalated',
  acknowledged: 'acknowledged',
  mitigated: 'mitigated',
  resolved: 'resolved',
  'all-clear': 'all clear',
};

export function buildIncidentMessage(input: BuildIncidentMessageInput): IncidentMessage {
  const { incident, event, seq } = input;
  const ctx = input.context ?? {};
  const rootCauses = [...(input.rootCauses ?? [])]
    .sort((a, b) => b.score - a.score)
    .slice(0, limits.rootCauses)
    .map((rc) => ({
      service: rc.service,
      kind: rc.kind,
      score: rc.score,
      explanation: clip(rc.explanation),
      nextSteps: rc.nextSteps.slice(0, 3).map((s) => clip(s)),
    }));
  const context: ContextHighlights = {
    ...(ctx.affectedUsers ? { affectedUsers: ctx.affectedUsers } : {}),
    endpoints: (ctx.endpoints ?? []).slice(0, limits.endpoints).map((e) => ({ ...e, summary: clip(e.summary) })),
    errorGroups: [...(ctx.errorGroups ?? [])]
      .sort((a, b) => b.count - a.count)
      .slice(0, limits.errorGroups)
      .map((g) => ({ ...g, message: clip(g.message) })),
    exampleTraces: (ctx.exampleTraces ?? []).slice(0, limits.traces),
    changes: [...(ctx.changes ?? [])]
      .sort((a, b) => b.atMs - a.atMs)
      .slice(0, limits.changes)
      .map((c) => ({ ...c, description: clip(c.description) })),
    ...(ctx.runbookUrl ? { runbookUrl: ctx.runbookUrl } : {}),
    similarIncidents: (ctx.similarIncidents ?? []).slice(0, limits.similar),
    ...(ctx.openActionItems?.length
      ? {
          openActionItems: ctx.openActionItems
            .slice(0, limits.actionItems)
            .map((a) => ({ ...a, title: clip(a.title, 200), incidentTitle: clip(a.incidentTitle, 120) })),
        }
      : {}),
  };
  const actor = input.actor ? ` by ${input.actor}` : '';
  const headline = clip(input.headline ?? `[${incident.severity.toUpperCase()}] ${incident.title} — ${eventPhrase[event]}${actor}`, 200);
  return {
    idempotencyKey: `${incident.id}:${event}:${seq}`,
    event,
    seq,
    atMs: input.atMs,
    incident: { ...incident, services: [...incident.services] },
    headline,
    ...(input.update ? { update: clip(input.update) } : {}),
    ...(input.actor ? { actor: input.actor } : {}),
    rootCauses,
    context,
    links: buildIncidentLinks(input.baseUrl, incident, input.atMs, context),
    ...(input.escalation ? { escalation: input.escalation } : {}),
  };
}
