// What the window-testing detectors (error rate, throughput) decide alike: which of their windows'
// verdicts speaks, and when evidence is strong enough to fire without the second bucket in a row.
import { z } from 'zod';
import type { Evaluation, EvaluationState, SignalDraft } from '../detector.js';

/** Schema pieces of the detectors' settings. */
export const positive = z.number().positive();
export const probability = z.number().gt(0).lt(1);

const RANK: Record<EvaluationState, number> = { normal: 0, elevated: 1, anomalous: 2 };

/** The strongest of several windows' verdicts: the worse state, then the smaller p-value. */
export function strongestVerdict<V extends { state: EvaluationState; pv: number }>(verdicts: ReadonlyArray<V | undefined>): V | undefined {
  let best: V | undefined;
  for (const v of verdicts) if (v && (!best || RANK[v.state] > RANK[best.state] || (v.state === best.state && v.pv < best.pv))) best = v;
  return best;
}

/** Attaches the verdict's draft; evidence a thousand times past the detector's alpha does not wait for a second bucket. */
export function withDraft(e: Evaluation, v: { draft?: SignalDraft; pv: number }, alpha: number): Evaluation {
  if (!v.draft) return e;
  e.draft = v.draft;
  if (v.pv < alpha * 1e-3) e.immediate = true;
  return e;
}
