// Scoring a fire drill against the fault's ground truth, shared by the replay and the live drill:
// which incidents belong to the fault, time to detect, time to a correct top root cause (from the
// incident's timeline), severity, context completeness, false incidents and time to all-clear.

import type { IncidentContext } from '../context/index.js';
import type { FaultDefinition, FaultTruth } from '../sim/index.js';
import type { WatchedIncident } from './incident-watch.js';

/** An incident as GET /api/v1/incidents lists it. */
export interface IncidentListItem extends WatchedIncident {
  startedAt: string;
  resolvedAt?: string | null;
  topRootCause?: { service: string; kind: string; score: number };
}

/** The parts of GET /api/v1/incidents/:id a drill reads. */
export interface IncidentDetail extends IncidentListItem {
  rootCauses?: Array<{ service: string; kind: string; score: number; explanation: string }>;
  context?: IncidentContext | null;
  signals?: Array<{ kind: string; status: string }>;
  timeline?: Array<{ at: string; kind: string; text: string; data?: Record<string, unknown> }>;
}

export interface DrillResult {
  fault: string;
  mode: 'replay' | 'live';
  truth: { rootService: string; rootKind: string };
  detected: boolean;
  timeToDetectMs?: number;
  /** From the fault's onset to the first time the incident's top root cause matched the truth. */
  timeToRootCauseMs?: number;
  incidentTitle?: string;
  severity?: string;
  topRootCause?: { service: string; kind: string };
  rcaAt1: boolean;
  rcaAt3: boolean;
  /** Share (0..1) of the context sections the incident should carry that it does carry. */
  contextCompleteness?: number;
  contextMissing?: string[];
  falseIncidents: number;
  falseIncidentTitles: string[];
  duplicates: number;
  /** The extra incidents about the fault (title, opened), to see why the problem was split. */
  duplicateIncidents?: string[];
  timeToAllClearMs?: number;
  /** Spans replayed (live drills: 0, the demo sends its own). */
  spans: number;
  /** Wall time of the whole drill (replay: the replay; live: injection to the end of the all-clear wait). */
  replayWallMs: number;
}

/** The times a drill is scored on: the fault's onset and clearing, on the clock Vigil runs on. */
export interface DrillWindow {
  onsetMs: number;
  clearMs: number;
}

const MIN = 60_000;

export function matchesTruth(cause: { service: string; kind: string }, truth: FaultTruth): boolean {
  return cause.service === truth.rootService && cause.kind === truth.rootKind;
}

/**
 * Splits incidents into those about the fault (opened between its onset and 5 minutes after its
 * clearing, on a service it involves; oldest first) and the rest, which are false alarms.
 */
export function partitionIncidents<T extends IncidentListItem>(def: FaultDefinition, incidents: readonly T[], w: DrillWindow): { related: T[]; others: T[] } {
  const involved = new Set([...def.affectedServices, def.truth.rootService]);
  const related = incidents
    .filter((i) => {
      const at = Date.parse(i.detectedAt);
      return at >= w.onsetMs && at <= w.clearMs + 5 * MIN && i.services.some((s) => involved.has(s));
    })
    .sort((a, b) => Date.parse(a.detectedAt) - Date.parse(b.detectedAt));
  return { related, others: incidents.filter((i) => !related.includes(i)) };
}

/**
 * From the onset to the first moment, from detection on, when the incident's top root cause (the
 * latest root-cause timeline entry) names the truth. A reopened incident may carry a right top
 * root cause from its first episode: then that is detection time.
 */
export function timeToRootCause(detail: IncidentDetail, truth: FaultTruth, onsetMs: number): number | undefined {
  const detectedMs = Date.parse(detail.detectedAt);
  let rightAtDetection = false;
  for (const e of detail.timeline ?? []) {
    if (e.kind !== 'root-cause') continue;
    const service = e.data?.service;
    const kind = e.data?.rootCauseKind;
    const right = typeof service === 'string' && typeof kind === 'string' && matchesTruth({ service, kind }, truth);
    const at = Date.parse(e.at);
    if (at <= detectedMs) rightAtDetection = right;
    else if (rightAtDetection) break;
    else if (right) return at - onsetMs;
  }
  return rightAtDetection ? detectedMs - onsetMs : undefined;
}

