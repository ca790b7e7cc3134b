// Correlation: which incident a firing signal belongs to. Signals that share a cause start close
// in time to the incident's own onsets and either touch the same service, sit within a few hops in
// the dependency graph, or follow the same change; the strongest relation wins, open incidents
// before resolved ones, and a resolved one reopens only for the same symptom with no new change behind it.
import type { ChangeEvent, Signal } from '../model/index.js';
import type { IncidentConfig } from './config.js';
import type { Incident, Topology } from './types.js';

export interface CorrelationMatch {
  incident: Incident;
  /** Plain words for the timeline: why the signal joined. */
  reason: string;
  strength: number;
}

/** The services a signal touches: its own and the dependency it is about. */
export function signalServices(signal: Pick<Signal, 'subject'>): string[] {
  const { service, peer } = signal.subject;
  return peer && peer !== service ? [service, peer] : [service];
}

/** Every service the incident touches, dependencies included. */
export function incidentServices(incident: Incident): Set<string> {
  const out = new Set(incident.services);
  for (const s of incident.signals) for (const name of signalServices(s)) out.add(name);
  return out;
}

/** Hop distance from any of `from` to every service within `maxHops` (breadth-first). */
export function hopsFrom(topology: Topology, from: readonly string[], maxHops: number): Map<string, number> {
  const dist = new Map<string, number>(from.map((s) => [s, 0]));
  let frontier = [...from];
  for (let hop = 1; hop <= maxHops && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const service of frontier) {
      for (const n of topology.neighbours(service)) {
        if (dist.has(n)) continue;
        dist.set(n, hop);
        next.push(n);
      }
    }
    frontier = next;
  }
  return dist;
}

export function incidentChangeIds(incident: Incident): Set<string> {
  const ids = new Set(incident.changes.map((c) => c.id));
  for (const s of incident.signals) if (s.change) ids.add(s.change.changeId);
  return ids;
}

/**
 * When a signal's symptom showed, for grouping: its onset, unless it was detected more than a
 * correlation window after it. Such an onset is not when the symptom began but when the evidence
 * started being gathered — a failed release is dated at its deploy, judged when the regression shows
 * (a config change 38 minutes after a harmless deploy fails that deploy too) — and nothing else
 * starting then could still be waiting to join it, so the signal counts from its detection.
 */
export function evidentAtMs(signal: Pick<Signal, 'startedAtMs' | 'detectedAtMs'>, config: Pick<IncidentConfig, 'correlationWindowMs'>): number {
  return signal.detectedAtMs - signal.startedAtMs > config.correlationWindowMs ? signal.detectedAtMs : signal.startedAtMs;
}

/** The newest onset among the incident's signals: when the problem last showed a new symptom. */
export function latestOnsetMs(incident: Incident, config: Pick<IncidentConfig, 'correlationWindowMs'>): number {
  let latest = incident.startedAtMs;
  for (const s of incident.signals) latest = Math.max(latest, evidentAtMs(s, config));
  return latest;
}

/**
 * Close in time: the signal's onset lies within the correlation window of the incident's own
 * onsets. A signal that merely keeps firing does not keep the incident open to everything: a fault
 * that starts an hour into a long incident has its own onset, so it opens its own incident.
 */
function closeInTime(signal: Signal, incident: Incident, nowMs: number, config: IncidentConfig): boolean {
  if (incident.status === 'resolved') return (incident.resolvedAtMs ?? 0) + config.coolDownMs >= nowMs;
  const at = evidentAtMs(signal, config);
  return at <= latestOnsetMs(incident, config) + config.correlationWindowMs && at >= incident.startedAtMs - config.correlationWindowMs;
}

/**
 * After an all-clear only the same symptom flaring up again reopens: the same signal, or its kind
 * on its service, and not one that follows a change made after the all-clear — the same config
 * change repeated, a new deploy — which is a new fault with its own cause, however alike it looks.
 */
function matchesResolved(signal: Signal, incident: Incident): boolean {
  if (signal.change && signal.change.timeMs > (incident.resolvedAtMs ?? Infinity) && !incidentChangeIds(incident).has(signal.change.changeId)) return false;
  return incident.signals.some((s) => s.key === signal.key || (s.kind === signal.kind && s.subject.service === signal.subject.service));
}

function relation(signal: Signal, incident: Incident, hops: Map<string, number>): { strength: number; reason: string } | undefined {
  if (incident.signals.some((s) => s.key === signal.key)) return { strength: 5, reason: 'the same signal again' };
  const touched = incidentServices(incident);
  const own = signalServices(signal).find((s) => touched.has(s));
  if (own) return { strength: 4, reason: `same service ${own}` };
  if (signal.change && incidentChangeIds(incident).has(signal.change.changeId)) {
    const version = signal.change.version ? ` ${signal.change.version}` : '';
    return { strength: 3, reason: `follows the same ${signal.change.kind}${version}` };
  }
  let best: { service: string; hops: number } | undefined;
  for (const s of touched) {
    const h = hops.get(s);
    if (h !== undefined && (!best || h < best.hops)) best = { service: s, hops: h };
  }
  if (best) return { strength: 3 - best.hops / 10, reason: `${best.hops} hop${best.hops === 1 ? '' : 's'} from ${best.service} in the dependency graph` };
  return undefined;
}

export function findIncidentFor(
  signal: Signal,
  incidents: Iterable<Incident>,
  topology: Topology,
  config: IncidentConfig,
  nowMs: number,
): CorrelationMatch | undefined {
  const hops = hopsFrom(topology, signalServices(signal), config.maxHops);
  let best: CorrelationMatch | undefined;
  for (const incident of incidents) {
    if (!closeInTime(signal, incident, nowMs, config)) continue;
    if (incident.status === 'resolved' && !matchesResolved(signal, incident)) continue;
    const rel = relation(signal, incident, hops);
    if (!rel) continue;
    const better =
      !best ||
      rel.strength > best.strength ||
      (rel.strength === best.strength && openFirst(incident, best.incident)) ||
      (rel.strength === best.strength && incident.status === best.incident.status && incident.lastSignalAtMs > best.incident.lastSignalAtMs);
    if (better) best = { incident, ...rel };
  }
  return best;
}

const openFirst = (a: Incident, b: Incident): boolean => a.status !== 'resolved' && b.status === 'resolved';

/** A change relates to an incident when it touches one of its services or a direct neighbour. */
export function changeRelates(change: ChangeEvent, incident: Incident, topology: Topology | undefined): boolean {
  const touched = incidentServices(incident);
  if (touched.has(change.service)) return true;
  if (incidentChangeIds(incident).has(change.id)) return true;
  if (!topology) return false;
  return topology.neighbours(change.service).some((n) => touched.has(n));
}
