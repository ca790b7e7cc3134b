// Walks one request through the shop topology and emits its spans and logs: server spans per
// route, client spans to peers and databases (through the pools), cache and queue spans, errors
// where they are thrown and propagated up the call chain, and trace-correlated log lines.

import type { LogRecord, Span } from '../model/index.js';
import { DEFAULT_CLIENT_TIMEOUT_MS, dependencyEffect } from './conditions.js';
import type { Conditions, InjectedError } from './conditions.js';
import { BACKGROUND_ERRORS, declinedMessage, failureMessage, stackFor, successMessage } from './messages.js';
import type { RequestFacts } from './messages.js';
import { buildLog, buildSpan } from './records.js';
import type { ServiceResource, SpanError } from './records.js';
import type { SeededRandom } from './rng.js';
import { findDependency, findRoute } from './shop.js';
import type { CallStep, RouteSpec } from './shop.js';
import type { ShopUser } from './users.js';
import type { ShopWorld } from './world.js';
import { callDb, callExternal, dependencyDown, HTTP_SCOPE, type Outcome, type Trace, type WalkContext } from './dependency-calls.js';

const DECLINE_RATE = 0.02;

export class TraceWalker implements WalkContext {
  constructor(
    readonly rng: SeededRandom,
    readonly world: ShopWorld,
    readonly conditions: Conditions,
    private readonly backgroundErrorRate: number,
    readonly spans: Span[],
    readonly logs: LogRecord[],
  ) {}

  private port(service: string): number {
    return this.world.topology.httpPorts[service] ?? 8080;
  }

  /** One request from the outside world into an entry route (or a quiet service's own route). */
  request(route: RouteSpec<string>, startMs: number, user: ShopUser | undefined): void {
    const rng = this.rng;
    const facts: RequestFacts = {
      userId: user?.id ?? '',
      country: user?.country ?? 'US',
      path: route.route.replace('{id}', String(rng.int(1000, 1999))),
      status: 0,
      durationMs: 0,
      orderId: `ord_${rng.hex(4)}`,
      sku: `SKU-${rng.int(10000, 10999)}`,
      amount: (9 + rng.next() * 240).toFixed(2),
      items: rng.int(1, 6),
    };
    this.serve(route, startMs, '', { traceId: rng.hex(16), user, facts });
  }

  private serve(spec: RouteSpec<string>, startMs: number, parentSpanId: string, trace: Trace): Outcome {
    const rng = this.rng;
    const service = spec.service;
    const version = this.world.versions.serving(service, startMs, rng);
    const res = this.world.resource(service, version);
    const effects = this.conditions.serviceEffects.filter((e) => e.service === service && (e.version === undefined || e.version === version));
    let factor = this.world.memorySlowdown(service, startMs);
    for (const e of effects) factor *= e.latencyFactor;
    const spanId = rng.hex(8);
    const selfBefore = rng.logNormal(spec.selfMedianMs * 0.5, 0.35) * factor;
    let t = startMs + selfBefore;

    let thrown: SpanError | undefined;
    let status = 200;
    const injected = pickInjected(
      rng,
      effects.flatMap((e) => e.errors),
      spec.route,
    );
    if (injected) {
      thrown = { type: injected.type, message: injected.message, stacktrace: injected.stacktrace };
      status = injected.httpStatus;
    } else if (rng.chance(this.backgroundErrorRate)) {
      const bg = rng.pick(BACKGROUND_ERRORS);
      thrown = { type: bg.type, message: bg.message, stacktrace: stackFor(service, bg.type, bg.message, 'handleRequest') };
      status = bg.status;
    }
    let upstreamMessage = '';
    let declined = false;
    if (!thrown) {
      for (const step of spec.steps) {
        const r = this.step(step, service, res, t, spanId, trace);
        t = r.endMs;
        if (r.declined) declined = true;
        if (r.failed && isRequired(step)) {
          status = r.status === 0 ? 504 : r.status >= 500 ? 502 : r.status;
          upstreamMessage = r.message;
          break;
        }
        if (declined) break;
      }
    }
    if (!thrown && !upstreamMessage && service === 'payment' && rng.chance(DECLINE_RATE)) declined = true;
    if (declined && status === 200) status = 402;
    const selfAfter = rng.logNormal(spec.selfMedianMs * 0.5, 0.35) * factor;
    const endMs = t + selfAfter;
    this.world.addBusy(service, selfBefore + selfAfter);
    const failed = status >= 500;
    const isConsumer = spec.method === 'CONSUME';
    const message = thrown ? `${thrown.type}: ${thrown.message}` : upstreamMessage;
    this.spans.push(
      buildSpan({
        resource: res,
        traceId: trace.traceId,
        spanId,
        parentSpanId,
        name: isConsumer ? `process ${spec.route}` : `${spec.method} ${spec.route}`,
        kind: isConsumer ? 'consumer' : 'server',
        startTimeMs: startMs,
        durationMs: endMs - startMs,
        scopeName: isConsumer ? '@opentelemetry/instrumentation-amqplib' : HTTP_SCOPE,
        attributes: isConsumer
          ? {
              'messaging.system': 'rabbitmq',
              'messaging.operation.type': 'process',
              'messaging.destination.name': this.world.topology.queues.find((q) => q.consumer === spec.service)?.queue ?? spec.route,
            }
          : serverAttributes(spec, trace, status, this.port(spec.service), this.world.topology.entryService),
        userId: trace.facts.userId,
        failed,
        statusMessage: message,
        exception: thrown,
        httpMethod: isConsumer ? '' : spec.method,
        httpRoute: isConsumer ? '' : spec.route,
        httpStatusCode: isConsumer ? 0 : status,
      }),
    );
    trace.facts.status = status;
    trace.facts.durationMs = endMs - startMs;
    this.logServe(spec, res, endMs, spanId, trace, status, declined, thrown, upstreamMessage);
    return { endMs, status, failed, declined, message: message || `HTTP ${status}` };
  }

