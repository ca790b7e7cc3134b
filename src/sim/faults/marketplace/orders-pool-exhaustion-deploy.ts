// Marketplace: orders 6.5 writes an audit row per line item inside the order transaction, each
// order holds its orders-db connection far longer, the pool (30) saturates and POST /orders times
// out acquiring connections. Truth: the orders deploy; the saturated pool is the mechanism.

import { deployFault, poolHeldLonger } from '../builders.js';

const EXTRA_HELD = 45;

export const ordersPoolExhaustionDeploy = deployFault({
  name: 'orders-pool-exhaustion-deploy',
  topology: 'marketplace',
  summary: 'orders deploy audits every line item in the order transaction; orders-db pool 30/30, POST /orders times out',
  service: 'orders',
  alsoAccepted: [{ rootService: 'orders-db', rootKind: 'saturation' }],
  affectedServices: ['orders', 'web-bff', 'mobile-bff', 'edge-proxy'],
  description: 'orders: audit line items inside the order transaction',
  clearDescription: 'rollback: line-item audit',
  flag: { key: 'app.orders.audit', on: 'inline', off: 'off' },
  recoveryMs: 60_000,
  apply: poolHeldLonger({ pool: 'orders->orders-db', extraHeld: EXTRA_HELD, delayMs: 20_000, buildMs: 90_000, drainMs: 60_000 }),
});
