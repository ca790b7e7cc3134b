// The registry of injectable faults (shared by the simulator, the live demo and the drills).
// A new fault is a new file in this folder plus one entry here; the marketplace topology's faults
// live in marketplace/ and their own list, so the demo (which runs only the demo shop) never sees them.

import { cacheOutage } from './cache-outage.js';
import { configChange } from './config-change.js';
import type { FaultDefinition } from './fault.js';
import { latencyDeploy } from './latency-deploy.js';
import { cacheNodeOutage } from './marketplace/cache-node-outage.js';
import { ordersConfigChange } from './marketplace/orders-config-change.js';
import { ordersPoolExhaustionDeploy } from './marketplace/orders-pool-exhaustion-deploy.js';
import { pricingExceptionDeploy } from './marketplace/pricing-exception-deploy.js';
import { searchLatencyDeploy } from './marketplace/search-latency-deploy.js';
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

/** Faults of the marketplace topology (src/sim/topologies/marketplace.ts). */
export const marketplaceFaultCatalog: Readonly<Record<string, FaultDefinition>> = {
  [ordersPoolExhaustionDeploy.name]: ordersPoolExhaustionDeploy,
  [searchLatencyDeploy.name]: searchLatencyDeploy,
  [pricingExceptionDeploy.name]: pricingExceptionDeploy,
  [cacheNodeOutage.name]: cacheNodeOutage,
  [ordersConfigChange.name]: ordersConfigChange,
};

/** The fault names of one topology, by its name. */
export function faultNamesOf(topology: string): string[] {
  if (topology === 'marketplace') return Object.keys(marketplaceFaultCatalog);
  if (topology === 'shop') return [...FAULT_NAMES];
  throw new Error(`unknown topology "${topology}" (known: shop, marketplace)`);
}

export function getFault(name: string): FaultDefinition {
  const fault = faultCatalog[name] ?? marketplaceFaultCatalog[name];
  if (!fault) throw new Error(`unknown fault "${name}" (known: ${[...FAULT_NAMES, ...Object.keys(marketplaceFaultCatalog)].join(', ')})`);
  return fault;
}
