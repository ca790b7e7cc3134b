// Detection and response times of one incident, read off its record and timeline. Every figure is
// measured from the onset (when customers started to feel it) except acknowledgement, which is
// a responder's reaction and so is measured from detection (the page), as on-call tools count it.
import type { TimelineEntry } from '../model/index.js';
import type { IncidentFacts } from './types.js';

export interface IncidentMetrics {
  timeToDetectSeconds: number;
  /** Detection → first acknowledgement (absent while nobody acknowledged). */
  timeToAcknowledgeSeconds?: number;
  /** Onset → the first time the timeline named the cause the incident ended with as the top one. */
  timeToIdentifySeconds?: number;
  /** Onset → mitigated (absent unless it was mitigated before or without being resolved). */
  timeToMitigateSeconds?: number;
  /** Onset → resolved. */
  timeToResolveSeconds?: number;
}

const seconds = (ms: number): number => Math.round(Math.max(0, ms) / 100) / 10;

export function incidentMetrics(incident: IncidentFacts, timeline: readonly TimelineEntry[]): IncidentMetrics {
  const identifiedAtMs = identifiedAt(incident, timeline);
  return {
    timeToDetectSeconds: seconds(incident.detectedAtMs - incident.startedAtMs),
    ...(incident.acknowledgedAtMs !== undefined ? { timeToAcknowledgeSeconds: seconds(incident.acknowledgedAtMs - incident.detectedAtMs) } : {}),
    ...(identifiedAtMs !== undefined ? { timeToIdentifySeconds: seconds(identifiedAtMs - incident.startedAtMs) } : {}),
    ...(incident.mitigatedAtMs !== undefined ? { timeToMitigateSeconds: seconds(incident.mitigatedAtMs - incident.startedAtMs) } : {}),
    ...(incident.resolvedAtMs !== undefined ? { timeToResolveSeconds: seconds(incident.resolvedAtMs - incident.startedAtMs) } : {}),
  };
}

/**
 * When the cause the incident ended with (its top root cause now) first topped the ranking, from
 * the timeline's root-cause entries. Without a timeline entry naming it, the cause is unknown to
 * have been identified, and the figure is left out rather than guessed.
 */
export function identifiedAt(incident: Pick<IncidentFacts, 'rootCauses'>, timeline: readonly TimelineEntry[]): number | undefined {
  const top = incident.rootCauses[0];
  if (!top) return undefined;
  const entry = timeline.find((e) => e.kind === 'root-cause' && e.data?.service === top.service && e.data.rootCauseKind === top.kind);
  return entry?.atMs;
}

/**
 * What fixed it: the incident's typed `resolution` when it has one, else the note given with the
 * last manual resolve ("Resolved by ana: rolled back payment to 2.2.9" → "rolled back …").
 */
export function resolvingNote(
  incident: Pick<IncidentFacts, 'resolution'>,
  timeline: readonly TimelineEntry[],
): { text: string; actor?: string; atMs?: number } | undefined {
  for (let i = timeline.length - 1; i >= 0; i--) {
    const e = timeline[i]!;
    if (e.kind !== 'state' || e.data?.status !== 'resolved' || e.data.allClear) continue;
    const typed = typeof e.data.note === 'string' ? e.data.note : undefined;
    const prefix = `Resolved by ${e.actor ?? ''}: `;
    const text = typed ?? (e.actor && e.text.startsWith(prefix) ? e.text.slice(prefix.length) : undefined);
    if (incident.resolution) return { text: incident.resolution, ...(e.actor ? { actor: e.actor } : {}), atMs: e.atMs };
    if (text) return { text, ...(e.actor ? { actor: e.actor } : {}), atMs: e.atMs };
    break;
  }
  return incident.resolution ? { text: incident.resolution } : undefined;
}

/** The actor remediation runs write their timeline notes as (pipeline/remediation-runner.ts). */
const REMEDIATION_ACTOR = 'vigil remediation';
const SUCCEEDED_REMEDIATION = /^Remediation ".+" \(.+\) succeeded after /;

/**
 * What was done, by the timeline, when nobody said what fixed it: the last remediation that
 * succeeded between detection and the end (resolved, else mitigated), else the last deploy or
 * change to one of the incident's services in that span (a rollback, a flag turned off). The
 * review offers it as the likely fix, for the team to confirm; nothing while the incident lasts.
 */
export function fixingAction(
  incident: Pick<IncidentFacts, 'services' | 'detectedAtMs' | 'resolvedAtMs' | 'mitigatedAtMs'>,
  timeline: readonly TimelineEntry[],
): { text: string; actor?: string; atMs: number; kind: 'remediation' | 'change' } | undefined {
  const endMs = incident.mitigatedAtMs ?? incident.resolvedAtMs;
  if (endMs === undefined) return undefined;
  const within = timeline.filter((e) => e.atMs >= incident.detectedAtMs && e.atMs <= endMs);
  const remediation = within.findLast((e) => e.kind === 'note' && e.actor === REMEDIATION_ACTOR && SUCCEEDED_REMEDIATION.test(e.text));
  if (remediation) return { text: remediation.text, actor: REMEDIATION_ACTOR, atMs: remediation.atMs, kind: 'remediation' };
  const services = new Set(incident.services);
  const change = within.findLast((e) => e.kind === 'change' && typeof e.data?.service === 'string' && services.has(e.data.service));
  return change ? { text: change.text, ...(change.actor ? { actor: change.actor } : {}), atMs: change.atMs, kind: 'change' } : undefined;
}
