// The registry of injectable faults (shared by the simulator, the live demo and the drills).
// A new fault is a new file in this folder plus one entry here.

import { cacheOutage } from './cache-outage.js';
import { configChange } from './config-change.js';
import type { FaultDefinition } from './fault.js';
import { latencyDeploy } from './latency-deploy.js';
import { memoryLeak } from './memory-leak.js';
import { newExceptionDeploy } from './new-exception-deploy.js';
import { noisyNeighbourDb } from './noisy-neighbour-db.js';
import { poolExhaustionDeploy } from './pool-exhaustion-deploy.js';
import { trafficDrop } from './traffic-drop.js';

export const faultCatalog: Readonly<Record<string, FaultDefinition>> = {
  [poolExhaustionDeploy.name]: poolExhaustionDeploy,
  [latencyDeploy.name]: latencyDeploy,
  [cacheOutage.name]: cacheOutage,
  [memoryLeak.name]: memoryLeak,
  [newExceptionDeploy.name]: newExceptionDeploy,
  [trafficDrop.name]: trafficDrop,
  [noisyNeighbourDb.name]: noisyNeighbourDb,
  [configChange.name]: configChange,
};

export const FAULT_NAMES: readonly string[] = Object.keys(faultCatalog);

export function getFault(name: string): FaultDefinition {
  const fault = faultCatalog[name];
  if (!fault) throw new Error(`unknown fault "${name}" (known: ${FAULT_NAMES.join(', ')})`);
  return fault;
}
