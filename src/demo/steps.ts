// Executes the call steps of a shop route for real: HTTP calls to peer services through the
// instrumented http module, database queries through bounded pools, cache calls, queue publishes
// and external API calls, each with the spans a real instrumentation library would make.

import { Agent } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Span, Tracer } from '@opentelemetry/api';
import { DEFAULT_CLIENT_TIMEOUT_MS, dependencyEffect, findDependency, findRoute } from '../sim/index.js';
import type { CallStep, Conditions, DependencyEffect, ShopService } from '../sim/index.js';
import type { FakeCache } from './cache.js';
import { DeclinedError, jitter, RouteError, sleep } from './errors.js';
import type { ConnectionPool } from './pool.js';
import { PoolTimeoutError } from './pool.js';
import type { AsyncQueue } from './queue.js';
import type { HttpModule, ServiceTelemetry } from './telemetry.js';

export interface EmailMessage {
  carrier: Record<string, string>;
  headers: Record<string, string>;
}

export interface StepEnv {
  tracer: Tracer;
  http: HttpModule;
  pools: Map<string, ConnectionPool>;
  cache: FakeCache;
  queue: AsyncQueue<EmailMessage>;
  portOf(service: ShopService): number | undefined;
  /** Called on every pool acquisition (for the wait-time histogram and timeout counter). */
  onAcquire(poolKey: string, waitMs: number, timedOut: boolean): void;
}

export interface StepCall {
  caller: ShopService;
  tel: ServiceTelemetry;
  conditions: Conditions;
  headers: Record<string, string>;
}

// No keep-alive: a reused socket the server just closed would show up as spurious ECONNRESETs.
const agent = new Agent({ keepAlive: false, maxSockets: 64 });

export async function runStep(env: StepEnv, step: CallStep, call: StepCall): Promise<void> {
  switch (step.kind) {
    case 'http':
      return callService(env, step, call);
    case 'db':
      return queryDb(env, step, call);
    case 'cache':
      return callCache(env, step, call);
    case 'publish':
      return publish(env, step, call);
    case 'external':
      return callExternal(env, step, call);
  }
}

async function callService(env: StepEnv, step: Extract<CallStep, { kind: 'http' }>, call: StepCall): Promise<void> {
  const port = env.portOf(step.service);
  const timeoutMs = call.conditions.clientTimeoutMs.get(`${call.caller}->${step.service}`) ?? DEFAULT_CLIENT_TIMEOUT_MS;
  const path = findRoute(step.service, step.method, step.route).route.replace('{id}', call.headers['x-sku']?.slice(4) ?? '1000');
  let status: number;
  try {
    status = await httpCall(env.http, port ?? 1, step.method, path, call.headers, timeoutMs);
  } catch (err) {
    if (!step.required) return;
    const message = err instanceof Error ? err.message : String(err);
    throw new RouteError(message.includes('timed out') ? 504 : 502, 'UpstreamError', `${step.service}: ${message}`, false);
  }
  if (status === 402) throw new DeclinedError();
  if (status >= 500 && step.required) throw new RouteError(502, 'UpstreamError', `${step.service} responded ${status}`, false);
}

