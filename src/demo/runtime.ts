// The demo shop's services as real HTTP servers on 127.0.0.1, one per shop service, all in one
// process: each request runs its route's steps (sim/shop.ts topology) under the live fault
// conditions, answers with a real status, and logs through its service's OpenTelemetry logger.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { gcSlowdown, INITIAL_VERSIONS, MEMORY_BASE_MB, MEMORY_LIMIT_MB, POOLS, ROUTES, SHOP_SERVICES } from '../sim/index.js';
import type { RouteSpec } from '../sim/index.js';
import { FakeCache } from './cache.js';
import { DeclinedError, jitter, RouteError, sleep } from './errors.js';
import type { LiveFaults } from './faults.js';
import { registerServiceMetrics } from './instruments.js';
import type { PoolInstruments } from './instruments.js';
import { ConnectionPool } from './pool.js';
import { AsyncQueue } from './queue.js';
import type { ShopNode } from './shop-node.js';
import { runStep } from './steps.js';
import type { EmailMessage, StepEnv } from './steps.js';
import type { DemoTelemetry } from './telemetry.js';

const RESTART_MS = 15_000;
const BACKGROUND_ERROR_RATE = 0.001;
const DECLINE_RATE = 0.02;

export interface ShopRuntimeOptions {
  telemetry: DemoTelemetry;
  faults: LiveFaults;
  /** Shared with the telemetry so client spans can name their peer by port. */
  portMap: Map<number, string>;
  frontendPort?: number;
}

export class ShopRuntime {
  readonly nodes = new Map<string, ShopNode>();
  readonly pools = new Map<string, ConnectionPool>();
  private readonly poolInstruments = new Map<string, PoolInstruments>();
  private readonly queue = new AsyncQueue<EmailMessage>('email-queue');
  private readonly env: StepEnv;
  private memoryTimer?: NodeJS.Timeout;
  orders = 0;

  constructor(private readonly options: ShopRuntimeOptions) {
    const telemetry = options.telemetry;
    for (const spec of POOLS) this.pools.set(`${spec.service}->${spec.dependency}`, new ConnectionPool(spec.dependency, spec.max, spec.acquireTimeoutMs));
    for (const service of SHOP_SERVICES) {
      const tel = telemetry.service(service, INITIAL_VERSIONS[service]);
      const node: ShopNode = { service, tel, port: 0, busyMs: 0, leakedMb: 0, restartingUntilMs: 0 };
      this.nodes.set(service, node);
      registerServiceMetrics(node, this, this.poolInstruments);
    }
    this.env = {
      tracer: telemetry.tracer,
      http: telemetry.http,
      pools: this.pools,
      cache: new FakeCache(),
      queue: this.queue,
      portOf: (service) => this.nodes.get(service)?.port,
      onAcquire: (key, waitMs, timedOut) => {
        const i = this.poolInstruments.get(key);
        i?.waitTime.record(waitMs / 1000, { 'db.client.connection.pool.name': key.split('->')[1] ?? key });
        if (timedOut) i?.timeouts.add(1, { 'db.client.connection.pool.name': key.split('->')[1] ?? key });
      },
    };
  }

  get queueDepth(): number {
    return this.queue.depth;
  }

  async start(): Promise<void> {
    for (const node of this.nodes.values()) await this.listen(node, node.service === 'frontend' ? (this.options.frontendPort ?? 0) : 0);
    this.queue.consume((message) => this.consume(message));
    this.memoryTimer = setInterval(() => this.tickMemory(1000), 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.memoryTimer);
    await Promise.all([...this.nodes.values()].map((n) => closeServer(n)));
  }

  frontendUrl(): string {
    return `http://127.0.0.1:${this.nodes.get('frontend')?.port ?? 0}`;
  }

  memoryUsedMb(node: ShopNode, nowMs: number): number {
    return MEMORY_BASE_MB + 25 * (((nowMs / 1000) % 90) / 90) + node.leakedMb;
  }

