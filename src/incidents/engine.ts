// The incident engine: a pure state machine the server drives with signals, changes, human
// actions and the clock. It groups signals into one incident per problem, keeps severity, title,
// runbook and an append-only timeline current, and returns every change as an IncidentUpdate.
import type { ChangeEvent, IncidentContext, RootCause, Signal, TimelineEntry } from '../model/index.js';
import { incidentConfigSchema, resolveIncidentConfig, type IncidentConfig, type IncidentConfigInput } from './config.js';
import { changeRelates, evidentAtMs, findIncidentFor, hopsFrom, signalServices } from './correlation.js';
import { allClearText, stillFiring } from './all-clear.js';
import { UnknownIncidentError } from './errors.js';
import { duration } from './format.js';
import { assertTransition, isOpen, type ManualTransition } from './lifecycle.js';
import { runbookFor } from './runbook.js';
import { kpiDropsOf, withBusinessImpact } from '../kpi/index.js';
import { severityFromImpact, severityFromSignals, severityRank, withBrokenEntryRoutes, withCriticalChecks, withMissingTraffic } from './severity.js';
import { changeEntry, recoveredEntry, rootCauseEntry, severityEntry, signalEntry, stateEntry } from './timeline.js';
import { incidentTitle } from './title.js';
import type { ImpactFacts, Incident, IncidentEvent, IncidentFilter, IncidentSnapshot, IncidentUpdate, Topology } from './types.js';

/** The actor of automatic transitions. */
export const engineActor = 'vigil';

/**
 * What callers get: a consistent copy of the incident at this moment. Elements (signals, entries,
 * changes, root causes, impact, context) are never mutated in place by the engine, only replaced
 * or appended, so sharing them is safe and keeps updates cheap; callers treat them as read-only.
 */
function copyOf(incident: Incident): Incident {
  return {
    ...incident,
    services: [...incident.services],
    signals: [...incident.signals],
    changes: [...incident.changes],
    timeline: [...incident.timeline],
    rootCauses: [...incident.rootCauses],
  };
}

const noTopology: Topology = { neighbours: () => [], isEntry: () => false };

export class IncidentEngine {
  readonly config: IncidentConfig;
  private readonly incidents = new Map<string, Incident>();
  /** signal id → incident id, so recoveries find their incident without a scan. */
  private readonly bySignal = new Map<string, string>();
  private recentChanges: ChangeEvent[] = [];
  private nextId = 1;
  private topology: Topology = noTopology;

  /** `config` is the `incidents:` section as written (validated here) or a partial built in code. */
  constructor(config: Partial<IncidentConfig> | IncidentConfigInput = {}, snapshot?: IncidentSnapshot) {
    this.config = resolveIncidentConfig(incidentConfigSchema.parse(config ?? {}));
    if (snapshot) this.restore(snapshot);
  }

  onSignals(signals: readonly Signal[], nowMs: number, topology: Topology): IncidentUpdate[] {
    this.topology = topology;
    const updates: IncidentUpdate[] = [];
    // Earliest onset first, so the first symptom opens the incident and later ones join it.
    const ordered = [...signals].sort((a, b) => evidentAtMs(a, this.config) - evidentAtMs(b, this.config));
    for (const signal of ordered) {
      if (signal.status === 'recovered') updates.push(...this.recover(signal, nowMs));
      else updates.push(...this.fire(signal, nowMs));
    }
    return updates;
  }

  onChange(change: ChangeEvent, nowMs: number, topology: Topology = this.topology): IncidentUpdate[] {
    if (!this.recentChanges.some((c) => c.id === change.id)) this.recentChanges.push(structuredClone(change));
    this.pruneChanges(nowMs);
    const updates: IncidentUpdate[] = [];
    for (const incident of this.incidents.values()) {
      if (!isOpen(incident.status) || change.timeMs < incident.startedAtMs - this.config.changeLookbackMs) continue;
      if (incident.changes.some((c) => c.id === change.id) || !changeRelates(change, incident, topology)) continue;
      const added = this.attachChanges(incident, [change]);
      incident.title = this.titleOf(incident);
      updates.push(this.update(incident, 'change', added));
    }
    return updates;
  }

