// Marketplace: a config push sets orders' payments client timeout from 4000 ms to 40 ms; every
// charge times out and orders fail. Truth: the config change of orders.

import type { FaultDefinition } from '../fault.js';

export const ordersConfigChange: FaultDefinition = {
  name: 'orders-config-change',
  topology: 'marketplace',
  summary: 'orders config sets the payments client timeout 4000 ms → 40 ms; orders fail',
  truth: { rootService: 'orders', rootKind: 'config-change' },
  alsoAccepted: [{ rootService: 'orders', rootKind: 'bad-deploy' }],
  affectedServices: ['orders', 'web-bff', 'mobile-bff', 'edge-proxy'],
  change: {
    service: 'orders',
    kind: 'config',
    description: 'payments.client.timeout_ms: 4000 → 40',
    clearDescription: 'payments.client.timeout_ms: 40 → 4000 (reverted)',
    attributes: { key: 'payments.client.timeout_ms', from: '4000', to: '40' },
    clearAttributes: { key: 'payments.client.timeout_ms', from: '40', to: '4000' },
  },
  recoveryMs: 0,
  apply(conditions, activity) {
    if (activity.sinceClearMs !== undefined) return;
    conditions.clientTimeoutMs.set('orders->payments', 40);
  },
};
