// The incident lifecycle as an explicit state machine: triggered → acknowledged → mitigated →
// resolved, only forwards by hand; a resolved incident comes back only by reopening on a flare-up.
import type { IncidentStatus } from '../model/index.js';
import { IllegalTransitionError } from './errors.js';

export type ManualTransition = 'acknowledged' | 'mitigated' | 'resolved';

const rank: Record<IncidentStatus, number> = { triggered: 0, acknowledged: 1, mitigated: 2, resolved: 3 };

/** Skipping states is allowed (resolve straight from triggered); going back or staying is not. */
export function canTransition(from: IncidentStatus, to: ManualTransition): boolean {
  return rank[to] > rank[from];
}

export function assertTransition(id: string, from: IncidentStatus, to: ManualTransition): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(id, from, to);
}

export const isOpen = (status: IncidentStatus): boolean => status !== 'resolved';
