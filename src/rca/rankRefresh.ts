// Keeping open incidents' rankings current: a ranking also reads evidence outside its incident —
// signals other incidents paged and sub-threshold moves in its minutes — which may arrive after the
// incident's last own signal (the culprit paging a minute later in an incident of its own). This
// says which open incidents such new evidence concerns, so the pipeline and the in-process replay
// re-rank those and only those, and ranks an incident the same way for both. Pure.

import type { ChangeEvent, ElevatedShift, RootCause, Signal } from '../model/index.js';
import { buildRuleContext, rankRootCauses } from './rank/rankRootCauses.js';
import { defaultRcaOptions, type GraphView, type RcaOptions } from './rank/types.js';

/** What an incident's ranking reads besides its own signals. */
export interface RankingEvidence {
  /** Recent signals of every incident (the incident's own are left out here). */
  recentSignals: readonly Signal[];
  elevated: readonly ElevatedShift[];
  changes: readonly ChangeEvent[];
  graph: GraphView;
  /** The ranking's windows; `correlationWindowMs` should be the incidents' own (vigil.yaml `incidents:`). */
  options?: Partial<RcaOptions>;
}

/** Ranks an incident's suspects from its own signals and the evidence around its minutes. */
export function rankIncident(incident: { signals: readonly Signal[]; startedAtMs: number }, evidence: RankingEvidence, nowMs: number): RootCause[] {
  const own = new Set(incident.signals.map((s) => s.id));
  return rankRootCauses({
    signals: incident.signals,
    otherSignals: evidence.recentSignals.filter((s) => !own.has(s.id)),
    elevated: evidence.elevated,
    changes: evidence.changes,
    graph: evidence.graph,
    onsetMs: incident.startedAtMs,
    nowMs,
    ...(evidence.options ? { options: evidence.options } : {}),
  });
}

/**
 * The open incidents a change reported now may explain: the ranking reads changes from its change
 * window before an incident's onset on. A deploy is often reported after its incident opened (a CI
 * step that posts once the rollout finished, while its errors already paged).
 */
export function concernedByChange<T extends { startedAtMs: number }>(change: ChangeEvent, open: readonly T[], options?: Partial<RcaOptions>): T[] {
  const windowMs = options?.changeWindowMs ?? defaultRcaOptions.changeWindowMs;
  return open.filter((i) => change.timeMs >= i.startedAtMs - windowMs);
}

/** What a move weighs in the ranking: its strongest point (score, then robust z). Its onset is part of its episode's name. */
interface Strength {
  score: number;
  z: number;
}

const strengthOf = (e: ElevatedShift): Strength => ({ score: e.score, z: Number(e.evidence['robustZ']) || 0 });

/** Whether `now` tells the ranking more than `before`: a stronger point (a move merely seen again does not). */
function strengthened(now: Strength, before: Strength): boolean {
  return now.score > before.score || (now.score === before.score && now.z > before.z);
}

/** A piece of new evidence as the ranking's window reads it: when it began and when it was last seen (now, while it lasts). */
interface Dated {
  startedAtMs: number;
  lastMs: number;
}

/**
 * Remembers what evidence the rankings have seen, to tell at each clock advance which open
 * incidents new evidence concerns. Call `due` at every advance (it also notes the moves it saw).
 */
export class RankRefresh {
  private seen = new Map<string, Strength>();

  /**
   * The open incidents to rank again at `nowMs`: those whose ranking window (from its "before"
   * window to now) new evidence falls in — a signal that fired in this advance, or a sub-threshold
   * move that is new or stronger since the last call — except those already ranked in this advance.
   * `open` is read only when there is new evidence.
   */
  due<T extends { id: string; startedAtMs: number }>(
    fired: readonly Signal[],
    elevated: readonly ElevatedShift[],
    nowMs: number,
    open: () => readonly T[],
    ranked: ReadonlySet<string>,
  ): T[] {
    const fresh: Dated[] = fired.filter((s) => s.status === 'firing').map((s) => ({ startedAtMs: s.startedAtMs, lastMs: nowMs }));
    fresh.push(...this.changedMoves(elevated).map((e) => ({ startedAtMs: e.startedAtMs, lastMs: e.lastSeenMs })));
    if (fresh.length === 0) return [];
    return open().filter((incident) => {
      if (ranked.has(incident.id)) return false;
      // The same window the ranking reads other incidents' signals and sub-threshold moves in.
      const { beforeFromMs, beforeToMs } = buildRuleContext({ signals: [], changes: [], onsetMs: incident.startedAtMs, nowMs }).window;
      return fresh.some((e) => e.startedAtMs >= beforeFromMs && e.startedAtMs <= nowMs && e.lastMs >= beforeToMs);
    });
  }

  /** The moves new or stronger since the last call; forgets those the detectors no longer remember. */
  private changedMoves(elevated: readonly ElevatedShift[]): ElevatedShift[] {
    const changed: ElevatedShift[] = [];
    const next = new Map<string, Strength>();
    for (const e of elevated) {
      const now = strengthOf(e);
      // A key's moves are remembered by episode (its onset): a move that came back, or one found to
      // have begun earlier, is new evidence however strong.
      const episode = `${e.key}@${e.startedAtMs}`;
      const before = this.seen.get(episode);
      if (!before || strengthened(now, before)) changed.push(e);
      // Keep the strongest seen, so a move that weakens and recovers its old strength is not news.
      next.set(episode, before && !strengthened(now, before) ? before : now);
    }
    this.seen = next;
    return changed;
  }
}