function httpCall(http: HttpModule, port: number, method: string, path: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error(`request timed out after ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.on('close', () => clearTimeout(timer));
    req.end();
  });
}

function fail(span: Span, err: Error): void {
  span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
}

/** A call to a dependency that is down: it fails after the dependency's timeout, recorded on its span; the error for the route to throw. */
async function failDown(span: Span, effect: DependencyEffect): Promise<RouteError> {
  await sleep(effect.downAfterMs);
  const err = new Error(effect.downMessage);
  fail(span, err);
  return new RouteError(503, effect.downErrorType, effect.downMessage, true, err.stack ?? '');
}

async function queryDb(env: StepEnv, step: Extract<CallStep, { kind: 'db' }>, call: StepCall): Promise<void> {
  const dep = findDependency(step.dependency);
  const poolKey = `${call.caller}->${dep.name}`;
  const pool = env.pools.get(poolKey);
  const peer = {
    'db.system.name': dep.system,
    'db.namespace': dep.namespace,
    'server.address': dep.name,
    'server.port': dep.port,
    'service.peer.name': dep.name,
  };
  if (pool) {
    const busy = pool.used >= pool.max * 0.8;
    const connect = busy
      ? env.tracer.startSpan('pg-pool.connect', { kind: SpanKind.CLIENT, attributes: { ...peer, 'db.client.connection.pool.name': dep.name } })
      : undefined;
    try {
      const waited = await pool.acquire();
      env.onAcquire(poolKey, waited, false);
      if (waited > 500)
        call.tel.log('WARN', `Waited ${Math.round(waited)} ms for a ${dep.name} connection (${pool.used}/${pool.max} in use)`, {
          'db.client.connection.pool.name': dep.name,
        });
      connect?.end();
    } catch (err) {
      env.onAcquire(poolKey, pool.acquireTimeoutMs, true);
      if (connect && err instanceof Error) fail(connect, err);
      connect?.end();
      if (err instanceof PoolTimeoutError) throw new RouteError(503, err.name, err.message, true, err.stack ?? '');
      throw err;
    }
  }
  try {
    const effect = dependencyEffect(call.conditions, dep.name);
    await env.tracer.startActiveSpan(
      `${step.operation} ${dep.namespace}.${step.table}`,
      { kind: SpanKind.CLIENT, attributes: { ...peer, 'db.operation.name': step.operation, 'db.collection.name': step.table } },
      async (span) => {
        try {
          if (effect.down) throw await failDown(span, effect);
          await sleep(jitter(step.medianMs * effect.latencyFactor, 0.45));
        } finally {
          span.end();
        }
      },
    );
  } finally {
    pool?.release();
  }
}

async function callCache(env: StepEnv, step: Extract<CallStep, { kind: 'cache' }>, call: StepCall): Promise<void> {
  const effect = dependencyEffect(call.conditions, 'cache');
  const key = `${step.key}:${call.headers['x-sku'] ?? call.headers['x-user-id'] ?? 'guest'}`;
  const hit = await env.tracer.startActiveSpan(
    step.operation.toLowerCase(),
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system.name': 'redis',
        'db.operation.name': step.operation,
        'server.address': 'cache',
        'server.port': 6379,
        'service.peer.name': 'cache',
      },
    },
    async (span) => {
      try {
        if (effect.down) {
          const err = await failDown(span, effect);
          if (step.required) throw err;
          return false;
        }
        if (step.operation === 'SET') {
          await env.cache.set(key, '1');
          return true;
        }
        const found = (await env.cache.get(key)) !== undefined;
        return found && Math.random() >= step.missProbability;
      } finally {
        span.end();
      }
    },
  );
  if (!hit) for (const fallback of step.onMiss) await runStep(env, fallback, call);
}

async function publish(env: StepEnv, step: Extract<CallStep, { kind: 'publish' }>, call: StepCall): Promise<void> {
  await env.tracer.startActiveSpan(
    `publish ${step.queue}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'rabbitmq',
        'messaging.operation.type': 'publish',
        'messaging.destination.name': step.queue,
        'server.address': step.queue,
        'service.peer.name': step.queue,
      },
    },
    async (span) => {
      await sleep(0);
      const carrier: Record<string, string> = {};
      propagation.inject(context.active(), carrier);
      env.queue.publish({ carrier, headers: { ...call.headers } });
      span.end();
    },
  );
}

async function callExternal(env: StepEnv, step: Extract<CallStep, { kind: 'external' }>, call: StepCall): Promise<void> {
  const dep = findDependency(step.dependency);
  const effect = dependencyEffect(call.conditions, dep.name);
  await env.tracer.startActiveSpan(
    step.method,
    {
      kind: SpanKind.CLIENT,
      attributes: { 'server.address': dep.name, 'server.port': dep.port, 'service.peer.name': dep.name, 'http.request.method': step.method },
    },
    async (span) => {
      try {
        await sleep(jitter(dep.medianMs * effect.latencyFactor, 0.3));
        span.setAttribute('http.response.status_code', 200);
      } finally {
        span.end();
      }
    },
  );
}
