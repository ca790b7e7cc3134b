// A cart deploy adds gift wrapping and forgets items without options: POST /cart/items throws a
// TypeError never seen before for ~30% of requests on the new version. Truth: bad deploy of cart
// (the code error is how it shows; both answers name cart).

import { deployFault, failingVersion } from './builders.js';

const STACK = [
  "TypeError: Cannot read properties of undefined (reading 'giftWrap')",
  '    at priceLineItem (/app/dist/cart/pricing.js:88:31)',
  '    at Array.map (<anonymous>)',
  '    at addItem (/app/dist/cart/routes/items.js:42:27)',
  '    at async Server.handle (/app/dist/cart/server.js:61:9)',
].join('\n');

export const newExceptionDeploy = deployFault({
  name: 'new-exception-deploy',
  summary: 'cart deploy throws a new TypeError on POST /cart/items for ~30% of requests',
  service: 'cart',
  alsoAccepted: [{ rootService: 'cart', rootKind: 'code-error' }],
  affectedServices: ['cart', 'frontend'],
  description: 'cart: gift wrapping option on line items',
  clearDescription: 'rollback: gift wrapping',
  flag: { key: 'app.feature.gift_wrap', on: 'on', off: 'off' },
  apply: failingVersion('cart', {
    route: '/cart/items',
    probability: 0.3,
    httpStatus: 500,
    type: 'TypeError',
    message: "Cannot read properties of undefined (reading 'giftWrap')",
    stacktrace: STACK,
  }),
});
