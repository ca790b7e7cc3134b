// The verdict's state machine: watching → pass | fail | inconclusive, each decided once. A decided
// verdict may still gain evidence (the report keeps growing) but never changes its status.
import type { Evidence, Verdict, VerdictStatus } from './types.js';

export class IllegalVerdictTransition extends Error {
  constructor(
    readonly from: VerdictStatus,
    readonly to: VerdictStatus,
  ) {
    super(`a ${from} verdict cannot become ${to}: only a watching verdict is decided`);
  }
}

export const watching = (summary: string): Verdict => ({ status: 'watching', summary, evidence: [] });

export function decide(v: Verdict, to: Exclude<VerdictStatus, 'watching'>, atMs: number, summary: string, evidence: Evidence[]): Verdict {
  if (v.status !== 'watching') throw new IllegalVerdictTransition(v.status, to);
  return { status: to, decidedAtMs: atMs, summary, evidence };
}

/** The CLI's and CI's reading of a verdict: 0 pass, 1 fail, 2 anything else. */
export function exitCodeOf(status: VerdictStatus): 0 | 1 | 2 {
  return status === 'pass' ? 0 : status === 'fail' ? 1 : 2;
}
