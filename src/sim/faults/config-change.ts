// A config change of checkout sets its payment client timeout from 5 s to 50 ms: almost every
// payment call (~130 ms) is abandoned, checkouts fail with 504. Truth: the config change of checkout.

import { timeoutConfigFault } from './builders.js';

export const configChange = timeoutConfigFault({
  name: 'config-change',
  summary: 'checkout config sets the payment client timeout 5000 ms → 50 ms; checkouts fail',
  service: 'checkout',
  callee: 'payment',
  key: 'payment.client.timeout_ms',
  fromMs: 5000,
  toMs: 50,
  affectedServices: ['checkout', 'frontend'],
});
