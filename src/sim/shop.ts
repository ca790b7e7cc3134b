// The simulated shop's topology as data: services, their routes and what each route calls
// (other services, databases through pools, the cache, the queue, external APIs). The trace
// generator walks these; faults change how the walk behaves, never the topology itself.

import type { NodeKind } from '../model/index.js';

export const SHOP_SERVICES = ['frontend', 'catalog', 'cart', 'checkout', 'payment', 'shipping', 'email'] as const;
export type ShopService = (typeof SHOP_SERVICES)[number];

export interface DependencySpec {
  name: string; // what client spans call it (service.peer.name / server.address)
  kind: NodeKind;
  system: string; // db.system.name, messaging.system or the protocol
  namespace: string; // db.namespace ('' when not a database)
  port: number;
  medianMs: number; // typical operation time when healthy
}

export const DEPENDENCIES: readonly DependencySpec[] = [
  { name: 'payment-db', kind: 'database', system: 'postgresql', namespace: 'payments', port: 5432, medianMs: 6 },
  { name: 'shop-db', kind: 'database', system: 'postgresql', namespace: 'shop', port: 5432, medianMs: 4 },
  { name: 'cache', kind: 'cache', system: 'redis', namespace: '0', port: 6379, medianMs: 0.6 },
  { name: 'email-queue', kind: 'messaging', system: 'rabbitmq', namespace: '', port: 5672, medianMs: 1.2 },
  { name: 'card-gateway', kind: 'external', system: 'https', namespace: '', port: 443, medianMs: 110 },
  { name: 'smtp-relay', kind: 'external', system: 'smtp', namespace: '', port: 587, medianMs: 70 },
];

/** Connection pools: one per (client service, database); the seed case is payment → payment-db. */
export interface PoolSpec<S extends string = ShopService> {
  service: S;
  dependency: string;
  max: number;
  acquireTimeoutMs: number;
  /** Connections held by the service's own background work (e.g. payment's settlement batches). */
  backgroundHeld: number;
}

export const POOLS: readonly PoolSpec[] = [
  { service: 'payment', dependency: 'payment-db', max: 50, acquireTimeoutMs: 3000, backgroundHeld: 4 },
  { service: 'catalog', dependency: 'shop-db', max: 20, acquireTimeoutMs: 2000, backgroundHeld: 1 },
  { service: 'cart', dependency: 'shop-db', max: 20, acquireTimeoutMs: 2000, backgroundHeld: 0 },
  { service: 'shipping', dependency: 'shop-db', max: 10, acquireTimeoutMs: 2000, backgroundHeld: 0 },
];

export type CallStep<S extends string = ShopService> =
  | { kind: 'http'; service: S; method: string; route: string; required: boolean }
  | { kind: 'db'; dependency: string; operation: string; table: string; medianMs: number }
  | { kind: 'cache'; operation: 'GET' | 'SET'; key: string; required: boolean; missProbability: number; onMiss: CallStep<S>[]; dependency?: string }
  | { kind: 'publish'; queue: string; consumer: S; consumerRoute: string }
  | { kind: 'external'; dependency: string; method: string; name: string };

export interface RouteSpec<S extends string = ShopService> {
  service: S;
  method: string; // HTTP method, or 'CONSUME' for a queue consumer
  route: string; // http.route template, or the consumer's operation name
  selfMedianMs: number;
  steps: CallStep<S>[];
}

const productFromCache: CallStep = {
  kind: 'cache',
  operation: 'GET',
  key: 'product',
  required: false,
  missProbability: 0.25,
  onMiss: [
    { kind: 'db', dependency: 'shop-db', operation: 'SELECT', table: 'products', medianMs: 4 },
    { kind: 'cache', operation: 'SET', key: 'product', required: false, missProbability: 0, onMiss: [] },
  ],
};

