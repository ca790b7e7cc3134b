// Silences, Alertmanager-style: a silence matches signals by service and/or signal kind during a
// time window and stops NOTIFICATIONS (paging, chat) for incidents made only of matching signals.
// Detection and incidents are untouched: the incident is still opened, recorded and marked silenced,
// so the record of what happened is whole and a silence that ends mid-incident lets the next change page.
import type { Signal } from '../model/index.js';

export interface Silence {
  id: string;
  /** Absent: any service. A silence names a service, a kind, or both, never neither. */
  service?: string;
  /** A signal kind (`error-rate`, `slo-burn`, `user-rule` …); absent: any kind. */
  kind?: string;
  /** Engine time (event time in `--clock event`) the silence starts and ends. */
  startsAtMs: number;
  endsAtMs: number;
  comment: string;
  createdBy: string;
  createdAtMs: number;
  /** Set when expired early (DELETE): the silence then ended at this engine time. */
  expiredAtMs?: number;
}

export type SilenceState = 'pending' | 'active' | 'expired';

/** When the silence stops applying: its end, or the moment it was expired by hand. */
export const silenceEndMs = (s: Silence): number => Math.min(s.endsAtMs, s.expiredAtMs ?? Number.POSITIVE_INFINITY);

export function silenceState(s: Silence, nowMs: number): SilenceState {
  if (nowMs >= silenceEndMs(s)) return 'expired';
  return nowMs < s.startsAtMs ? 'pending' : 'active';
}

export function silenceMatches(s: Silence, signal: Pick<Signal, 'kind' | 'subject'>): boolean {
  return (s.service === undefined || s.service === signal.subject.service) && (s.kind === undefined || s.kind === signal.kind);
}

/** What an incident exposes to silencing: its signals, and its services when it has none (a manual one). */
export interface SilenceableIncident {
  services: readonly string[];
  signals: ReadonlyArray<Pick<Signal, 'kind' | 'subject' | 'status'>>;
}

/**
 * The active silences that together cover the incident, or [] when it must notify. Covered means
 * every firing signal (every signal, once all recovered) matches an active silence: one unmatched
 * symptom is news nobody silenced, so the incident notifies as a whole (Alertmanager notifies a
 * group when any alert in it is not silenced).
 */
export function silencesCovering(incident: SilenceableIncident, silences: readonly Silence[], nowMs: number): Silence[] {
  const active = silences.filter((s) => silenceState(s, nowMs) === 'active');
  if (!active.length) return [];
  const firing = incident.signals.filter((s) => s.status === 'firing');
  const judged = firing.length ? firing : incident.signals;
  const used = new Set<Silence>();
  if (judged.length) {
    for (const signal of judged) {
      const by = active.find((s) => silenceMatches(s, signal));
      if (!by) return [];
      used.add(by);
    }
  } else {
    if (!incident.services.length) return [];
    for (const service of incident.services) {
      const by = active.find((s) => s.kind === undefined && s.service === service);
      if (!by) return [];
      used.add(by);
    }
  }
  return [...used];
}

/** What a view shows of silencing: the silences covering the incident (notifications suppressed) and those matching each signal. */
export interface SilenceMarks {
  /** Empty when the incident notifies; else the ids of the silences that together cover it. */
  coveredBy: string[];
  /** Per signal id, the active silences matching it (a matched symptom beside an unmatched one still notifies). */
  bySignal: Map<string, string[]>;
}

/**
 * Silencing as of `atMs` (now for an open incident; its resolution time for a resolved one, so
 * the record says whether it ended silenced): the same rule that gates its notifications.
 */
export function silenceMarks(
  incident: SilenceableIncident & { signals: ReadonlyArray<Pick<Signal, 'id' | 'kind' | 'subject' | 'status'>> },
  silences: readonly Silence[],
  atMs: number,
): SilenceMarks {
  const active = silences.filter((s) => silenceState(s, atMs) === 'active');
  const bySignal = new Map<string, string[]>();
  for (const signal of incident.signals) {
    const ids = active.filter((s) => silenceMatches(s, signal)).map((s) => s.id);
    if (ids.length) bySignal.set(signal.id, ids);
  }
  return { coveredBy: silencesCovering(incident, active, atMs).map((s) => s.id), bySignal };
}
