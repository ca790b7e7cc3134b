// The shop simulator's public surface: the event-time generator, the fault catalog with ground
// truth, and the topology constants the demo and drills share.

export { simulateShop, dailyFactor } from './simulate.js';
export type { SimOptions, SimBatch } from './simulate.js';
export { faultCatalog, FAULT_NAMES, getFault } from './faults/catalog.js';
export type { FaultDefinition, FaultInjection, FaultTruth, FaultChange, FaultActivity } from './faults/fault.js';
export type { Conditions, ServiceEffect, DependencyEffect, InjectedError } from './conditions.js';
export { emptyConditions } from './conditions.js';
export { SeededRandom } from './rng.js';
export { SHOP_SERVICES, DEPENDENCIES, POOLS, ROUTES, ENTRY_MIX, INITIAL_VERSIONS, MEMORY_LIMIT_MB } from './shop.js';
export type { ShopService, DependencySpec, PoolSpec, RouteSpec, CallStep } from './shop.js';
