// A cart deploy adds gift wrapping and forgets items without options: POST /cart/items throws a
// TypeError never seen before for ~30% of requests on the new version. Truth: bad deploy of cart
// (the code error is how it shows; both answers name cart).

import type { FaultDefinition } from './fault.js';

const STACK = [
  "TypeError: Cannot read properties of undefined (reading 'giftWrap')",
  '    at priceLineItem (/app/dist/cart/pricing.js:88:31)',
  '    at Array.map (<anonymous>)',
  '    at addItem (/app/dist/cart/routes/items.js:42:27)',
  '    at async Server.handle (/app/dist/cart/server.js:61:9)',
].join('\n');

export const newExceptionDeploy: FaultDefinition = {
  name: 'new-exception-deploy',
  summary: 'cart deploy throws a new TypeError on POST /cart/items for ~30% of requests',
  truth: { rootService: 'cart', rootKind: 'bad-deploy' },
  alsoAccepted: [{ rootService: 'cart', rootKind: 'code-error' }],
  affectedServices: ['cart', 'frontend'],
  change: {
    service: 'cart',
    kind: 'deploy',
    description: 'cart: gift wrapping option on line items',
    clearDescription: 'rollback: gift wrapping',
    attributes: { 'app.feature.gift_wrap': 'on' },
    clearAttributes: { 'app.feature.gift_wrap': 'off' },
  },
  recoveryMs: 0,
  apply(conditions, activity) {
    if (activity.sinceClearMs !== undefined) return;
    conditions.serviceEffects.push({
      service: 'cart',
      version: activity.faultVersion,
      latencyFactor: 1,
      errors: [
        {
          route: '/cart/items',
          probability: 0.3,
          httpStatus: 500,
          type: 'TypeError',
          message: "Cannot read properties of undefined (reading 'giftWrap')",
          stacktrace: STACK,
        },
      ],
    });
  },
};
