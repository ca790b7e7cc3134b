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
