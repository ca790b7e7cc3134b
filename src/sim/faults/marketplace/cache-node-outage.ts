// Marketplace: the redis node behind 10.42.7.19 stops answering. Carts need it and fail; catalog,
// pricing and recommendations fall back to slower paths. The peer has no service name: the
// drill checks that Vigil names it by its address.

import { dependencyDown, truthOf } from '../builders.js';
import { MARKETPLACE_CACHE_IP } from '../../topologies/marketplace.js';
import type { FaultDefinition } from '../fault.js';

export const cacheNodeOutage: FaultDefinition = {
  name: 'cache-node-outage',
  topology: 'marketplace',
  summary: `redis node ${MARKETPLACE_CACHE_IP} unreachable; cart errors, catalog and pricing slower`,
  ...truthOf(MARKETPLACE_CACHE_IP, 'dependency-failure', [{ rootService: MARKETPLACE_CACHE_IP, rootKind: 'saturation' }]),
  affectedServices: ['cart', 'catalog', 'web-bff', 'edge-proxy'],
  recoveryMs: 0,
  apply: dependencyDown(MARKETPLACE_CACHE_IP, `connect ETIMEDOUT ${MARKETPLACE_CACHE_IP}:6379`, 200),
};
