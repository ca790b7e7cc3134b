// Incidents: one per problem, built from correlated signals, with lifecycle, timeline, context
// and ranked root causes; and the durable record of one (IncidentRecord) every reader builds on.
import type { ChangeEvent } from './changes.js';
import type { IncidentContext } from './context.js';
import type { Signal } from './signals.js';

export type IncidentStatus = 'triggered' | 'acknowledged' | 'mitigated' | 'resolved';
export type Severity = 'critical' | 'high' | 'medium' | 'low';

export type RootCauseKind = 'bad-deploy' | 'config-change' | 'saturation' | 'dependency-failure' | 'resource-exhaustion' | 'traffic-change' | 'code-error';

export interface RootCause {
  service: string; // may be an uninstrumented dependency (db.namespace, server.address …)
  kind: RootCauseKind;
  score: number; // 0..1, ranked descending
  explanation: string; // plain language with numbers
  evidence: string[];
  nextSteps: string[];
  /** The change a bad-deploy or config-change cause blames (its ChangeEvent id), so titles name that one. */
  changeId?: string;
}

export type TimelineKind = 'signal' | 'signal-recovered' | 'state' | 'severity' | 'change' | 'root-cause' | 'notification' | 'note';

export interface TimelineEntry {
  atMs: number;
  kind: TimelineKind;
  text: string;
  actor?: string;
  data?: Record<string, unknown>;
}

export interface IncidentSummary {
  id: string;
  title: string;
  status: IncidentStatus;
  severity: Severity;
  severityReason: string;
  services: string[];
  startedAtMs: number;
  detectedAtMs: number;
  acknowledgedAtMs?: number;
  mitigatedAtMs?: number;
  resolvedAtMs?: number;
}

/** Customer impact measured at the entry services over the incident window. */
export interface ImpactFacts {
  entryRequests: number;
  entryFailed: number;
  /** Successful entry requests beyond twice their endpoint's usual p95. */
  entrySlow: number;
  /** Entry requests of endpoints whose typical request now exceeds their usual p95 (slower for nearly everyone there). */
  entrySlowed?: number;
  /** Those endpoints, busiest first, for the explanation. */
  slowedEndpoints?: string[];
  affectedUsers: number;
  totalUsers: number;
  journeysHit: string[];
  durationMs: number;
  /** Entry services the request counts come from, for the explanation ("of frontend requests"). */
  entryServices?: string[];
  /** Failing share of entry requests before the onset: only failures beyond it are the incident's. */
  usualFailedRatio?: number;
}

/** The sets that identify "the same problem again" (services, signal kinds, exception fingerprints, log templates, root cause), independent of when it happened. */
export interface IncidentSignature {
  services: string[];
  signalKinds: string[];
  fingerprints: string[];
  templates: string[];
  /** The top root cause as `service:kind`, when known. */
  rootCause: string;
  rootCauseKind: RootCauseKind | '';
}

/** A past incident that looks like this one, with how it was fixed. */
export interface SimilarIncident {
  incidentId: string;
  similarity: number;
  title: string;
  /** What fixed it (the past incident's resolution text); '' when nobody said. */
  resolution: string;
  openActionItems: string[];
}

/** What fixed an incident: the note given when it was resolved, or the last note added after. */
export interface IncidentResolution {
  text: string;
  /** Who wrote the note. */
  actor: string;
  /** Engine time the note was written. */
  atMs: number;
}

/**
 * The durable record of one incident: what the store keeps (the latest revision wins) and what
 * every reader builds on — the API's JSON view, post-incident reviews, reports, the web UI. Model
 * types and epoch-millisecond times throughout; the HTTP view (ISO strings, the fields it leaves
 * out) is shaped only in src/api. The timeline is stored beside it, append-only.
 */
export interface IncidentRecord extends IncidentSummary {
  rootCauses: RootCause[];
  /** Customer impact at the entry services, once measured. */
  impact?: ImpactFacts;
  /** The context assembled when the incident opened or last grew. */
  context?: IncidentContext;
  /** Deploys and config changes that line up with the incident. */
  changes: ChangeEvent[];
  /** Latest copy of every signal that joined, in joining order. */
  signals: Signal[];
  /** Past incidents that look alike, best first. */
  similarIncidents: SimilarIncident[];
  runbook?: string;
  signature: IncidentSignature;
  /** What fixed it, once someone said (see IncidentResolution). */
  resolution?: IncidentResolution;
}

/** One incident as stored with its timeline; other keys are sections other modules attach (tickets …). */
export interface IncidentDetail {
  record: IncidentRecord;
  timeline: TimelineEntry[];
  [section: string]: unknown;
}
