// Sub-threshold moves: what detectors measured but did not page on ('elevated' evaluations with a
// draft, and anomalous ones not firing yet). The engine remembers them a while so the root-cause
// ranking can read a dependency that moved only a little during an incident as weak evidence.
// A move is remembered by episode, as the signal tracker keeps a signal: it ends after `holdMs` of
// normal evaluations (a key no detector evaluates counts as normal, "no news" leaves it as it
// stands), and a move that comes back after that is a new episode with its own onset, not the old
// one continued — else a fresh move would read as under way since the first.
import type { ElevatedShift } from '../model/index.js';
import type { DetectionConfig } from './config.js';
import type { Evaluation } from './detector.js';

/** As long as the pipeline remembers recent signals: an incident ranked again later still sees the moves of its onset. */
export const ELEVATED_MEMORY_MS = 2 * 3_600_000;

/** A remembered move; `quietSinceMs` is the start of the normal run that may end it (absent while it moves). */
export type ElevatedEpisode = ElevatedShift & { quietSinceMs?: number };

/**
 * The open episode of a key is kept under the key itself; ended ones under `key@onset` until they
 * are forgotten. Episodes of a key are at least `holdMs` apart and all are forgotten
 * ELEVATED_MEMORY_MS after they were last seen, so a key holds at most one per `holdMs + bucketMs`
 * of that memory. Older snapshots hold one merged entry per key: read as its open episode.
 */
export type ElevatedMemory = Record<string, ElevatedEpisode>;

/**
 * Records the bucket's sub-threshold moves (bucket ending at `nowMs`): one entry per key and episode
 * (its onset, its strongest point); a key that fires leaves, ended episodes are kept until forgotten.
 */
export function noteElevated(
  memory: ElevatedMemory,
  evaluations: readonly Evaluation[],
  nowMs: number,
  firing: (key: string) => boolean,
  config: Pick<DetectionConfig, 'bucketMs' | 'holdMs'>,
): void {
  const quiet = (key: string): void => {
    const open = memory[key];
    if (!open) return;
    open.quietSinceMs ??= nowMs - config.bucketMs;
    if (nowMs - open.quietSinceMs < config.holdMs) return;
    delete memory[key];
    delete open.quietSinceMs;
    memory[`${key}@${open.startedAtMs}`] = open;
  };
  const evaluated = new Set<string>();
  for (const e of evaluations) {
    evaluated.add(e.key);
    if (firing(e.key)) {
      delete memory[e.key];
      continue;
    }
    if (e.noNews === true) continue;
    if (e.state === 'normal') {
      quiet(e.key);
      continue;
    }
    const prev = memory[e.key];
    const d = e.draft;
    if (!d) {
      if (prev) delete prev.quietSinceMs;
      continue;
    }
    const stronger = !prev || d.score >= prev.score;
    memory[e.key] = {
      key: e.key,
      kind: e.kind,
      subject: { ...e.subject },
      startedAtMs: prev ? Math.min(prev.startedAtMs, d.startedAtMs) : d.startedAtMs,
      lastSeenMs: nowMs,
      observed: stronger ? d.observed : prev.observed,
      baseline: stronger ? d.baseline : prev.baseline,
      unit: d.unit,
      score: stronger ? d.score : prev.score,
      summary: stronger ? d.summary : prev.summary,
      evidence: stronger ? { ...d.evidence } : prev.evidence,
    };
  }
  for (const key of Object.keys(memory)) {
    if (memory[key]!.key === key && !evaluated.has(key)) quiet(key);
    if (memory[key] && memory[key].lastSeenMs < nowMs - ELEVATED_MEMORY_MS) delete memory[key];
  }
}

/** The remembered moves, one per episode, oldest onset first. */
export function elevatedShifts(memory: ElevatedMemory): ElevatedShift[] {
  return Object.values(memory)
    .map(({ quietSinceMs: _, ...shift }) => shift)
    .sort((a, b) => a.startedAtMs - b.startedAtMs || a.key.localeCompare(b.key) || a.lastSeenMs - b.lastSeenMs);
}