  transition(id: string, to: ManualTransition, actor: string, nowMs: number, note?: string): IncidentUpdate {
    const incident = this.mustGet(id);
    assertTransition(id, incident.status, to);
    incident.status = to;
    if (to === 'acknowledged') incident.acknowledgedAtMs = nowMs;
    if (to === 'mitigated') incident.mitigatedAtMs = nowMs;
    if (to === 'resolved') incident.resolvedAtMs = nowMs;
    if (to === 'resolved' && note?.trim()) incident.resolution = { text: note, actor, atMs: nowMs };
    const verb = { acknowledged: 'Acknowledged', mitigated: 'Mitigated', resolved: 'Resolved' }[to];
    const entry = stateEntry(nowMs, `${verb} by ${actor}${note ? `: ${note}` : ''}`, actor, { status: to });
    return this.update(incident, to, [entry]);
  }

  addNote(id: string, actor: string, text: string, nowMs: number): IncidentUpdate {
    const incident = this.mustGet(id);
    // Said after the fact ("it was the cache config"), a note on a resolved incident is what fixed it.
    if (incident.status === 'resolved' && text.trim()) incident.resolution = { text, actor, atMs: nowMs };
    return this.update(incident, 'note', [{ atMs: nowMs, kind: 'note', text, actor }]);
  }

  setImpact(id: string, impact: ImpactFacts, nowMs: number): IncidentUpdate | undefined {
    const incident = this.mustGet(id);
    incident.impact = structuredClone(impact);
    // A critical synthetic journey failing (or slowing) counts whatever the traffic shows (checks
    // run where customers have not yet arrived, e.g. right after a deploy).
    let verdict = withCriticalChecks(severityFromImpact(impact, this.config), incident.signals, this.config);
    // A business KPI down while the incident lasts is impact too, whatever the requests show.
    verdict = withBusinessImpact(verdict, kpiDropsOf(incident.signals));
    // Requests that stopped arriving at the entry show neither failure nor delay, only absence.
    verdict = withMissingTraffic(verdict, incident.signals, (s) => this.isEntry(s), this.config);
    // A core endpoint broken for its users is serious however small its share of all entry traffic.
    verdict = withBrokenEntryRoutes(verdict, incident.signals, (s) => this.isEntry(s), this.config);
    return this.applySeverity(incident, verdict.severity, verdict.reason, nowMs);
  }

  setRootCauses(id: string, rootCauses: readonly RootCause[], nowMs: number): IncidentUpdate | undefined {
    const incident = this.mustGet(id);
    const ranked = [...rootCauses].sort((a, b) => b.score - a.score);
    const before = incident.rootCauses[0];
    const listed = (list: readonly RootCause[]): string => list.map((r) => `${r.service}|${r.kind}`).join(',');
    const reordered = listed(incident.rootCauses) !== listed(ranked);
    incident.rootCauses = structuredClone(ranked);
    const top = ranked[0];
    // The change the ranking blames is the incident's, whenever its symptoms say they began.
    const blamed = top?.changeId && !incident.changes.some((c) => c.id === top.changeId) ? this.recentChanges.find((c) => c.id === top.changeId) : undefined;
    const attached = blamed ? this.attachChanges(incident, [blamed]) : [];
    incident.title = this.titleOf(incident);
    // Which verdicts the all-clear waits for follows the ranking.
    if (stillFiring(incident)) delete incident.allRecoveredAtMs;
    else incident.allRecoveredAtMs ??= nowMs;
    if (!top || (before && before.service === top.service && before.kind === top.kind)) {
      if (attached.length) return this.update(incident, 'change', attached);
      // The suspects below the top are what the responder checks next: a new order is stored, not paged.
      return reordered ? this.update(incident, 'ranking', []) : undefined;
    }
    return this.update(incident, 'root-cause', [...attached, rootCauseEntry(nowMs, top)]);
  }

  /** Context is refreshed often and is not a timeline event; it is kept for reads and the snapshot. */
  setContext(id: string, context: IncidentContext): void {
    this.mustGet(id).context = structuredClone(context);
  }

  /** A notification was delivered; the returned update is for persisting, not for notifying again. */
  recordNotification(id: string, text: string, nowMs: number): IncidentUpdate {
    return this.update(this.mustGet(id), 'notification', [{ atMs: nowMs, kind: 'notification', text }]);
  }

