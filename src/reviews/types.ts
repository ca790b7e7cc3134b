// What reviews, recurrence and reports need of an incident and of its follow-up work: plain
// values the adapters read from the store (times in epoch ms), so the cores stay pure.
import type { RootCauseKind, Severity, TimelineEntry } from '../model/index.js';
import type { IncidentSignature } from '../model/index.js';

export interface IncidentFacts {
  id: string;
  title: string;
  status: 'triggered' | 'acknowledged' | 'mitigated' | 'resolved';
  severity: Severity;
  severityReason?: string;
  services: string[];
  /** Onset: when the first signal's anomaly began (customer impact starts here). */
  startedAtMs: number;
  detectedAtMs: number;
  acknowledgedAtMs?: number;
  mitigatedAtMs?: number;
  resolvedAtMs?: number;
  rootCauses: Array<{ service: string; kind: RootCauseKind; score: number; explanation: string; evidence: string[] }>;
  changes: Array<{ service: string; kind: string; version?: string; description?: string; timeMs: number }>;
  impact?: {
    entryRequests: number;
    entryFailed: number;
    entrySlow: number;
    affectedUsers: number;
    totalUsers: number;
    journeysHit: string[];
    durationMs: number;
  };
  /** Affected endpoints and error groups from the incident's context, when it was assembled. */
  endpoints?: Array<{ service: string; endpoint: string; summary?: string }>;
  errorGroups?: Array<{ service: string; message: string; count: number }>;
  /** A few affected user or customer ids (the context's sample), for ticket correlation. */
  affectedUserSample?: string[];
  signature?: IncidentSignature;
  /** How it was fixed, when the incident record carries it (the resolving note, typed). */
  resolution?: string;
}

/** An incident with its append-only timeline, as a review is generated from. */
export interface IncidentWithTimeline {
  incident: IncidentFacts;
  timeline: TimelineEntry[];
}

export type ActionItemStatus = 'open' | 'done';

export interface ActionItem {
  id: string;
  incidentId: string;
  title: string;
  owner?: string;
  dueMs?: number;
  status: ActionItemStatus;
  createdAtMs: number;
  doneAtMs?: number;
}