export const ROUTES: readonly RouteSpec[] = [
  {
    service: 'frontend',
    method: 'GET',
    route: '/',
    selfMedianMs: 6,
    steps: [{ kind: 'http', service: 'catalog', method: 'GET', route: '/products', required: true }],
  },
  {
    service: 'frontend',
    method: 'GET',
    route: '/product/{id}',
    selfMedianMs: 5,
    steps: [{ kind: 'http', service: 'catalog', method: 'GET', route: '/products/{id}', required: true }],
  },
  {
    service: 'frontend',
    method: 'POST',
    route: '/cart',
    selfMedianMs: 4,
    steps: [{ kind: 'http', service: 'cart', method: 'POST', route: '/cart/items', required: true }],
  },
  {
    service: 'frontend',
    method: 'GET',
    route: '/cart',
    selfMedianMs: 5,
    steps: [
      { kind: 'http', service: 'cart', method: 'GET', route: '/cart', required: true },
      { kind: 'http', service: 'shipping', method: 'GET', route: '/shipping/quote', required: false },
    ],
  },
  {
    service: 'frontend',
    method: 'POST',
    route: '/checkout',
    selfMedianMs: 7,
    steps: [{ kind: 'http', service: 'checkout', method: 'POST', route: '/checkout', required: true }],
  },
  { service: 'catalog', method: 'GET', route: '/products', selfMedianMs: 9, steps: [{ ...productFromCache, key: 'products:list' }] },
  { service: 'catalog', method: 'GET', route: '/products/{id}', selfMedianMs: 5, steps: [productFromCache] },
  {
    service: 'cart',
    method: 'POST',
    route: '/cart/items',
    selfMedianMs: 4,
    steps: [
      { kind: 'cache', operation: 'GET', key: 'cart', required: true, missProbability: 0, onMiss: [] },
      { kind: 'http', service: 'catalog', method: 'GET', route: '/products/{id}', required: true },
      { kind: 'db', dependency: 'shop-db', operation: 'INSERT', table: 'cart_items', medianMs: 5 },
      { kind: 'cache', operation: 'SET', key: 'cart', required: true, missProbability: 0, onMiss: [] },
    ],
  },
  {
    service: 'cart',
    method: 'GET',
    route: '/cart',
    selfMedianMs: 3,
    steps: [
      {
        kind: 'cache',
        operation: 'GET',
        key: 'cart',
        required: true,
        missProbability: 0.05,
        onMiss: [{ kind: 'db', dependency: 'shop-db', operation: 'SELECT', table: 'cart_items', medianMs: 4 }],
      },
    ],
  },
  {
    service: 'shipping',
    method: 'GET',
    route: '/shipping/quote',
    selfMedianMs: 6,
    steps: [{ kind: 'db', dependency: 'shop-db', operation: 'SELECT', table: 'shipping_rates', medianMs: 3 }],
  },
  {
    service: 'checkout',
    method: 'POST',
    route: '/checkout',
    selfMedianMs: 12,
    steps: [
      { kind: 'http', service: 'cart', method: 'GET', route: '/cart', required: true },
      { kind: 'http', service: 'shipping', method: 'GET', route: '/shipping/quote', required: true },
      { kind: 'http', service: 'payment', method: 'POST', route: '/pay', required: true },
      { kind: 'publish', queue: 'email-queue', consumer: 'email', consumerRoute: 'order-confirmation' },
    ],
  },
  {
    service: 'payment',
    method: 'POST',
    route: '/pay',
    selfMedianMs: 8,
    steps: [
      { kind: 'db', dependency: 'payment-db', operation: 'INSERT', table: 'payments', medianMs: 6 },
      { kind: 'external', dependency: 'card-gateway', method: 'POST', name: 'POST /v1/charges' },
      { kind: 'db', dependency: 'payment-db', operation: 'UPDATE', table: 'payments', medianMs: 5 },
    ],
  },
  {
    service: 'email',
    method: 'CONSUME',
    route: 'order-confirmation',
    selfMedianMs: 15,
    steps: [{ kind: 'external', dependency: 'smtp-relay', method: 'SEND', name: 'smtp send' }],
  },
];

/** Share of frontend traffic per entry route (sums to 1). */
export const ENTRY_MIX: ReadonlyArray<{ route: string; method: string; share: number }> = [
  { method: 'GET', route: '/', share: 0.3 },
  { method: 'GET', route: '/product/{id}', share: 0.35 },
  { method: 'POST', route: '/cart', share: 0.15 },
  { method: 'GET', route: '/cart', share: 0.1 },
  { method: 'POST', route: '/checkout', share: 0.1 },
];

