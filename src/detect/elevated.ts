// Sub-threshold moves: what detectors measured but did not page on ('elevated' evaluations with a
// draft, and anomalous ones not firing yet). The engine remembers them a while so the root-cause
// ranking can read a dependency that moved only a little during an incident as weak evidence.
import type { ElevatedShift } from '../model/index.js';
import type { Evaluation } from './detector.js';

/** As long as the pipeline remembers recent signals: an incident ranked again later still sees the moves of its onset. */
export const ELEVATED_MEMORY_MS = 2 * 3_600_000;

export type ElevatedMemory = Record<string, ElevatedShift>;

/**
 * Records the bucket's sub-threshold moves (bucket ending at `nowMs`): one entry per key while the
 * move lasts (its first onset, its strongest point); a key that fires leaves, stale keys are forgotten.
 */
export function noteElevated(memory: ElevatedMemory, evaluations: readonly Evaluation[], nowMs: number, firing: (key: string) => boolean): void {
  for (const e of evaluations) {
    const d = e.draft;
    if (firing(e.key)) {
      delete memory[e.key];
      continue;
    }
    if (!d || e.state === 'normal') continue;
    const prev = memory[e.key];
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
  for (const key of Object.keys(memory)) if (memory[key]!.lastSeenMs < nowMs - ELEVATED_MEMORY_MS) delete memory[key];
}

/** The remembered moves, oldest onset first. */
export function elevatedShifts(memory: ElevatedMemory): ElevatedShift[] {
  return Object.values(memory).sort((a, b) => a.startedAtMs - b.startedAtMs || a.key.localeCompare(b.key));
}
