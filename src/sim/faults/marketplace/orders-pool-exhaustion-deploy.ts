// Marketplace: orders 6.5 writes an audit row per line item inside the order transaction, each
// order holds its orders-db connection far longer, the pool (30) saturates and POST /orders times
// out acquiring connections. Truth: the orders deploy; the saturated pool is the mechanism.

import { ramp } from '../../conditions.js';
import type { FaultDefinition } from '../fault.js';

const EXTRA_HELD = 45;

export const ordersPoolExhaustionDeploy: FaultDefinition = {
  name: 'orders-pool-exhaustion-deploy',
  topology: 'marketplace',
  summary: 'orders deploy audits every line item in the order transaction; orders-db pool 30/30, POST /orders times out',
  truth: { rootService: 'orders', rootKind: 'bad-deploy' },
  alsoAccepted: [{ rootService: 'orders-db', rootKind: 'saturation' }],
  affectedServices: ['orders', 'web-bff', 'mobile-bff', 'edge-proxy'],
  change: {
    service: 'orders',
    kind: 'deploy',
    description: 'orders: audit line items inside the order transaction',
    clearDescription: 'rollback: line-item audit',
    attributes: { 'app.orders.audit': 'inline' },
    clearAttributes: { 'app.orders.audit': 'off' },
  },
  recoveryMs: 60_000,
  apply(conditions, activity) {
    let level = ramp(activity.sinceOnsetMs - 20_000, 90_000);
    if (activity.sinceClearMs !== undefined) level *= 1 - ramp(activity.sinceClearMs, 60_000);
    const key = 'orders->orders-db';
    conditions.poolHeld.set(key, (conditions.poolHeld.get(key) ?? 0) + EXTRA_HELD * level);
  },
};
