// The simulator's public surface: the event-time generator, the fault catalog with ground
// truth, and the topology constants the demo and drills share.

export { simulateShop, dailyFactor, faultConditions } from './simulate.js';
export { harmlessDeployBefore, HARMLESS_LEAD_MS } from './confounders.js';
export { nextMinor, nextPatch, ROLLOUT_MS } from './versions.js';
export { gcSlowdown } from './world.js';
export type { SimOptions, SimBatch } from './simulate.js';
export { faultCatalog, FAULT_NAMES, getFault, marketplaceFaultCatalog, faultNamesOf } from './faults/catalog.js';
export type { FaultDefinition, FaultInjection, FaultTruth, FaultChange, FaultActivity } from './faults/fault.js';
export type { Conditions, ServiceEffect, DependencyEffect, InjectedError } from './conditions.js';
export { emptyConditions, dependencyEffect, DEFAULT_CLIENT_TIMEOUT_MS } from './conditions.js';
export { SeededRandom } from './rng.js';
export { logsRequest, metricsRequest, tracesRequest } from './otlp.js';
export {
  SHOP_SERVICES,
  DEPENDENCIES,
  POOLS,
  ROUTES,
  ENTRY_MIX,
  INITIAL_VERSIONS,
  MEMORY_LIMIT_MB,
  MEMORY_BASE_MB,
  HTTP_PORTS,
  findRoute,
  findDependency,
  DEMO_SHOP,
} from './shop.js';
export { MARKETPLACE, MARKETPLACE_SERVICES, MARKETPLACE_CACHE_IP } from './topologies/marketplace.js';
export type { MarketplaceService } from './topologies/marketplace.js';
export type { ShopService, DependencySpec, PoolSpec, RouteSpec, CallStep, SimTopology, SideTraffic } from './shop.js';
export { topologyNamed } from './topologies/named.js';
export { UserPopulation } from './users.js';
export type { ShopUser } from './users.js';
