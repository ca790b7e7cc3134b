// The signal lifecycle, decided once for every detector: quiet → pending (consecutive anomalous
// evaluations) → firing → recovered after `holdMs` of normal evaluations. A key fires at most once
// until it recovers. An evaluation saying "no news" (its subject reported nothing this bucket)
// leaves the key as it stands, so a series reported every minute counts its points, not buckets.
// State is plain JSON.
import type { Signal, SignalChangeLink } from '../model/index.js';
import type { DetectionConfig } from './config.js';
import type { Evaluation } from './detector.js';

interface TrackedKey {
  consecutive: number;
  active?: Signal;
  /** Start of the first normal bucket of the current normal run while firing. */
  normalSinceMs?: number;
}

export interface TrackerState {
  keys: Record<string, TrackedKey>;
}

export function emptyTracker(): TrackerState {
  return { keys: {} };
}

export type ChangeLinker = (service: string, startedAtMs: number, detectedAtMs: number) => SignalChangeLink | undefined;

export function isFiring(state: TrackerState, key: string): boolean {
  return state.keys[key]?.active !== undefined;
}

export function activeSignal(state: TrackerState, key: string): Signal | undefined {
  return state.keys[key]?.active;
}

function fire(e: Evaluation, nowMs: number, link: ChangeLinker): Signal | undefined {
  const f = e.draft;
  if (!f) return undefined;
  const subject = { ...e.subject };
  if (subject.version === '') delete subject.version;
  const change = link(subject.service, f.startedAtMs, nowMs);
  return {
    id: `${e.key}@${f.startedAtMs}`,
    key: e.key,
    kind: e.kind,
    status: 'firing',
    subject,
    startedAtMs: f.startedAtMs,
    detectedAtMs: nowMs,
    window: f.window,
    observed: f.observed,
    baseline: f.baseline,
    unit: f.unit,
    pValue: f.pValue,
    score: f.score,
    summary: change
      ? `${f.summary}; ${change.kind} ${change.version ? `of ${change.version} ` : ''}${Math.round((nowMs - change.timeMs) / 60_000)} min before`
      : f.summary,
    evidence: f.evidence,
    ...(change ? { change } : {}),
  };
}

/**
 * Applies one bucket's evaluations (bucket ending at `nowMs`); keys that no detector evaluated
 * count as normal (pending ones are dropped), keys evaluated as no news stand as they are. Returns
 * the signals that fired or recovered, in evaluation order.
 */
export function applyEvaluations(
  state: TrackerState,
  evaluations: readonly Evaluation[],
  nowMs: number,
  config: DetectionConfig,
  link: ChangeLinker,
): Signal[] {
  const emitted: Signal[] = [];
  const seen = new Set<string>();
  const recoverIfHeld = (key: string, t: TrackedKey): void => {
    if (!t.active) return;
    t.normalSinceMs ??= nowMs - config.bucketMs;
    if (nowMs - t.normalSinceMs >= config.holdMs) {
      emitted.push({ ...t.active, status: 'recovered', endedAtMs: nowMs });
      delete state.keys[key];
    }
  };
  for (const e of evaluations) {
    if (seen.has(e.key)) continue;
    seen.add(e.key);
    if (e.noNews === true) continue;
    const t = state.keys[e.key] ?? { consecutive: 0 };
    if (t.active) {
      if (e.state === 'normal') recoverIfHeld(e.key, t);
      else delete t.normalSinceMs;
      continue;
    }
    if (e.state !== 'anomalous') {
      delete state.keys[e.key];
      continue;
    }
    t.consecutive += 1;
    state.keys[e.key] = t;
    if (t.consecutive >= config.fireAfterBuckets || e.immediate === true) {
      const signal = fire(e, nowMs, link);
      if (signal) {
        t.active = signal;
        emitted.push(signal);
      }
    }
  }
  for (const key of Object.keys(state.keys)) {
    if (seen.has(key)) continue;
    const t = state.keys[key];
    if (!t) continue;
    if (t.active) recoverIfHeld(key, t);
    else delete state.keys[key];
  }
  return emitted;
}

export function activeSignals(state: TrackerState): Signal[] {
  const out: Signal[] = [];
  for (const key in state.keys) {
    const s = state.keys[key]?.active;
    if (s) out.push(s);
  }
  return out.sort((a, b) => a.startedAtMs - b.startedAtMs || a.key.localeCompare(b.key));
}
