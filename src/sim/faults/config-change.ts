// A config change of checkout sets its payment client timeout from 5 s to 50 ms: almost every
// payment call (~130 ms) is abandoned, checkouts fail with 504. Truth: the config change of checkout.

import type { FaultDefinition } from './fault.js';

export const configChange: FaultDefinition = {
  name: 'config-change',
  summary: 'checkout config sets the payment client timeout 5000 ms → 50 ms; checkouts fail',
  truth: { rootService: 'checkout', rootKind: 'config-change' },
  alsoAccepted: [{ rootService: 'checkout', rootKind: 'bad-deploy' }],
  affectedServices: ['checkout', 'frontend'],
  change: {
    service: 'checkout',
    kind: 'config',
    description: 'payment.client.timeout_ms: 5000 → 50',
    clearDescription: 'payment.client.timeout_ms: 50 → 5000 (reverted)',
    attributes: { key: 'payment.client.timeout_ms', from: '5000', to: '50' },
    clearAttributes: { key: 'payment.client.timeout_ms', from: '50', to: '5000' },
  },
  recoveryMs: 0,
  apply(conditions, activity) {
    if (activity.sinceClearMs !== undefined) return;
    conditions.clientTimeoutMs.set('checkout->payment', 50);
  },
};
