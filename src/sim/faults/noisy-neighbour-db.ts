// A reporting batch job (uninstrumented) hammers shop-db: every query of every shop-db client
// (catalog, cart, shipping) gets ~8x slower within a minute. Truth: shop-db is saturated.

import { dependencyEffect, ramp } from '../conditions.js';
import { truthOf } from './builders.js';
import type { FaultDefinition } from './fault.js';

export const noisyNeighbourDb: FaultDefinition = {
  name: 'noisy-neighbour-db',
  summary: 'a batch job saturates shared shop-db; catalog, cart and shipping queries 8x slower',
  ...truthOf('shop-db', 'saturation', [{ rootService: 'shop-db', rootKind: 'dependency-failure' }]),
  affectedServices: ['catalog', 'cart', 'shipping', 'frontend'],
  recoveryMs: 30_000,
  apply(conditions, activity) {
    let level = ramp(activity.sinceOnsetMs, 60_000);
    if (activity.sinceClearMs !== undefined) level *= 1 - ramp(activity.sinceClearMs, 30_000);
    const db = dependencyEffect(conditions, 'shop-db');
    db.latencyFactor *= 1 + 15 * level;
  },
};
