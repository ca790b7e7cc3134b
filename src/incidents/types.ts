// The incident engine's vocabulary beyond src/model: the full incident record, the updates the
// engine hands back to the server, customer-impact facts and the topology it correlates over.
import type {
  ChangeEvent,
  ImpactFacts,
  IncidentContext,
  IncidentResolution,
  IncidentSummary,
  RootCause,
  Severity,
  Signal,
  TimelineEntry,
} from '../model/index.js';

export type { ImpactFacts };

/** What correlation needs of the dependency graph (src/rca's DependencyGraph satisfies it). */
export interface Topology {
  /** Callers and callees, including uninstrumented dependencies (databases, external hosts). */
  neighbours(service: string): string[];
  /** Customer-facing: an entry point of traffic. */
  isEntry(service: string): boolean;
}

export type IncidentEvent =
  | 'opened'
  | 'signal-added'
  | 'signal-recovered'
  | 'severity-changed'
  | 'acknowledged'
  | 'mitigated'
  | 'resolved'
  | 'reopened'
  | 'all-clear'
  | 'note'
  | 'root-cause'
  /** The ranked list changed below an unchanged top cause: stored, not notified. */
  | 'ranking'
  | 'change'
  | 'notification';

export interface Incident extends IncidentSummary {
  /** Latest copy of every signal that joined, in joining order (firing and recovered). */
  signals: Signal[];
  /** Deploys and config changes that line up with the incident (on its timeline too). */
  changes: ChangeEvent[];
  /** Append-only: entries are only ever added, in the order they happened to the engine. */
  timeline: TimelineEntry[];
  impact?: ImpactFacts;
  rootCauses: RootCause[];
  context?: IncidentContext;
  /** Runbook URL from config, by service and signal kind. */
  runbook?: string;
  /** What fixed it: the resolve note, or the last note added while resolved (kept across a reopen until a newer one). */
  resolution?: IncidentResolution;
  /** Engine time when every signal had recovered (cleared when one fires again). */
  allRecoveredAtMs?: number;
  /** Engine time of the last automatic all-clear (so it is posted once per recovery). */
  allClearAtMs?: number;
  /** Engine time of the last signal that joined or recovered. */
  lastSignalAtMs: number;
  reopenCount: number;
}

export interface IncidentUpdate {
  incident: Incident;
  event: IncidentEvent;
  /** The timeline entries this update appended (what to persist and notify). */
  newTimeline: TimelineEntry[];
}

export interface IncidentFilter {
  /** 'open' (default): not resolved; 'all': everything kept in memory. */
  status?: 'open' | 'all';
  service?: string;
  severityAtLeast?: Severity;
  limit?: number;
}

export interface IncidentSnapshot {
  version: 1;
  nextId: number;
  incidents: Incident[];
  recentChanges: ChangeEvent[];
}
