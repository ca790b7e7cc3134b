// A second simulated system (the marketplace), unlike the demo shop, for drills on a system the detectors were not tuned on: an
// edge proxy in front of two BFFs, a dozen services, a queue worker, a cache peer known only by
// its IP, a quiet internal tool and a job that runs once.

import type { CallStep, DependencySpec, PoolSpec, RouteSpec, SimTopology } from '../shop.js';

export const MARKETPLACE_SERVICES = [
  'edge-proxy',
  'web-bff',
  'mobile-bff',
  'catalog',
  'search',
  'cart',
  'pricing',
  'inventory',
  'orders',
  'payments',
  'mailer',
  'recommendations',
  'order-worker',
  'admin-api',
  'backfill-job',
] as const;
export type MarketplaceService = (typeof MARKETPLACE_SERVICES)[number];

/** The cache has no service name in telemetry: clients only know its address. */
export const MARKETPLACE_CACHE_IP = '10.42.7.19';

const DEPENDENCIES: readonly DependencySpec[] = [
  { name: 'catalog-db', kind: 'database', system: 'postgresql', namespace: 'catalog', port: 5432, medianMs: 3 },
  { name: 'orders-db', kind: 'database', system: 'postgresql', namespace: 'orders', port: 5432, medianMs: 5 },
  { name: 'search-index', kind: 'database', system: 'elasticsearch', namespace: 'products', port: 9200, medianMs: 18 },
  { name: MARKETPLACE_CACHE_IP, kind: 'cache', system: 'redis', namespace: '0', port: 6379, medianMs: 0.5 },
  { name: 'order-events', kind: 'messaging', system: 'kafka', namespace: '', port: 9092, medianMs: 2 },
  { name: 'psp-gateway', kind: 'external', system: 'https', namespace: '', port: 443, medianMs: 140 },
  { name: 'smtp-relay', kind: 'external', system: 'smtp', namespace: '', port: 587, medianMs: 60 },
];

const POOLS: readonly PoolSpec<MarketplaceService>[] = [
  { service: 'orders', dependency: 'orders-db', max: 30, acquireTimeoutMs: 2500, backgroundHeld: 2 },
  { service: 'inventory', dependency: 'orders-db', max: 20, acquireTimeoutMs: 2000, backgroundHeld: 0 },
  { service: 'catalog', dependency: 'catalog-db', max: 20, acquireTimeoutMs: 2000, backgroundHeld: 1 },
  { service: 'order-worker', dependency: 'orders-db', max: 10, acquireTimeoutMs: 5000, backgroundHeld: 0 },
];

type Step = CallStep<MarketplaceService>;
const http = (service: MarketplaceService, method: string, route: string, required = true): Step => ({ kind: 'http', service, method, route, required });
const db = (dependency: string, operation: string, table: string, medianMs: number): Step => ({ kind: 'db', dependency, operation, table, medianMs });
const cached = (key: string, missProbability: number, onMiss: Step[], required = false): Step => ({
  kind: 'cache',
  dependency: MARKETPLACE_CACHE_IP,
  operation: 'GET',
  key,
  required,
  missProbability,
  onMiss: [...onMiss, { kind: 'cache', dependency: MARKETPLACE_CACHE_IP, operation: 'SET', key, required, missProbability: 0, onMiss: [] }],
});
const route = (service: MarketplaceService, method: string, path: string, selfMedianMs: number, steps: Step[]): RouteSpec<MarketplaceService> => ({
  service,
  method,
  route: path,
  selfMedianMs,
  steps,
});