  /** Automatic all-clear once every symptom has stayed recovered for the stable period (see all-clear.ts). */
  tick(nowMs: number): IncidentUpdate[] {
    const updates: IncidentUpdate[] = [];
    for (const incident of this.incidents.values()) {
      const since = incident.allRecoveredAtMs;
      if (since === undefined || !isOpen(incident.status) || nowMs - since < this.config.stablePeriodMs) continue;
      if (incident.allClearAtMs !== undefined && incident.allClearAtMs >= since) continue;
      incident.allClearAtMs = nowMs;
      const to = this.config.allClearTo;
      const stable = allClearText(incident, nowMs - since);
      if (to === 'resolved') {
        incident.status = 'resolved';
        incident.resolvedAtMs = nowMs;
      } else if (incident.status !== 'mitigated') {
        incident.status = 'mitigated';
        incident.mitigatedAtMs = nowMs;
      }
      const entry = stateEntry(nowMs, `All clear: ${stable}; ${to} automatically`, engineActor, { status: incident.status, allClear: true });
      updates.push(this.update(incident, 'all-clear', [entry]));
    }
    this.pruneResolved(nowMs);
    this.pruneChanges(nowMs);
    return updates;
  }

  get(id: string): Incident | undefined {
    const incident = this.incidents.get(id);
    return incident ? copyOf(incident) : undefined;
  }

  /** Newest first. */
  list(filter: IncidentFilter = {}): Incident[] {
    const out: Incident[] = [];
    const all = [...this.incidents.values()].reverse();
    for (const incident of all) {
      if ((filter.status ?? 'open') === 'open' && !isOpen(incident.status)) continue;
      if (filter.service && !incident.services.includes(filter.service)) continue;
      if (filter.severityAtLeast && severityRank(incident.severity) < severityRank(filter.severityAtLeast)) continue;
      out.push(copyOf(incident));
      if (filter.limit !== undefined && out.length >= filter.limit) break;
    }
    return out;
  }

  snapshot(): IncidentSnapshot {
    return structuredClone({ version: 1, nextId: this.nextId, incidents: [...this.incidents.values()], recentChanges: this.recentChanges });
  }

  private restore(snapshot: IncidentSnapshot): void {
    this.nextId = snapshot.nextId;
    this.recentChanges = structuredClone(snapshot.recentChanges);
    for (const incident of structuredClone(snapshot.incidents)) {
      this.incidents.set(incident.id, incident);
      for (const s of incident.signals) {
        // JSON turns NaN (no p-value) into null; give the signal its number type back.
        if (typeof s.pValue !== 'number') s.pValue = Number.NaN;
        this.bySignal.set(s.id, incident.id);
      }
    }
  }

  private fire(signal: Signal, nowMs: number): IncidentUpdate[] {
    const knownId = this.bySignal.get(signal.id);
    const known = knownId !== undefined ? this.incidents.get(knownId) : undefined;
    if (known) {
      const i = known.signals.findIndex((s) => s.id === signal.id);
      if (known.signals[i]?.status === 'firing') {
        // A refreshed copy of a signal already on the incident: keep the latest numbers only.
        known.signals[i] = structuredClone(signal);
        return this.refreshFromSignals(known, nowMs);
      }
      // The same occurrence firing again after it recovered is a flare-up: correlate it anew.
      known.signals.splice(i, 1);
      this.bySignal.delete(signal.id);
    }
    const match = findIncidentFor(signal, this.incidents.values(), this.topology, this.config, nowMs);
    if (!match) return this.mayOpen(signal) ? this.open(signal, nowMs) : [];
    const incident = match.incident;
    const entries: TimelineEntry[] = [];
    let event: IncidentEvent = 'signal-added';
    if (incident.status === 'resolved') {
      event = 'reopened';
      incident.status = 'triggered';
      incident.reopenCount += 1;
      delete incident.acknowledgedAtMs;
      delete incident.mitigatedAtMs;
      delete incident.resolvedAtMs;
      // The old impact described the first episode; signals drive severity until it is measured again.
      delete incident.impact;
      entries.push(
        stateEntry(nowMs, `Reopened: flared up again within the ${duration(this.config.coolDownMs)} cool-down`, engineActor, { status: 'triggered' }),
      );
    }
    this.addSignal(incident, signal, nowMs);
    entries.push(signalEntry(signal, nowMs, match.reason));
    entries.push(...this.attachChanges(incident, this.changesFor(incident, signal)));
    incident.title = this.titleOf(incident);
    this.refreshRunbook(incident);
    return [this.update(incident, event, entries), ...this.refreshFromSignals(incident, nowMs)];
  }