/** When the incident was opened or reopened at or after `sinceMs` (its timeline's state entries). */
export function triggeredAt(detail: IncidentDetail, sinceMs: number): number | undefined {
  for (const e of detail.timeline ?? []) {
    const at = Date.parse(e.at);
    if (e.kind === 'state' && e.data?.status === 'triggered' && at >= sinceMs) return at;
  }
  return undefined;
}

const errorSignals = new Set(['error-rate', 'new-exception']);
const logSignals = new Set(['new-log-pattern', 'log-pattern-spike', 'new-exception']);

/**
 * The context sections an on-call developer needs to start on this incident, and which are empty.
 * Always: affected endpoints, a failing or slow example trace, measured entry traffic and deep
 * links. Error groups when an error signal joined, log lines when a log signal joined, changes when
 * the fault arrived with a deploy or config change.
 */
export function contextCompleteness(detail: IncidentDetail, def: FaultDefinition): { completeness: number; missing: string[] } {
  const c = detail.context ?? undefined;
  const kinds = new Set((detail.signals ?? []).map((s) => s.kind));
  const sections: Array<[string, boolean]> = [
    ['endpoints', (c?.affectedEndpoints.length ?? 0) > 0],
    ['example traces', (c?.exampleTraces ?? []).some((t) => t.kind !== 'healthy')],
    ['entry traffic', (c?.entry.requests ?? 0) > 0],
    ['links', (c?.links.traces.length ?? 0) > 0],
  ];
  if ([...kinds].some((k) => errorSignals.has(k))) sections.push(['error groups', (c?.errorGroups.length ?? 0) > 0]);
  if ([...kinds].some((k) => logSignals.has(k))) sections.push(['logs', (c?.logs.length ?? 0) > 0]);
  if (def.change) sections.push(['changes', (c?.changes ?? []).some((ch) => ch.service === def.change?.service)]);
  const missing = sections.filter(([, ok]) => !ok).map(([name]) => name);
  return { completeness: (sections.length - missing.length) / sections.length, missing };
}

/**
 * Scores the drill: `incidents` are those the drill may count (all of a fresh replay Vigil; the
 * ones opened since injection on a live one), `primary` the detail of the first related incident.
 */
export function scoreDrill(
  def: FaultDefinition,
  incidents: readonly IncidentListItem[],
  primary: IncidentDetail | undefined,
  run: DrillWindow & { mode: DrillResult['mode']; spans: number; wallMs: number },
): DrillResult {
  const { related, others } = partitionIncidents(def, incidents, run);
  const result: DrillResult = {
    fault: def.name,
    mode: run.mode,
    truth: def.truth,
    detected: primary !== undefined,
    rcaAt1: false,
    rcaAt3: false,
    falseIncidents: others.length,
    falseIncidentTitles: others.map((i) => i.title),
    // The goal is one incident per problem: extra incidents about the fault are duplicates.
    duplicates: Math.max(0, related.length - 1),
    duplicateIncidents: related.slice(1).map((i) => `${i.title} (opened ${i.detectedAt})`),
    spans: run.spans,
    replayWallMs: run.wallMs,
  };
  if (!primary) return result;
  const causes = primary.rootCauses ?? [];
  const right = (c: { service: string; kind: string }): boolean => matchesTruth(c, def.truth);
  result.timeToDetectMs = Date.parse(primary.detectedAt) - run.onsetMs;
  result.timeToRootCauseMs = timeToRootCause(primary, def.truth, run.onsetMs);
  result.incidentTitle = primary.title;
  result.severity = primary.severity;
  if (causes[0]) result.topRootCause = { service: causes[0].service, kind: causes[0].kind };
  result.rcaAt1 = causes[0] !== undefined && right(causes[0]);
  result.rcaAt3 = causes.slice(0, 3).some(right);
  const ctx = contextCompleteness(primary, def);
  result.contextCompleteness = ctx.completeness;
  result.contextMissing = ctx.missing;
  if (primary.resolvedAt) result.timeToAllClearMs = Date.parse(primary.resolvedAt) - run.clearMs;
  return result;
}
