// The redis cache goes away: every cache call times out after ~250 ms. cart keeps carts in the
// cache and fails; catalog falls back to shop-db and only slows down.

import { dependencyDown, truthOf } from './builders.js';
import type { FaultDefinition } from './fault.js';

export const cacheOutage: FaultDefinition = {
  name: 'cache-outage',
  summary: 'redis cache unreachable; cart errors, catalog slower (falls back to shop-db)',
  ...truthOf('cache', 'dependency-failure', [{ rootService: 'cache', rootKind: 'saturation' }]),
  affectedServices: ['cart', 'catalog', 'frontend'],
  recoveryMs: 0,
  apply: dependencyDown('cache', 'connect ETIMEDOUT 10.0.3.12:6379', 250),
};