  private async listen(node: ShopNode, port: number): Promise<void> {
    const server = this.options.telemetry.http.createServer((req, res) => void this.handle(node, req, res));
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    node.port = typeof address === 'object' && address ? address.port : port;
    node.server = server;
    this.options.portMap.set(node.port, node.service);
  }

  /** Memory leaks grow, relax, and kill the process at the limit (it restarts 15 s later). */
  private tickMemory(stepMs: number): void {
    const now = Date.now();
    const conditions = this.options.faults.conditions(now);
    for (const node of this.nodes.values()) {
      const leak = conditions.memoryLeakMbPerMin.get(node.service) ?? 0;
      node.leakedMb = leak > 0 ? node.leakedMb + (leak * stepMs) / 60_000 : Math.max(0, node.leakedMb - (120 * stepMs) / 60_000);
      if (node.server && this.memoryUsedMb(node, now) >= MEMORY_LIMIT_MB) {
        node.tel.log(
          'FATAL',
          `FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory (rss ${Math.round(this.memoryUsedMb(node, now))} MB)`,
        );
        node.leakedMb = 0;
        node.restartingUntilMs = now + RESTART_MS;
        const port = node.port;
        void closeServer(node).then(() =>
          sleep(RESTART_MS).then(async () => {
            await this.listen(node, port);
            node.tel.log('INFO', `${node.service} ${node.tel.version} started on port ${port}`);
          }),
        );
      }
    }
  }

