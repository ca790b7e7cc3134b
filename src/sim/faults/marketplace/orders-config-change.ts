// Marketplace: a config push sets orders' payments client timeout from 4000 ms to 40 ms; every
// charge times out and orders fail. Truth: the config change of orders.

import { timeoutConfigFault } from '../builders.js';

export const ordersConfigChange = timeoutConfigFault({
  name: 'orders-config-change',
  topology: 'marketplace',
  summary: 'orders config sets the payments client timeout 4000 ms → 40 ms; orders fail',
  service: 'orders',
  callee: 'payments',
  key: 'payments.client.timeout_ms',
  fromMs: 4000,
  toMs: 40,
  affectedServices: ['orders', 'web-bff', 'mobile-bff', 'edge-proxy'],
});