const ROUTES: readonly RouteSpec<MarketplaceService>[] = [
  route('edge-proxy', 'GET', '/', 1, [http('web-bff', 'GET', '/home')]),
  route('edge-proxy', 'GET', '/p/{id}', 1, [http('web-bff', 'GET', '/product/{id}')]),
  route('edge-proxy', 'GET', '/s', 1, [http('web-bff', 'GET', '/search')]),
  route('edge-proxy', 'POST', '/cart', 1, [http('web-bff', 'POST', '/cart')]),
  route('edge-proxy', 'POST', '/checkout', 1, [http('web-bff', 'POST', '/checkout')]),
  route('edge-proxy', 'GET', '/m/feed', 1, [http('mobile-bff', 'GET', '/feed')]),
  route('edge-proxy', 'POST', '/m/orders', 1, [http('mobile-bff', 'POST', '/orders')]),
  route('web-bff', 'GET', '/home', 4, [http('catalog', 'GET', '/products'), http('recommendations', 'GET', '/recs', false)]),
  route('web-bff', 'GET', '/product/{id}', 4, [
    http('catalog', 'GET', '/products/{id}'),
    http('pricing', 'GET', '/price/{id}'),
    http('inventory', 'GET', '/stock/{id}', false),
  ]),
  route('web-bff', 'GET', '/search', 3, [http('search', 'GET', '/search')]),
  route('web-bff', 'POST', '/cart', 3, [http('cart', 'POST', '/items')]),
  route('web-bff', 'POST', '/checkout', 5, [http('orders', 'POST', '/orders')]),
  route('mobile-bff', 'GET', '/feed', 3, [http('recommendations', 'GET', '/recs'), http('catalog', 'GET', '/products')]),
  route('mobile-bff', 'POST', '/orders', 4, [http('orders', 'POST', '/orders')]),
  route('catalog', 'GET', '/products', 6, [cached('products:list', 0.2, [db('catalog-db', 'SELECT', 'products', 4)])]),
  route('catalog', 'GET', '/products/{id}', 4, [cached('product', 0.25, [db('catalog-db', 'SELECT', 'products', 3)])]),
  route('search', 'GET', '/search', 8, [db('search-index', 'SEARCH', 'products', 18)]),
  route('cart', 'POST', '/items', 3, [cached('cart', 0, [], true), http('pricing', 'GET', '/price/{id}')]),
  route('pricing', 'GET', '/price/{id}', 2, [cached('price', 0.1, [db('catalog-db', 'SELECT', 'prices', 2)])]),
  route('inventory', 'GET', '/stock/{id}', 2, [db('orders-db', 'SELECT', 'stock', 2)]),
  route('inventory', 'POST', '/reserve', 3, [db('orders-db', 'UPDATE', 'stock', 4)]),
  route('recommendations', 'GET', '/recs', 9, [cached('recs', 0.05, [])]),
  route('orders', 'POST', '/orders', 8, [
    http('pricing', 'GET', '/price/{id}'),
    http('inventory', 'POST', '/reserve'),
    http('payments', 'POST', '/charge'),
    db('orders-db', 'INSERT', 'orders', 5),
    { kind: 'publish', queue: 'order-events', consumer: 'order-worker', consumerRoute: 'order-placed' },
  ]),
  route('payments', 'POST', '/charge', 6, [{ kind: 'external', dependency: 'psp-gateway', method: 'POST', name: 'POST /v2/payments' }]),
  route('order-worker', 'CONSUME', 'order-placed', 10, [db('orders-db', 'UPDATE', 'orders', 4), http('mailer', 'POST', '/send')]),
  route('mailer', 'POST', '/send', 12, [{ kind: 'external', dependency: 'smtp-relay', method: 'SEND', name: 'smtp send' }]),
  route('admin-api', 'GET', '/admin/orders', 20, [db('orders-db', 'SELECT', 'orders', 25)]),
  route('backfill-job', 'POST', '/backfill/prices', 40, [db('catalog-db', 'UPDATE', 'prices', 30)]),
];

const versions: Record<MarketplaceService, string> = {
  'edge-proxy': '1.25.3',
  'web-bff': '4.2.0',
  'mobile-bff': '2.7.0',
  catalog: '7.1.0',
  search: '3.3.0',
  cart: '5.0.0',
  pricing: '2.9.0',
  inventory: '1.6.0',
  orders: '6.4.0',
  payments: '3.8.0',
  mailer: '0.9.12',
  recommendations: '1.3.0',
  'order-worker': '6.4.0',
  'admin-api': '0.4.0',
  'backfill-job': '0.1.0',
};

export const MARKETPLACE: SimTopology<MarketplaceService> = {
  name: 'marketplace',
  services: MARKETPLACE_SERVICES,
  entryService: 'edge-proxy',
  dependencies: DEPENDENCIES,
  pools: POOLS,
  routes: ROUTES,
  entryMix: [
    { method: 'GET', route: '/', share: 0.22 },
    { method: 'GET', route: '/p/{id}', share: 0.3 },
    { method: 'GET', route: '/s', share: 0.14 },
    { method: 'POST', route: '/cart', share: 0.12 },
    { method: 'POST', route: '/checkout', share: 0.06 },
    { method: 'GET', route: '/m/feed', share: 0.12 },
    { method: 'POST', route: '/m/orders', share: 0.04 },
  ],
  initialVersions: versions,
  httpPorts: Object.fromEntries(MARKETPLACE_SERVICES.map((s, i) => [s, 9000 + i])) as Record<MarketplaceService, number>,
  orders: { service: 'orders', route: '/orders' },
  queues: [{ consumer: 'order-worker', queue: 'order-events' }],
  side: [
    // An internal tool someone opens a few times an hour: too quiet to judge, must never page.
    { service: 'admin-api', method: 'GET', route: '/admin/orders', everyMs: 4 * 60_000 },
    // A backfill that ran once, 20 minutes in, and never again.
    { service: 'backfill-job', method: 'POST', route: '/backfill/prices', once: { afterMs: 20 * 60_000, count: 5 } },
  ],
};
