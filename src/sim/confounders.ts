// Confounders for the suites: a harmless deploy of a service the fault will touch, shortly before
// the fault, so a ranking that blames whatever changed last is caught. Seeded: same seed, same plan.

import type { FaultDefinition } from './faults/fault.js';
import { SeededRandom } from './rng.js';

/** The harmless deploy lands this long before the fault: 30–120 s, when it looks most guilty. */
export const HARMLESS_LEAD_MS = { min: 30_000, max: 120_000 };

/**
 * A harmless deploy of one of the fault's affected services other than its root (the root's own
 * deploy would be the fault's), 30–120 s before `faultAtMs`.
 */
export function harmlessDeployBefore(fault: FaultDefinition, faultAtMs: number, seed: number): { atMs: number; service: string; description: string } {
  const rng = new SeededRandom(seed * 7919 + fault.name.length);
  const others = fault.affectedServices.filter((s) => s !== fault.truth.rootService && s !== fault.change?.service);
  const service = others.length > 0 ? rng.pick(others) : (fault.affectedServices[0] ?? fault.truth.rootService);
  const lead = HARMLESS_LEAD_MS.min + Math.round(rng.next() * (HARMLESS_LEAD_MS.max - HARMLESS_LEAD_MS.min));
  return { atMs: faultAtMs - lead, service, description: 'bump dependencies (harmless)' };
}
