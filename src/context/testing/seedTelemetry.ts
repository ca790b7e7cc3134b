// Seeded telemetry of the seed case for context tests and benchmarks: checkout traffic through
// frontend → checkout → payment-service → payment-db plus healthy browsing, a payment deploy at t0,
// and from `onsetMs` on a saturated pool (connection timeouts, slow payments, error logs).
import type { ChangeEvent, LogRecord, Span, SpanKind } from '../../model/index.js';
import { blankLog, blankSpan } from '../../model/testing/records.js';
import { seededRandom as random } from '../../random/index.js';

export interface SeedTelemetryOptions {
  seed: number;
  t0: number;
  /** When the pool saturates (default t0 + 2 min). */
  onsetMs?: number;
  fromMs?: number;
  toMs?: number;
  /** Mean gap between checkout requests (browsing runs at the same rate). */
  meanGapMs?: number;
  users?: number;
}

export interface SeedTelemetry {
  spans: Span[];
  logs: LogRecord[];
  changes: ChangeEvent[];
}

const hex = (rand: () => number, length: number): string => {
  let out = '';
  while (out.length < length)
    out += Math.floor(rand() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, length);
};

interface SpanFields {
  traceId: string;
  parentSpanId: string;
  service: string;
  version: string;
  name: string;
  kind: SpanKind;
  startTimeMs: number;
  durationMs: number;
  error?: { message: string; httpStatus?: number; exceptionType?: string };
  method?: string;
  route?: string;
  httpStatus?: number;
  userId?: string;
  peer?: string;
}

function span(rand: () => number, f: SpanFields): Span {
  return blankSpan({
    service: f.service,
    serviceVersion: f.version,
    environment: 'production',
    traceId: f.traceId,
    spanId: hex(rand, 16),
    parentSpanId: f.parentSpanId,
    name: f.name,
    kind: f.kind,
    startTimeMs: f.startTimeMs,
    durationMs: f.durationMs,
    statusCode: f.error ? 'error' : 'unset',
    statusMessage: f.error?.message ?? '',
    scopeName: 'seed',
    httpMethod: f.method ?? '',
    httpRoute: f.route ?? '',
    httpStatusCode: f.error?.httpStatus ?? f.httpStatus ?? 0,
    dbSystem: f.peer ? 'postgresql' : '',
    dbNamespace: f.peer ?? '',
    dbOperation: f.peer ? 'INSERT' : '',
    peerService: f.peer ?? '',
    userId: f.userId ?? '',
    exceptionType: f.error?.exceptionType ?? '',
    exceptionMessage: f.error?.exceptionType ? f.error.message : '',
    resourceAttributes: { 'service.name': f.service },
    attributes: f.userId ? { 'enduser.id': f.userId } : {},
  });
}

function log(service: string, version: string, timeMs: number, severityNumber: number, body: string, traceId: string): LogRecord {
  return blankLog({
    service,
    serviceVersion: version,
    environment: 'production',
    timeMs,
    observedTimeMs: timeMs,
    severityNumber,
    severityText: severityNumber >= 17 ? 'ERROR' : severityNumber >= 13 ? 'WARN' : 'INFO',
    body,
    traceId,
    scopeName: 'seed',
  });
}

