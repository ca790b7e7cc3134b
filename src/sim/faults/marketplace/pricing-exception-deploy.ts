// Marketplace: a pricing deploy reads a currency field that older products lack; a fifth of price
// look-ups throw, and product pages, carts and orders that need a price fail with them.

import type { FaultDefinition } from '../fault.js';

const MESSAGE = "Cannot read properties of undefined (reading 'currency')";

export const pricingExceptionDeploy: FaultDefinition = {
  name: 'pricing-exception-deploy',
  topology: 'marketplace',
  summary: 'pricing deploy reads a missing currency field; 20% of GET /price/{id} throw a TypeError',
  truth: { rootService: 'pricing', rootKind: 'bad-deploy' },
  alsoAccepted: [{ rootService: 'pricing', rootKind: 'code-error' }],
  affectedServices: ['pricing', 'web-bff', 'cart', 'edge-proxy'],
  change: {
    service: 'pricing',
    kind: 'deploy',
    description: 'pricing: multi-currency price rules',
    clearDescription: 'rollback: multi-currency price rules',
    attributes: { 'app.pricing.multi_currency': 'on' },
    clearAttributes: { 'app.pricing.multi_currency': 'off' },
  },
  recoveryMs: 0,
  apply(conditions, activity) {
    if (activity.sinceClearMs !== undefined) return;
    const stacktrace = `TypeError: ${MESSAGE}\n    at priceOf (/app/dist/pricing/rules.js:88:31)\n    at handlePrice (/app/dist/pricing/handlers.js:41:12)`;
    conditions.serviceEffects.push({
      service: 'pricing',
      version: activity.faultVersion,
      latencyFactor: 1,
      errors: [{ route: '/price/{id}', probability: 0.2, httpStatus: 500, type: 'TypeError', message: MESSAGE, stacktrace }],
    });
  },
};
