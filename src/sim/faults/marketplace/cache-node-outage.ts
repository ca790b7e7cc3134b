// Marketplace: the redis node behind 10.42.7.19 stops answering. Carts need it and fail; catalog,
// pricing and recommendations fall back to slower paths. The peer has no service name: the
// drill checks that Vigil names it by its address.

import { dependencyEffect } from '../../conditions.js';
import { MARKETPLACE_CACHE_IP } from '../../topologies/marketplace.js';
import type { FaultDefinition } from '../fault.js';

export const cacheNodeOutage: FaultDefinition = {
  name: 'cache-node-outage',
  topology: 'marketplace',
  summary: `redis node ${MARKETPLACE_CACHE_IP} unreachable; cart errors, catalog and pricing slower`,
  truth: { rootService: MARKETPLACE_CACHE_IP, rootKind: 'dependency-failure' },
  alsoAccepted: [{ rootService: MARKETPLACE_CACHE_IP, rootKind: 'saturation' }],
  affectedServices: ['cart', 'catalog', 'web-bff', 'edge-proxy'],
  recoveryMs: 0,
  apply(conditions, activity) {
    if (activity.sinceClearMs !== undefined) return;
    const cache = dependencyEffect(conditions, MARKETPLACE_CACHE_IP);
    cache.down = true;
    cache.downErrorType = 'Error';
    cache.downMessage = `connect ETIMEDOUT ${MARKETPLACE_CACHE_IP}:6379`;
    cache.downAfterMs = 200;
  },
};