  private mayOpen(signal: Signal): boolean {
    if (this.config.attachOnlyKinds.includes(signal.kind) || signal.score < this.config.minOpenScore) return false;
    if (!this.config.openWithChangeKinds.includes(signal.kind)) return true;
    // Something new in steady traffic, or first seen in the version before the deploy, is context.
    const change = signal.change;
    if (!change) return false;
    return change.kind !== 'deploy' || !change.version || !signal.subject.version || change.version === signal.subject.version;
  }

  private open(signal: Signal, nowMs: number): IncidentUpdate[] {
    const incident: Incident = {
      id: String(this.nextId++),
      title: '',
      status: 'triggered',
      severity: 'low',
      severityReason: '',
      services: [],
      startedAtMs: evidentAtMs(signal, this.config),
      detectedAtMs: nowMs,
      signals: [],
      changes: [],
      timeline: [],
      rootCauses: [],
      lastSignalAtMs: nowMs,
      reopenCount: 0,
    };
    this.incidents.set(incident.id, incident);
    this.addSignal(incident, signal, nowMs);
    const changes = this.attachChanges(incident, this.changesFor(incident, signal));
    const verdict = this.signalSeverity(incident);
    incident.severity = verdict.severity;
    incident.severityReason = verdict.reason;
    incident.title = this.titleOf(incident);
    this.refreshRunbook(incident);
    const opened = stateEntry(nowMs, `Opened: ${incident.title} (severity ${incident.severity}: ${incident.severityReason})`, engineActor, {
      status: 'triggered',
    });
    return [this.update(incident, 'opened', [...changes, signalEntry(signal, nowMs), opened])];
  }

  private recover(signal: Signal, nowMs: number): IncidentUpdate[] {
    const id = this.bySignal.get(signal.id) ?? this.findByFiringKey(signal.key);
    const incident = id !== undefined ? this.incidents.get(id) : undefined;
    if (!incident) return [];
    const i = incident.signals.findIndex((s) => s.id === signal.id || (s.key === signal.key && s.status === 'firing'));
    if (i < 0 || incident.signals[i]?.status === 'recovered') return [];
    incident.signals[i] = structuredClone(signal);
    incident.lastSignalAtMs = nowMs;
    const firing = incident.signals.filter((s) => s.status === 'firing').length;
    if (!stillFiring(incident)) incident.allRecoveredAtMs ??= nowMs;
    return [this.update(incident, 'signal-recovered', [recoveredEntry(signal, nowMs, firing)])];
  }

  private findByFiringKey(key: string): string | undefined {
    for (const incident of this.incidents.values()) {
      if (incident.signals.some((s) => s.key === key && s.status === 'firing')) return incident.id;
    }
    return undefined;
  }

  private addSignal(incident: Incident, signal: Signal, nowMs: number): void {
    incident.signals.push(structuredClone(signal));
    this.bySignal.set(signal.id, incident.id);
    if (!incident.services.includes(signal.subject.service)) incident.services.push(signal.subject.service);
    incident.startedAtMs = Math.min(incident.startedAtMs, evidentAtMs(signal, this.config));
    incident.lastSignalAtMs = nowMs;
    delete incident.allRecoveredAtMs;
    this.capSignals(incident);
  }

  /** Oldest recovered copies go first so a flapping detector cannot grow an incident without bound. */
  private capSignals(incident: Incident): void {
    while (incident.signals.length > this.config.maxSignalsPerIncident) {
      const i = incident.signals.findIndex((s) => s.status === 'recovered');
      const [dropped] = incident.signals.splice(i < 0 ? 0 : i, 1);
      if (dropped) this.bySignal.delete(dropped.id);
    }
  }