export function seedTelemetry(options: SeedTelemetryOptions): SeedTelemetry {
  const rand = random(options.seed);
  const t0 = options.t0;
  const onset = options.onsetMs ?? t0 + 2 * 60_000;
  const fromMs = options.fromMs ?? t0 - 40 * 60_000;
  const toMs = options.toMs ?? t0 + 10 * 60_000;
  const gap = options.meanGapMs ?? 3_000;
  const users = options.users ?? 400;
  const spans: Span[] = [];
  const logs: LogRecord[] = [];
  const changes: ChangeEvent[] = [
    {
      id: 'chg-catalog',
      service: 'catalog',
      kind: 'deploy',
      timeMs: t0 - 20 * 60_000,
      version: 'v7.1',
      previousVersion: 'v7.0',
      environment: 'production',
      commit: '',
      description: '',
      source: 'api',
      attributes: {},
    },
    {
      id: 'chg-pay-v2.3',
      service: 'payment-service',
      kind: 'deploy',
      timeMs: t0,
      version: 'v2.3',
      previousVersion: 'v2.2',
      environment: 'production',
      commit: 'a1b2c3d',
      description: 'raise payment batch size 50 → 500',
      source: 'api',
      attributes: {},
    },
  ];
  let order = 1000;
  for (let t = fromMs; t < toMs; t += -Math.log(1 - rand()) * gap) {
    const user = `user-${String(1 + Math.floor(rand() * users)).padStart(4, '0')}`;
    const payVersion = t >= t0 ? 'v2.3' : 'v2.2';
    const saturated = t >= onset;
    const failRate = !saturated ? 0.001 : t < onset + 60_000 ? 0.03 : 0.15;
    const fails = rand() < failRate;
    const traceId = hex(rand, 32);
    const dbMs = fails ? 5_000 + Math.floor(rand() * 13) : saturated ? 200 + rand() * 1_200 : 20 + rand() * 60;
    const payMs = dbMs + 15 + rand() * 40;
    const checkoutMs = payMs + 20 + rand() * 30;
    const frontendMs = checkoutMs + 10 + rand() * 20;
    const timeout = `connection timeout acquiring connection from pool after ${Math.round(dbMs)} ms`;
    const front = span(rand, {
      traceId,
      parentSpanId: '',
      service: 'frontend',
      version: 'v5.0',
      name: 'POST /checkout',
      kind: 'server',
      startTimeMs: t,
      durationMs: frontendMs,
      method: 'POST',
      route: '/checkout',
      httpStatus: 200,
      userId: user,
      ...(fails ? { error: { message: 'checkout failed', httpStatus: 502 } } : {}),
    });
    const checkout = span(rand, {
      traceId,
      parentSpanId: front.spanId,
      service: 'checkout',
      version: 'v3.4',
      name: 'POST /checkout',
      kind: 'server',
      startTimeMs: t + 5,
      durationMs: checkoutMs,
      method: 'POST',
      route: '/checkout',
      httpStatus: 200,
      ...(fails ? { error: { message: 'payment failed: upstream 500', httpStatus: 502 } } : {}),
    });
    const pay = span(rand, {
      traceId,
      parentSpanId: checkout.spanId,
      service: 'payment-service',
      version: payVersion,
      name: 'POST /pay',
      kind: 'server',
      startTimeMs: t + 10,
      durationMs: payMs,
      method: 'POST',
      route: '/pay',
      httpStatus: 200,
      ...(fails ? { error: { message: timeout, httpStatus: 500 } } : {}),
    });
    const db = span(rand, {
      traceId,
      parentSpanId: pay.spanId,
      service: 'payment-service',
      version: payVersion,
      name: 'INSERT payments',
      kind: 'client',
      startTimeMs: t + 12,
      durationMs: dbMs,
      peer: 'payment-db',
      ...(fails ? { error: { message: timeout, exceptionType: 'TimeoutError' } } : {}),
    });
    spans.push(front, checkout, pay, db);
    order += 1;
    logs.push(log('payment-service', payVersion, t + 12 + dbMs, 9, `payment authorized order=${order} amount=${(rand() * 200).toFixed(2)}`, traceId));
    if (fails) {
      logs.push(log('payment-service', payVersion, t + 12 + dbMs, 17, `${timeout} (active=10 idle=0 waiting=${Math.floor(rand() * 40)})`, traceId));
      logs.push(log('checkout', 'v3.4', t + 12 + payMs, 13, `payment call failed status=500 order=${order}`, traceId));
    }
    if (rand() < 0.05) logs.push(log('payment-service', payVersion, t + 5, 13, `slow query took ${Math.floor(300 + rand() * 500)} ms`, ''));
    // Browsing traffic on the same entry service, untouched by the payment problem.
    const browse = hex(rand, 32);
    const products = span(rand, {
      traceId: browse,
      parentSpanId: '',
      service: 'frontend',
      version: 'v5.0',
      name: 'GET /products',
      kind: 'server',
      startTimeMs: t + 700,
      durationMs: 30 + rand() * 40,
      method: 'GET',
      route: '/products',
      httpStatus: 200,
      userId: user,
    });
    spans.push(
      products,
      span(rand, {
        traceId: browse,
        parentSpanId: products.spanId,
        service: 'catalog',
        version: 'v7.1',
        name: 'GET /items',
        kind: 'server',
        startTimeMs: t + 705,
        durationMs: 20 + rand() * 20,
        method: 'GET',
        route: '/items',
        httpStatus: 200,
      }),
    );
  }
  return { spans, logs, changes };
}
