// Application log templates of the shop, with realistic parameters, so log template mining and
// "new pattern since release" have something real to find. One success message per route.

import type { SeededRandom } from './rng.js';

export interface RequestFacts {
  userId: string;
  country: string;
  path: string;
  status: number;
  durationMs: number;
  orderId: string;
  sku: string;
  amount: string;
  items: number;
}

type Template = (rng: SeededRandom, f: RequestFacts) => string;

const CATEGORIES = ['shoes', 'jackets', 'bags', 'hats', 'socks', 'gloves', 'shirts'];

const SUCCESS: Record<string, Template> = {
  'catalog GET /products': (rng) => `Listed ${rng.int(12, 48)} products for category ${rng.pick(CATEGORIES)}`,
  'catalog GET /products/{id}': (_rng, f) => `Loaded product ${f.sku}`,
  'cart POST /cart/items': (rng, f) => `Added ${rng.int(1, 3)} x ${f.sku} to cart of ${f.userId || 'guest'}`,
  'cart GET /cart': (_rng, f) => `Cart of ${f.userId || 'guest'} has ${f.items} items`,
  'shipping GET /shipping/quote': (rng, f) => `Quoted shipping ${(4 + rng.next() * 20).toFixed(2)} USD for ${f.items} items to ${f.country}`,
  'checkout POST /checkout': (_rng, f) => `Order ${f.orderId} placed by ${f.userId}: ${f.items} items, total ${f.amount} USD`,
  'payment POST /pay': (rng, f) => `Charged ${f.amount} USD to card ending ${rng.int(1000, 9999)} for order ${f.orderId}`,
  'email CONSUME order-confirmation': (_rng, f) => `Sent order confirmation ${f.orderId} to ${f.userId}`,
};

/** The frontend writes an access log line; the other services a business message. */
export function successMessage(service: string, method: string, route: string, rng: SeededRandom, f: RequestFacts): string {
  if (service === 'frontend') return `${method} ${f.path} ${f.status} ${f.durationMs.toFixed(1)}ms`;
  const template = SUCCESS[`${service} ${method} ${route}`];
  return template ? template(rng, f) : `${method} ${route} done`;
}

export function declinedMessage(rng: SeededRandom, f: RequestFacts): string {
  return `Card ending ${rng.int(1000, 9999)} declined for order ${f.orderId}: ${rng.pick(['insufficient_funds', 'expired_card', 'do_not_honor'])}`;
}

export function failureMessage(method: string, route: string, type: string, message: string): string {
  return `${method} ${route} failed: ${type}: ${message}`;
}

export function poolWaitMessage(dependency: string, waitMs: number, inUse: number, max: number): string {
  return `Waited ${Math.round(waitMs)} ms for a ${dependency} connection (${Math.round(inUse)}/${max} in use)`;
}

/** Transient errors that happen in any healthy system (the error background). */
export const BACKGROUND_ERRORS: ReadonlyArray<{ type: string; message: string; status: number }> = [
  { type: 'Error', message: 'socket hang up', status: 502 },
  { type: 'Error', message: 'read ECONNRESET', status: 502 },
  { type: 'AbortError', message: 'The operation was aborted', status: 503 },
  { type: 'RangeError', message: 'Invalid time value', status: 500 },
];

export function stackFor(service: string, type: string, message: string, frame: string): string {
  return `${type}: ${message}\n    at ${frame} (/app/dist/${service}/handlers.js:${(frame.length * 7) % 200}:${(frame.length * 3) % 40})\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`;
}