  private async handle(node: ShopNode, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const span = trace.getActiveSpan();
    node.tel.claim(span);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const spec = matchRoute(node.service, req.method ?? 'GET', path);
    req.resume();
    if (!spec) {
      res.writeHead(404).end();
      return;
    }
    span?.updateName(`${spec.method} ${spec.route}`);
    span?.setAttribute('http.route', spec.route);
    const headers = forwardHeaders(req);
    if (headers['x-user-id']) span?.setAttribute('enduser.id', headers['x-user-id']);
    const started = performance.now();
    let status = 200;
    try {
      await this.runRoute(node, spec, headers);
      if (node.service === 'checkout') this.orders++;
    } catch (err) {
      status = this.answerError(node, spec, err, span);
    }
    const ms = performance.now() - started;
    if (status < 500) node.tel.log(status === 402 ? 'WARN' : 'INFO', successLine(node.service, spec, path, status, ms, headers), { 'http.route': spec.route });
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status }));
  }

  private answerError(node: ShopNode, spec: RouteSpec, err: unknown, span: ReturnType<typeof trace.getActiveSpan>): number {
    if (err instanceof DeclinedError) return 402;
    const e =
      err instanceof RouteError ? err : new RouteError(500, err instanceof Error ? err.name : 'Error', String(err instanceof Error ? err.message : err), true);
    const attributes: Record<string, string> = { 'http.route': spec.route, 'http.response.status_code': String(e.status) };
    if (e.thrownHere) {
      span?.recordException({ name: e.type, message: e.message, stack: e.stacktrace || e.stack });
      Object.assign(attributes, { 'exception.type': e.type, 'exception.message': e.message, 'exception.stacktrace': e.stacktrace || (e.stack ?? '') });
      node.tel.log('ERROR', `${spec.method} ${spec.route} failed: ${e.type}: ${e.message}`, attributes);
    } else {
      node.tel.log('ERROR', `${spec.method} ${spec.route} failed: upstream error: ${e.message}`, attributes);
    }
    return e.status;
  }

  async runRoute(node: ShopNode, spec: RouteSpec, headers: Record<string, string>): Promise<void> {
    const now = Date.now();
    const conditions = this.options.faults.conditions(now);
    const version = node.tel.version;
    const effects = conditions.serviceEffects.filter((e) => e.service === node.service && (e.version === undefined || e.version === version));
    let factor = gcSlowdown(this.memoryUsedMb(node, now));
    for (const e of effects) factor *= e.latencyFactor;
    const self = jitter(spec.selfMedianMs * 0.5) * factor;
    node.busyMs += 2 * self;
    await sleep(self);
    for (const e of effects.flatMap((x) => x.errors)) {
      if ((e.route === undefined || e.route === spec.route) && Math.random() < e.probability)
        throw new RouteError(e.httpStatus, e.type, e.message, true, e.stacktrace);
    }
    if (Math.random() < BACKGROUND_ERROR_RATE) throw new RouteError(502, 'Error', 'socket hang up', true);
    const call = { caller: node.service, tel: node.tel, conditions, headers };
    for (const step of spec.steps) await runStep(this.env, step, call);
    if (node.service === 'payment' && Math.random() < DECLINE_RATE) throw new DeclinedError();
    await sleep(self);
  }

  private async consume(message: EmailMessage): Promise<void> {
    const node = this.nodes.get('email');
    const spec = ROUTES.find((r) => r.service === 'email');
    if (!node || !spec || Date.now() < node.restartingUntilMs) return;
    const parent = propagation.extract(ROOT_CONTEXT, message.carrier);
    const span = this.options.telemetry.tracer.startSpan(
      `process ${spec.route}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: { 'messaging.system': 'rabbitmq', 'messaging.operation.type': 'process', 'messaging.destination.name': 'email-queue' },
      },
      parent,
    );
    node.tel.claim(span);
    await context.with(trace.setSpan(parent, span), async () => {
      try {
        await this.runRoute(node, spec, message.headers);
        node.tel.log('INFO', `Sent order confirmation ${message.headers['x-order-id'] ?? ''} to ${message.headers['x-user-id'] ?? ''}`);
      } catch (err) {
        this.answerError(node, spec, err, span);
      } finally {
        span.end();
      }
    });
  }
}

async function closeServer(node: ShopNode): Promise<void> {
  const server = node.server;
  if (!server) return;
  node.server = undefined;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

const routeMatchers = ROUTES.filter((r) => r.method !== 'CONSUME').map((r) => ({
  spec: r,
  pattern: new RegExp(`^${r.route.replace('{id}', '[^/]+')}$`),
}));

function matchRoute(service: string, method: string, path: string): RouteSpec | undefined {
  return routeMatchers.find((m) => m.spec.service === service && m.spec.method === method && m.pattern.test(path))?.spec;
}

function forwardHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['x-user-id', 'x-order-id', 'x-sku', 'x-country']) {
    const v = req.headers[name];
    if (typeof v === 'string') out[name] = v;
  }
  return out;
}

function successLine(service: string, spec: RouteSpec, path: string, status: number, ms: number, h: Record<string, string>): string {
  const user = h['x-user-id'] ?? 'guest';
  switch (service) {
    case 'frontend':
      return `${spec.method} ${path} ${status} ${ms.toFixed(1)}ms`;
    case 'catalog':
      return spec.route === '/products'
        ? `Listed ${24 + Math.floor(Math.random() * 24)} products for category shoes`
        : `Loaded product ${h['x-sku'] ?? 'SKU-10000'}`;
    case 'cart':
      return spec.method === 'POST'
        ? `Added 1 x ${h['x-sku'] ?? 'SKU-10000'} to cart of ${user}`
        : `Cart of ${user} has ${1 + Math.floor(Math.random() * 5)} items`;
    case 'shipping':
      return `Quoted shipping ${(4 + Math.random() * 20).toFixed(2)} USD for 2 items to ${h['x-country'] ?? 'US'}`;
    case 'checkout':
      return `Order ${h['x-order-id'] ?? ''} placed by ${user}: 2 items, total ${(9 + Math.random() * 240).toFixed(2)} USD`;
    case 'payment':
      return status === 402
        ? `Card ending ${1000 + Math.floor(Math.random() * 9000)} declined for order ${h['x-order-id'] ?? ''}: insufficient_funds`
        : `Charged ${(9 + Math.random() * 240).toFixed(2)} USD to card ending ${1000 + Math.floor(Math.random() * 9000)} for order ${h['x-order-id'] ?? ''}`;
    default:
      return `${spec.method} ${spec.route} done`;
  }
}