  private logServe(
    spec: RouteSpec<string>,
    res: ServiceResource,
    timeMs: number,
    spanId: string,
    trace: Trace,
    status: number,
    declined: boolean,
    thrown: SpanError | undefined,
    upstreamMessage: string,
  ): void {
    const base = { resource: res, timeMs, traceId: trace.traceId, spanId, userId: trace.facts.userId, scopeName: `shop.${spec.service}` };
    const attributes = { 'http.route': spec.route, 'http.response.status_code': String(status) };
    if (thrown) {
      this.logs.push(
        buildLog({ ...base, severity: 'ERROR', body: failureMessage(spec.method, spec.route, thrown.type, thrown.message), attributes, exception: thrown }),
      );
    } else if (upstreamMessage) {
      this.logs.push(buildLog({ ...base, severity: 'ERROR', body: `${spec.method} ${spec.route} failed: upstream error: ${upstreamMessage}`, attributes }));
    } else if (declined && spec.service === 'payment') {
      this.logs.push(buildLog({ ...base, severity: 'WARN', body: declinedMessage(this.rng, trace.facts), attributes }));
    } else {
      this.logs.push(buildLog({ ...base, severity: 'INFO', body: successMessage(spec.service, spec.method, spec.route, this.rng, trace.facts), attributes }));
    }
  }

  private step(step: CallStep<string>, caller: string, res: ServiceResource, t: number, parent: string, trace: Trace): Outcome {
    switch (step.kind) {
      case 'http':
        return this.callHttp(step.service, findRoute(step.service, step.method, step.route, this.world.topology), caller, res, t, parent, trace);
      case 'db':
        return callDb(this, step, caller, res, t, parent, trace);
      case 'cache':
        return this.callCache(step, caller, res, t, parent, trace);
      case 'publish':
        return this.publish(step, res, t, parent, trace);
      case 'external':
        return callExternal(this, step, res, t, parent, trace);
    }
  }

  private callHttp(callee: string, target: RouteSpec<string>, caller: string, res: ServiceResource, t: number, parent: string, trace: Trace): Outcome {
    const rng = this.rng;
    const spanId = rng.hex(8);
    const timeout = this.conditions.clientTimeoutMs.get(`${caller}->${callee}`) ?? DEFAULT_CLIENT_TIMEOUT_MS;
    const attrs = {
      'http.request.method': target.method,
      'server.address': callee,
      'server.port': String(this.port(callee)),
      'service.peer.name': callee,
      'url.full': `http://${callee}:${this.port(callee)}${target.route.replace('{id}', trace.facts.sku.slice(4))}`,
    };
    const client = {
      resource: res,
      traceId: trace.traceId,
      spanId,
      parentSpanId: parent,
      name: target.method,
      kind: 'client' as const,
      startTimeMs: t,
      scopeName: HTTP_SCOPE,
      userId: trace.facts.userId,
      httpMethod: target.method,
      peerService: callee,
    };
    if (this.world.isRestarting(callee, t)) {
      const error = { type: 'Error', message: `connect ECONNREFUSED ${callee}:${this.port(callee)}`, stacktrace: '' };
      error.stacktrace = stackFor(caller, error.type, error.message, 'TCPConnectWrap.afterConnect');
      const durationMs = 0.5 + rng.next();
      this.spans.push(buildSpan({ ...client, durationMs, attributes: { ...attrs, 'error.type': 'ECONNREFUSED' }, failed: true, exception: error }));
      return { endMs: t + durationMs, status: 0, failed: true, declined: false, message: `${callee} unreachable: ${error.message}` };
    }
    const r = this.serve(target, t + 0.3, spanId, trace);
    const durationMs = r.endMs - t + 0.3;
    if (durationMs > timeout) {
      const error = { type: 'TimeoutError', message: `request to ${callee} timed out after ${timeout} ms`, stacktrace: '' };
      error.stacktrace = stackFor(caller, error.type, error.message, 'Timeout.onTimeout');
      this.spans.push(buildSpan({ ...client, durationMs: timeout, attributes: { ...attrs, 'error.type': 'TimeoutError' }, failed: true, exception: error }));
      return { endMs: t + timeout, status: 0, failed: true, declined: false, message: error.message };
    }
    const failed = r.status >= 500;
    this.spans.push(
      buildSpan({
        ...client,
        durationMs,
        attributes: { ...attrs, 'http.response.status_code': String(r.status) },
        failed,
        statusMessage: failed ? `HTTP ${r.status}` : '',
        httpStatusCode: r.status,
      }),
    );
    return { endMs: t + durationMs, status: r.status, failed, declined: r.declined, message: failed ? `${callee} responded ${r.status}: ${r.message}` : '' };
  }

