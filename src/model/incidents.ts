// Incidents: one per problem, built from correlated signals, with lifecycle, timeline, context
// and ranked root causes.

export type IncidentStatus = 'triggered' | 'acknowledged' | 'mitigated' | 'resolved';
export type Severity = 'critical' | 'high' | 'medium' | 'low';

export type RootCauseKind =
  | 'bad-deploy'
  | 'config-change'
  | 'saturation'
  | 'dependency-failure'
  | 'resource-exhaustion'
  | 'traffic-change'
  | 'code-error';

export interface RootCause {
  service: string; // may be an uninstrumented dependency (db.namespace, server.address …)
  kind: RootCauseKind;
  score: number; // 0..1, ranked descending
  explanation: string; // plain language with numbers
  evidence: string[];
  nextSteps: string[];
}

export type TimelineKind =
  | 'signal'
  | 'signal-recovered'
  | 'state'
  | 'severity'
  | 'change'
  | 'root-cause'
  | 'notification'
  | 'note';

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
  entrySlow: number;
  affectedUsers: number;
  totalUsers: number;
  journeysHit: string[];
  durationMs: number;
  /** Entry services the request counts come from, for the explanation ("of frontend requests"). */
  entryServices?: string[];
  /** Failing share of entry requests before the onset: only failures beyond it are the incident's. */
  usualFailedRatio?: number;
}
