// The live drill's decisions, kept apart from its I/O so they can be tested with made-up incident
// lists: which incidents are the drill's, when to clear the fault, and when the drill is over.
// Clock and incidents come in as arguments; the caller polls, injects and clears.

import type { FaultDefinition } from '../sim/index.js';
import { matchesTruth, partitionIncidents } from './drill-score.js';
import type { IncidentListItem } from './drill-score.js';

export interface LiveDrillPlan {
  /** Give up waiting for an incident this long after injection (the fault is then cleared). */
  maxDetectMs: number;
  /** Clear the fault this long after injection at the latest. */
  maxFaultMs: number;
  /**
   * Once the incident's top root cause is right, keep the fault this much longer (severity and
   * context settle on a fault that lasts), then clear. Infinity: always run for maxFaultMs.
   */
  settleMs: number;
  /** Stop waiting for the all-clear this long after clearing. */
  maxAllClearMs: number;
}

export type LiveDrillStep = { action: 'wait' } | { action: 'clear'; reason: string } | { action: 'finish'; reason: string };

/** What changed at a poll, for progress lines. */
/**
 * An incident of the drill. A resolved incident that reopens during the drill (Vigil reopens one
 * that flares up within its cool-down instead of opening a new one) counts as detected when this
 * tracker first saw it reopened: `detectedAt` is then that poll's time, not the first episode's.
 */
export interface DrillIncident extends IncidentListItem {
  reopened?: boolean;
}

export type LiveDrillNews =
  | { kind: 'opened'; incident: DrillIncident; related: boolean }
  | { kind: 'top-root-cause'; incident: DrillIncident; right: boolean }
  | { kind: 'resolved'; incident: DrillIncident };

export class LiveDrillTracker {
  private readonly seen = new Map<string, DrillIncident>();
  private readonly before = new Map<string, IncidentListItem>();
  private clearedAtMs?: number;
  private rightSinceMs?: number;
  private lastTop = '';
  private readonly resolved = new Set<string>();

  /**
   * @param before the incidents there before injection: those open then are never the drill's
   * (signals they absorb are not counted); resolved ones are the drill's if they reopen.
   */
  constructor(
    private readonly def: FaultDefinition,
    private readonly plan: LiveDrillPlan,
    readonly injectedAtMs: number,
    before: readonly IncidentListItem[],
  ) {
    for (const i of before) this.before.set(i.id, i);
  }

  get clearedAt(): number | undefined {
    return this.clearedAtMs;
  }

  markCleared(atMs: number): void {
    this.clearedAtMs = atMs;
  }

  /** Latest copy of every incident opened (or reopened) since injection, false ones included. */
  incidents(): DrillIncident[] {
    return [...this.seen.values()];
  }

  /** The first incident about the fault, if one opened. */
  primary(nowMs: number): DrillIncident | undefined {
    return this.related(nowMs)[0];
  }

  /** Takes one poll of the incident list (any order) and returns what is new. */
  observe(list: readonly IncidentListItem[], nowMs: number): LiveDrillNews[] {
    const news: LiveDrillNews[] = [];
    for (const listed of list) {
      const known = this.seen.get(listed.id);
      const earlier = this.before.get(listed.id);
      let incident: DrillIncident = listed;
      if (earlier) {
        const reopened = earlier.status === 'resolved' && (listed.status !== 'resolved' || listed.resolvedAt !== earlier.resolvedAt);
        if (!known && !reopened) continue;
        incident = { ...listed, reopened: true, detectedAt: known?.detectedAt ?? new Date(nowMs).toISOString() };
      } else if (Date.parse(listed.detectedAt) < this.injectedAtMs) continue;
      this.seen.set(incident.id, incident);
      if (!known) news.push({ kind: 'opened', incident, related: this.related(nowMs).includes(incident) });
    }
    const primary = this.primary(nowMs);
    const top = primary?.topRootCause;
    const topKey = top ? `${primary.id} ${top.service} ${top.kind}` : '';
    if (primary && top && topKey !== this.lastTop) {
      const right = matchesTruth(top, this.def.truth);
      news.push({ kind: 'top-root-cause', incident: primary, right });
      if (!right) this.rightSinceMs = undefined;
      else this.rightSinceMs ??= nowMs;
    }
    this.lastTop = topKey;
    for (const incident of this.related(nowMs)) {
      if (incident.status !== 'resolved' || this.resolved.has(incident.id)) continue;
      this.resolved.add(incident.id);
      news.push({ kind: 'resolved', incident });
    }
    return news;
  }

  /** What to do after the latest poll. */
  next(nowMs: number): LiveDrillStep {
    const sinceInjection = nowMs - this.injectedAtMs;
    const related = this.related(nowMs);
    if (this.clearedAtMs === undefined) {
      if (related.length === 0 && sinceInjection >= this.plan.maxDetectMs)
        return { action: 'clear', reason: `no incident within ${seconds(this.plan.maxDetectMs)}` };
      if (this.rightSinceMs !== undefined && nowMs - this.rightSinceMs >= this.plan.settleMs)
        return { action: 'clear', reason: `top root cause right for ${seconds(nowMs - this.rightSinceMs)}` };
      if (sinceInjection >= this.plan.maxFaultMs) return { action: 'clear', reason: `the fault ran its ${seconds(this.plan.maxFaultMs)}` };
      return { action: 'wait' };
    }
    if (related.length === 0) return { action: 'finish', reason: 'nothing was detected, so there is no all-clear to wait for' };
    if (related.every((i) => i.status === 'resolved')) return { action: 'finish', reason: 'all-clear' };
    if (nowMs - this.clearedAtMs >= this.plan.maxAllClearMs)
      return { action: 'finish', reason: `no all-clear within ${seconds(this.plan.maxAllClearMs)} of clearing` };
    return { action: 'wait' };
  }

  private related(nowMs: number): DrillIncident[] {
    return partitionIncidents(this.def, this.incidents(), { onsetMs: this.injectedAtMs, clearMs: this.clearedAtMs ?? nowMs }).related;
  }
}

const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;