  /** Remembered changes that line up with a signal: its own link, or changes near it shortly before the onset. */
  private changesFor(incident: Incident, signal: Signal): ChangeEvent[] {
    const near = hopsFrom(this.topology, signalServices(signal), 1);
    const onset = evidentAtMs(signal, this.config);
    const from = onset - this.config.changeLookbackMs;
    return this.recentChanges.filter(
      (c) =>
        !incident.changes.some((k) => k.id === c.id) && (c.id === signal.change?.changeId || (near.has(c.service) && c.timeMs >= from && c.timeMs <= onset)),
    );
  }

  private attachChanges(incident: Incident, changes: readonly ChangeEvent[]): TimelineEntry[] {
    const sorted = [...changes].sort((a, b) => a.timeMs - b.timeMs);
    for (const c of sorted) incident.changes.push(structuredClone(c));
    return sorted.map(changeEntry);
  }

  /** Absent rather than undefined, so snapshots round-trip through JSON unchanged. */
  private refreshRunbook(incident: Incident): void {
    const url = runbookFor(this.config.runbooks, incident.signals);
    if (url === undefined) delete incident.runbook;
    else incident.runbook = url;
  }

  private titleOf(incident: Incident): string {
    // Named by the symptoms as they showed: a failed release dated at its deploy is not the first symptom.
    const shown = incident.signals.map((s) => ({ ...s, startedAtMs: evidentAtMs(s, this.config) }));
    return incidentTitle(shown, incident.changes, incident.services, incident.rootCauses[0]);
  }

  private isEntry(service: string): boolean {
    return this.config.entryServices.length > 0 ? this.config.entryServices.includes(service) : this.topology.isEntry(service);
  }

  private signalSeverity(incident: Incident): { severity: Incident['severity']; reason: string } {
    return withBusinessImpact(
      severityFromSignals({ signals: incident.signals, isEntry: (s) => this.isEntry(s), config: this.config }),
      kpiDropsOf(incident.signals),
    );
  }

  /** Before impact is measured, signals may only raise severity; measured impact then decides. */
  private refreshFromSignals(incident: Incident, nowMs: number): IncidentUpdate[] {
    // Measured impact decides, but a business KPI going down since may still raise it.
    const verdict = incident.impact
      ? withBusinessImpact({ severity: incident.severity, reason: incident.severityReason }, kpiDropsOf(incident.signals))
      : this.signalSeverity(incident);
    if (severityRank(verdict.severity) <= severityRank(incident.severity)) return [];
    const update = this.applySeverity(incident, verdict.severity, verdict.reason, nowMs);
    return update ? [update] : [];
  }

  private applySeverity(incident: Incident, severity: Incident['severity'], reason: string, nowMs: number): IncidentUpdate | undefined {
    const from = incident.severity;
    incident.severityReason = reason;
    if (from === severity) return undefined;
    incident.severity = severity;
    return this.update(incident, 'severity-changed', [severityEntry(nowMs, from, severity, reason)]);
  }

  private update(incident: Incident, event: IncidentEvent, entries: TimelineEntry[]): IncidentUpdate {
    incident.timeline.push(...entries);
    return { incident: copyOf(incident), event, newTimeline: [...entries] };
  }

  private mustGet(id: string): Incident {
    const incident = this.incidents.get(id);
    if (!incident) throw new UnknownIncidentError(id);
    return incident;
  }

  /** Resolved incidents past their cool-down cannot reopen; beyond the retained count they are dropped. */
  private pruneResolved(nowMs: number): void {
    const resolved = [...this.incidents.values()].filter((i) => !isOpen(i.status) && (i.resolvedAtMs ?? 0) + this.config.coolDownMs < nowMs);
    for (const incident of resolved.slice(0, Math.max(0, resolved.length - this.config.retainResolved))) {
      this.incidents.delete(incident.id);
      for (const s of incident.signals) this.bySignal.delete(s.id);
    }
  }

  private pruneChanges(nowMs: number): void {
    const horizon = nowMs - this.config.changeLookbackMs - this.config.correlationWindowMs;
    this.recentChanges = this.recentChanges.filter((c) => c.timeMs >= horizon).slice(-1000);
  }
}