  private callCache(
    step: Extract<CallStep<string>, { kind: 'cache' }>,
    caller: string,
    res: ServiceResource,
    t: number,
    parent: string,
    trace: Trace,
  ): Outcome {
    const rng = this.rng;
    const dep = findDependency(step.dependency ?? 'cache', this.world.topology);
    const effect = dependencyEffect(this.conditions, dep.name);
    const span = {
      resource: res,
      traceId: trace.traceId,
      spanId: rng.hex(8),
      parentSpanId: parent,
      name: step.operation.toLowerCase(),
      kind: 'client' as const,
      startTimeMs: t,
      scopeName: '@opentelemetry/instrumentation-ioredis',
      userId: trace.facts.userId,
      dbSystem: dep.system,
      dbNamespace: dep.namespace,
      dbOperation: step.operation,
      peerService: dep.name,
    };
    const attrs = {
      'db.system.name': 'redis',
      'db.operation.name': step.operation,
      'db.query.text': `${step.operation.toLowerCase()} ${step.key}:${rng.int(1, 9999)}`,
      'server.address': dep.name,
      'server.port': String(dep.port),
      'service.peer.name': dep.name,
    };
    let r: Outcome;
    if (effect.down) {
      r = dependencyDown(this, span, attrs, effect.downAfterMs, effect.downErrorType, effect.downMessage, caller);
      if (step.required) return r;
    } else {
      const durationMs = rng.logNormal(dep.medianMs * effect.latencyFactor, 0.4);
      this.spans.push(buildSpan({ ...span, durationMs, attributes: attrs, failed: false }));
      r = { endMs: t + durationMs, status: 200, failed: false, declined: false, message: '' };
      if (!rng.chance(step.missProbability)) return r;
    }
    // A miss (or an optional cache that is down) falls back to the slow path.
    let end = r.endMs;
    for (const fallback of step.onMiss) {
      const f = this.step(fallback, caller, res, end, parent, trace);
      end = f.endMs;
      if (f.failed && isRequired(fallback)) return { ...f, endMs: end };
    }
    return { endMs: end, status: 200, failed: false, declined: false, message: '' };
  }

  private publish(step: Extract<CallStep<string>, { kind: 'publish' }>, res: ServiceResource, t: number, parent: string, trace: Trace): Outcome {
    const rng = this.rng;
    const dep = findDependency(step.queue, this.world.topology);
    const spanId = rng.hex(8);
    const durationMs = rng.logNormal(dep.medianMs, 0.3);
    this.spans.push(
      buildSpan({
        resource: res,
        traceId: trace.traceId,
        spanId,
        parentSpanId: parent,
        name: `publish ${step.queue}`,
        kind: 'producer',
        startTimeMs: t,
        durationMs,
        scopeName: '@opentelemetry/instrumentation-amqplib',
        attributes: {
          'messaging.system': dep.system,
          'messaging.operation.type': 'publish',
          'messaging.destination.name': step.queue,
          'server.address': dep.name,
          'service.peer.name': dep.name,
        },
        userId: trace.facts.userId,
        failed: false,
        peerService: dep.name,
      }),
    );
    if (!this.world.isRestarting(step.consumer, t)) {
      this.serve(findRoute(step.consumer, 'CONSUME', step.consumerRoute, this.world.topology), t + durationMs + rng.exponential(40), spanId, trace);
    }
    return { endMs: t + durationMs, status: 200, failed: false, declined: false, message: '' };
  }
}

function isRequired(step: CallStep<string>): boolean {
  return step.kind === 'http' || step.kind === 'cache' ? step.required : step.kind !== 'publish';
}

function pickInjected(rng: SeededRandom, errors: InjectedError[], route: string): InjectedError | undefined {
  for (const e of errors) if ((e.route === undefined || e.route === route) && rng.chance(e.probability)) return e;
  return undefined;
}

function serverAttributes(spec: RouteSpec<string>, trace: Trace, status: number, port: number, entryService: string): Record<string, string> {
  const attrs: Record<string, string> = {
    'http.request.method': spec.method,
    'http.route': spec.route,
    'http.response.status_code': String(status),
    'url.path': spec.service === entryService ? trace.facts.path : spec.route.replace('{id}', trace.facts.sku.slice(4)),
    'url.scheme': 'http',
    'server.port': String(port),
    'user_agent.original': 'Mozilla/5.0 (shop-sim)',
  };
  if (trace.user) {
    attrs['enduser.id'] = trace.user.id;
    attrs['app.user.tier'] = trace.user.tier;
    attrs['client.geo.country_iso_code'] = trace.user.country;
  }
  return attrs;
}
