// What reviews, recurrence and reports need of an incident and of its follow-up work: plain
// values the adapters read from the store (times in epoch ms), so the cores stay pure.
import type { ImpactFacts, IncidentSignature, IncidentSummary, RootCauseKind, TimelineEntry } from '../model/index.js';

/** The record's summary (its startedAtMs is the onset, where customer impact starts), with the rest reviews read. */
export interface IncidentFacts extends Omit<IncidentSummary, 'severityReason'> {
  severityReason?: string;
  rootCauses: Array<{ service: string; kind: RootCauseKind; score: number; explanation: string; evidence: string[] }>;
  changes: Array<{ service: string; kind: string; version?: string; description?: string; timeMs: number }>;
  impact?: ImpactFacts;
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