export const INITIAL_VERSIONS: Readonly<Record<ShopService, string>> = {
  frontend: '1.8.0',
  catalog: '3.1.0',
  cart: '2.0.0',
  checkout: '1.4.0',
  payment: '2.2.0',
  shipping: '1.1.0',
  email: '1.0.0',
};

export const HTTP_PORTS: Readonly<Record<ShopService, number>> = {
  frontend: 8080,
  catalog: 8081,
  cart: 8082,
  checkout: 8083,
  payment: 8084,
  shipping: 8085,
  email: 8086,
};

/** Typical resident memory per service (MB) and the container limit the memory-leak fault runs into. */
export const MEMORY_BASE_MB = 180;
export const MEMORY_LIMIT_MB = 512;

/** Traffic outside the entry mix: a quiet internal tool, or a job that runs once. */
export interface SideTraffic {
  service: string;
  method: string;
  route: string;
  /** Mean time between requests (Poisson), for steady quiet traffic. */
  everyMs?: number;
  /** A one-off burst: `count` requests this long after the start of the simulation. */
  once?: { afterMs: number; count: number };
}

/**
 * A simulated system as data: what the simulator walks. The demo shop (below, the topology named
 * "shop") is one; others live in topologies/ so the drills run on systems the detectors were not
 * tuned on.
 */
export interface SimTopology<S extends string = string> {
  name: string;
  services: readonly S[];
  /** The customer-facing service every entry route belongs to. */
  entryService: S;
  dependencies: readonly DependencySpec[];
  pools: readonly PoolSpec<S>[];
  routes: readonly RouteSpec<S>[];
  entryMix: ReadonlyArray<{ route: string; method: string; share: number }>;
  initialVersions: Readonly<Record<S, string>>;
  httpPorts: Readonly<Record<S, number>>;
  /** The service whose successful server spans count as orders (the shop.orders metric). */
  orders: { service: S; route: string };
  /** Queues whose depth the consumer exports. */
  queues: ReadonlyArray<{ consumer: S; queue: string }>;
  side: readonly SideTraffic[];
}

export const DEMO_SHOP: SimTopology<ShopService> = {
  name: 'shop',
  services: SHOP_SERVICES,
  entryService: 'frontend',
  dependencies: DEPENDENCIES,
  pools: POOLS,
  routes: ROUTES,
  entryMix: ENTRY_MIX,
  initialVersions: INITIAL_VERSIONS,
  httpPorts: HTTP_PORTS,
  orders: { service: 'checkout', route: '/checkout' },
  queues: [{ consumer: 'email', queue: 'email-queue' }],
  side: [],
};

export function routeKey(service: string, method: string, route: string): string {
  return `${service} ${method} ${route}`;
}

const routeIndexes = new WeakMap<SimTopology, Map<string, RouteSpec<string>>>();

/** A route of a topology (the demo shop's by default). */
export function findRoute(service: string, method: string, route: string): RouteSpec;
export function findRoute(service: string, method: string, route: string, topology: SimTopology): RouteSpec<string>;
export function findRoute(service: string, method: string, route: string, topology: SimTopology = DEMO_SHOP): RouteSpec<string> {
  let index = routeIndexes.get(topology);
  if (!index) {
    index = new Map(topology.routes.map((r) => [routeKey(r.service, r.method, r.route), r]));
    for (const side of topology.side) {
      const spec = topology.routes.find((r) => r.service === side.service && r.method === side.method && r.route === side.route);
      if (!spec) throw new Error(`${topology.name} topology: side traffic names no route ${routeKey(side.service, side.method, side.route)}`);
    }
    routeIndexes.set(topology, index);
  }
  const spec = index.get(routeKey(service, method, route));
  if (!spec) throw new Error(`${topology.name} topology has no route ${routeKey(service, method, route)}`);
  return spec;
}

export function findDependency(name: string, topology: SimTopology = DEMO_SHOP): DependencySpec {
  const dep = topology.dependencies.find((d) => d.name === name);
  if (!dep) throw new Error(`${topology.name} topology has no dependency ${name}`);
  return dep;
}
