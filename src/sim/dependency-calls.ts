// The calls a request makes to what is not a shop service: database queries (through the
// connection pools), external APIs, and the failure of a dependency that is down. Each records its
// client span (and the pool's wait log) and tells the caller how the call ended.
import type { LogRecord, Span } from '../model/index.js';
import { dependencyEffect, type Conditions } from './conditions.js';
import { poolWaitMessage, stackFor, type RequestFacts } from './messages.js';
import { buildLog, buildSpan, type ServiceResource } from './records.js';
import type { SeededRandom } from './rng.js';
import { findDependency, type CallStep } from './shop.js';
import type { ShopUser } from './users.js';
import type { ShopWorld } from './world.js';

export const HTTP_SCOPE = '@opentelemetry/instrumentation-http';

/** How a call ended, as its caller sees it. */
export interface Outcome {
  endMs: number;
  status: number; // HTTP status (0 when the call never got an answer)
  failed: boolean;
  declined: boolean;
  message: string;
}

export interface Trace {
  traceId: string;
  user: ShopUser | undefined;
  facts: RequestFacts;
}

/** What a call needs from the walker: randomness, the world's state and the record sinks. */
export interface WalkContext {
  readonly rng: SeededRandom;
  readonly world: ShopWorld;
  readonly conditions: Conditions;
  readonly spans: Span[];
  readonly logs: LogRecord[];
}

export function callDb(
  w: WalkContext,
  step: Extract<CallStep<string>, { kind: 'db' }>,
  caller: string,
  res: ServiceResource,
  t: number,
  parent: string,
  trace: Trace,
): Outcome {
  const rng = w.rng;
  const dep = findDependency(step.dependency, w.world.topology);
  const common = {
    resource: res,
    traceId: trace.traceId,
    parentSpanId: parent,
    userId: trace.facts.userId,
    dbSystem: dep.system,
    dbNamespace: dep.namespace,
    peerService: dep.name,
  };
  const peerAttrs = {
    'db.system.name': dep.system,
    'db.namespace': dep.namespace,
    'server.address': dep.name,
    'server.port': String(dep.port),
    'service.peer.name': dep.name,
  };
  const pool = w.world.pool(caller, dep.name);
  let start = t;
  if (pool) {
    const a = pool.acquire(rng);
    if (a.timedOut || a.waitMs > 20) {
      const error = a.timedOut ? { type: 'TimeoutError', message: 'connection timeout acquiring connection from pool', stacktrace: '' } : undefined;
      if (error) error.stacktrace = stackFor(caller, error.type, error.message, 'Pool.connect');
      w.spans.push(
        buildSpan({
          ...common,
          spanId: rng.hex(8),
          name: 'pg-pool.connect',
          kind: 'client',
          startTimeMs: t,
          durationMs: a.waitMs,
          scopeName: '@opentelemetry/instrumentation-pg',
          attributes: { ...peerAttrs, 'db.client.connection.pool.name': dep.name },
          failed: a.timedOut,
          exception: error,
        }),
      );
      if (a.waitMs > 500) {
        const timeMs = t + a.waitMs;
        const body = a.timedOut
          ? `Payment failed for order ${trace.facts.orderId}: connection timeout acquiring connection from pool (waited ${Math.round(a.waitMs)} ms, ${Math.round(pool.inUse)}/${pool.spec.max} in use)`
          : poolWaitMessage(dep.name, a.waitMs, pool.inUse, pool.spec.max);
        w.logs.push(
          buildLog({
            resource: res,
            timeMs,
            severity: a.timedOut ? 'ERROR' : 'WARN',
            body,
            traceId: trace.traceId,
            spanId: parent,
            userId: trace.facts.userId,
            scopeName: `shop.${caller}`,
            attributes: { 'db.client.connection.pool.name': dep.name },
            exception: error,
          }),
        );
      }
      if (error) return { endMs: t + a.waitMs, status: 503, failed: true, declined: false, message: `TimeoutError: ${error.message}` };
    }
    start = t + a.waitMs;
  }
  const effect = dependencyEffect(w.conditions, dep.name);
  const query = {
    ...common,
    spanId: rng.hex(8),
    name: `${step.operation} ${dep.namespace}.${step.table}`,
    kind: 'client' as const,
    startTimeMs: start,
    scopeName: '@opentelemetry/instrumentation-pg',
    dbOperation: step.operation,
  };
  const attrs = { ...peerAttrs, 'db.operation.name': step.operation, 'db.collection.name': step.table, 'db.query.text': queryText(step.operation, step.table) };
  if (effect.down) return dependencyDown(w, query, attrs, effect.downAfterMs, effect.downErrorType, effect.downMessage, caller);
  const durationMs = rng.logNormal(step.medianMs * effect.latencyFactor, 0.45);
  pool?.release(durationMs);
  w.spans.push(buildSpan({ ...query, durationMs, attributes: attrs, failed: false }));
  return { endMs: start + durationMs, status: 200, failed: false, declined: false, message: '' };
}

export function dependencyDown(
  w: WalkContext,
  span: Omit<Parameters<typeof buildSpan>[0], 'durationMs' | 'attributes' | 'failed'>,
  attrs: Record<string, string>,
  afterMs: number,
  type: string,
  message: string,
  caller: string,
): Outcome {
  const durationMs = afterMs * (0.9 + 0.2 * w.rng.next());
  const error = { type, message, stacktrace: stackFor(caller, type, message, 'Socket.onConnect') };
  w.spans.push(buildSpan({ ...span, durationMs, attributes: { ...attrs, 'error.type': type }, failed: true, exception: error }));
  return { endMs: span.startTimeMs + durationMs, status: 503, failed: true, declined: false, message: `${type}: ${message}` };
}

export function callExternal(
  w: WalkContext,
  step: Extract<CallStep<string>, { kind: 'external' }>,
  res: ServiceResource,
  t: number,
  parent: string,
  trace: Trace,
): Outcome {
  const dep = findDependency(step.dependency, w.world.topology);
  const effect = dependencyEffect(w.conditions, dep.name);
  const span = {
    resource: res,
    traceId: trace.traceId,
    spanId: w.rng.hex(8),
    parentSpanId: parent,
    name: step.method,
    kind: 'client' as const,
    startTimeMs: t,
    scopeName: HTTP_SCOPE,
    userId: trace.facts.userId,
    httpMethod: step.method,
    peerService: dep.name,
  };
  const attrs = { 'server.address': dep.name, 'server.port': String(dep.port), 'service.peer.name': dep.name, 'http.request.method': step.method };
  if (effect.down) return dependencyDown(w, span, attrs, effect.downAfterMs, effect.downErrorType, effect.downMessage, res.service);
  const durationMs = w.rng.logNormal(dep.medianMs * effect.latencyFactor, 0.3);
  w.spans.push(buildSpan({ ...span, durationMs, attributes: { ...attrs, 'http.response.status_code': '200' }, failed: false, httpStatusCode: 200 }));
  return { endMs: t + durationMs, status: 200, failed: false, declined: false, message: '' };
}

function queryText(operation: string, table: string): string {
  switch (operation) {
    case 'SELECT':
      return `SELECT * FROM ${table} WHERE id = $1`;
    case 'INSERT':
      return `INSERT INTO ${table} (id, payload) VALUES ($1, $2)`;
    case 'UPDATE':
      return `UPDATE ${table} SET status = $1 WHERE id = $2`;
    default:
      return `${operation} ${table}`;
  }
}
