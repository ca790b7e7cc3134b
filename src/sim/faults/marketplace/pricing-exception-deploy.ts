// Marketplace: a pricing deploy reads a currency field that older products lack; a fifth of price
// look-ups throw, and product pages, carts and orders that need a price fail with them.

import { deployFault, failingVersion } from '../builders.js';

const MESSAGE = "Cannot read properties of undefined (reading 'currency')";
const STACK = `TypeError: ${MESSAGE}\n    at priceOf (/app/dist/pricing/rules.js:88:31)\n    at handlePrice (/app/dist/pricing/handlers.js:41:12)`;

export const pricingExceptionDeploy = deployFault({
  name: 'pricing-exception-deploy',
  topology: 'marketplace',
  summary: 'pricing deploy reads a missing currency field; 20% of GET /price/{id} throw a TypeError',
  service: 'pricing',
  alsoAccepted: [{ rootService: 'pricing', rootKind: 'code-error' }],
  affectedServices: ['pricing', 'web-bff', 'cart', 'edge-proxy'],
  description: 'pricing: multi-currency price rules',
  clearDescription: 'rollback: multi-currency price rules',
  flag: { key: 'app.pricing.multi_currency', on: 'on', off: 'off' },
  apply: failingVersion('pricing', { route: '/price/{id}', probability: 0.2, httpStatus: 500, type: 'TypeError', message: MESSAGE, stacktrace: STACK }),
});
