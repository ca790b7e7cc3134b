// Coverage against the real store: a Vigil started in-process (event clock, its own chDB data dir)
// receives spans, logs, metrics and deploys; the store facts must count them exactly, and
// GET /api/v1/coverage must report them with the critical journeys from the config.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeLog, makeMetric, makeSpan } from '../../test/support/records.js';
import { VigilClient } from '../client/index.js';
import { vigilConfigSchema } from '../config/index.js';
import type { LogRecord, MetricPoint, Span } from '../model/index.js';
import { startVigil, type RunningVigil } from '../server.js';
import { collectCoverageFacts } from './index.js';
import type { CoverageFacts } from './types.js';

const KEY = 'coverage-test-key-0123456789';
const T0 = Date.UTC(2026, 1, 3, 9, 0, 0);
const window = { fromMs: T0, toMs: T0 + 10 * 60_000 };
const tid = (i: number): string => i.toString(16).padStart(32, '0');
const at = (i: number): number => T0 + i * 1000;

/** checkout: 8 routed POST /checkout (2 failing, marked), 3 unrouted GET (1 unmarked 500), 2 client spans (1 error). */
function checkoutSpans(): Span[] {
  const base = { service: 'checkout', serviceVersion: '1.0.0' };
  const spans: Span[] = [];
  for (let i = 1; i <= 8; i++) {
    const failed = i >= 7;
    spans.push(
      makeSpan({
        ...base,
        traceId: tid(i),
        startTimeMs: at(i),
        name: 'POST /checkout',
        httpMethod: 'POST',
        httpRoute: '/checkout',
        httpStatusCode: failed ? 503 : 200,
        statusCode: failed ? 'error' : 'unset',
        exceptionType: i === 8 ? 'PoolTimeout' : '',
      }),
    );
  }
  for (let i = 9; i <= 11; i++) {
    spans.push(
      makeSpan({
        ...base,
        traceId: tid(i),
        startTimeMs: at(i),
        name: 'GET',
        httpMethod: 'GET',
        httpRoute: '',
        httpStatusCode: i === 11 ? 500 : 200,
      }),
    );
  }
  for (const i of [1, 2]) {
    spans.push(
      makeSpan({
        ...base,
        traceId: tid(i),
        startTimeMs: at(i) + 1,
        kind: 'client',
        name: 'SELECT',
        httpMethod: '',
        httpRoute: '',
        httpStatusCode: 0,
        statusCode: i === 2 ? 'error' : 'unset',
      }),
    );
  }
  // Outside the window: must not count.
  spans.push(
    makeSpan({
      ...base,
      traceId: tid(99),
      startTimeMs: T0 - 3_600_000,
      name: 'POST /checkout',
      httpMethod: 'POST',
      httpRoute: '/checkout',
    }),
  );
  return spans;
}

/** payment: a consumer (no HTTP), one of its messages in checkout's trace 1. */
function paymentSpans(version: string, from: number, count: number): Span[] {
  return Array.from({ length: count }, (_, k) =>
    makeSpan({
      service: 'payment',
      serviceVersion: version,
      traceId: from + k === 1 ? tid(1) : tid(100 + from + k),
      startTimeMs: at(20 + from + k),
      kind: 'consumer',
      name: 'payments.charge',
      httpMethod: '',
      httpRoute: '',
      httpStatusCode: 0,
    }),
  );
}

function logs(): LogRecord[] {
  const checkout = { service: 'checkout', serviceVersion: '1.0.0' };
  return [
    // Correlated with POST /checkout: 4 lines in 3 traces; with the unrouted GET: 1.
    ...[1, 1, 2, 3, 9].map((i) => makeLog({ ...checkout, traceId: tid(i), timeMs: at(i) + 2, body: `step ${i}` })),
    ...[30, 31, 32].map((s) => makeLog({ ...checkout, timeMs: at(s), body: 'no trace id' })),
    // After the window.
    makeLog({ ...checkout, traceId: tid(1), timeMs: T0 + 20 * 60_000 }),
    // payment's lines in trace 1 belong to payment, not to checkout's routes.
    ...[0, 1].map((k) => makeLog({ service: 'payment', serviceVersion: '1.0.0', traceId: tid(1), timeMs: at(40 + k), body: 'charged' })),
  ];
}

const metrics = (): MetricPoint[] => [0, 1, 2].map((k) => makeMetric({ service: 'checkout', serviceVersion: '1.0.0', timeMs: at(50 + k), value: k }));

describe('coverage on the store and the API', () => {
  let dir: string;
  let vigil: RunningVigil;
  let facts: CoverageFacts;
  /** Raw, for the refusals; the answers that should succeed come through VigilClient. */
  const get = (path: string, key: string | null = KEY): Promise<Response> =>
    fetch(`${vigil.apiUrl}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-coverage-'));
    const config = vigilConfigSchema.parse({
      server: { host: '127.0.0.1', port: 0, otlpHttpPort: 0, otlpGrpcPort: 0, clock: 'event', logLevel: 'silent' },
      storage: { dataDir: dir },
      auth: { adminKey: KEY },
      incidents: {
        criticalJourneys: [{ name: 'place order', service: 'checkout', route: 'POST /checkout' }, 'refund'],
      },
    });
    vigil = await startVigil(config);
    await vigil.ingest({
      spans: [...checkoutSpans(), ...paymentSpans('1.0.0', 1, 4)],
      logs: logs(),
      metrics: metrics(),
    });
    // A new payment version in telemetry is an inferred deploy; checkout's deploy is recorded.
    await vigil.ingest({ spans: paymentSpans('1.1.0', 5, 2), logs: [], metrics: [] });
    await new VigilClient({ url: vigil.apiUrl, apiKey: KEY }).recordDeployment({ service: 'checkout', version: '1.0.1', time: new Date(at(60)).toISOString() });
    await vigil.sync();
    facts = await collectCoverageFacts(vigil.store, window);
  });
  after(async () => {
    await vigil.stop();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('counts spans, HTTP routes, 5xx, errors, logs, trace ids, metrics and deploys per service', () => {
    const byService = new Map(facts.services.map((s) => [s.service, s]));
    assert.deepEqual([...byService.keys()].sort(), ['checkout', 'payment']);
    assert.deepEqual(byService.get('checkout'), {
      service: 'checkout',
      serverSpans: 11,
      spans: 13,
      httpServerSpans: 11,
      httpServerSpansWithRoute: 8,
      http5xx: 3,
      http5xxUnmarked: 1,
      errorSpans: 3,
      logs: 8,
      logsWithTraceId: 5,
      metricPoints: 3,
      deploysRecorded: 1,
      deploysInferred: 0,
    });
    assert.deepEqual(byService.get('payment'), {
      service: 'payment',
      serverSpans: 6,
      spans: 6,
      httpServerSpans: 0,
      httpServerSpansWithRoute: 0,
      http5xx: 0,
      http5xxUnmarked: 0,
      errorSpans: 0,
      logs: 2,
      logsWithTraceId: 2,
      metricPoints: 0,
      deploysRecorded: 0,
      deploysInferred: 1,
    });
  });

  it('groups server spans by route and counts only the same service’s logs sharing their trace ids', () => {
    assert.deepEqual(facts.routes, [
      {
        service: 'checkout',
        method: 'POST',
        route: '/checkout',
        hasHttpRoute: true,
        requests: 8,
        http5xx: 2,
        http5xxUnmarked: 0,
        errorSpans: 2,
        correlatedLogs: 4,
      },
      {
        service: 'payment',
        method: '',
        route: 'payments.charge',
        hasHttpRoute: false,
        requests: 6,
        http5xx: 0,
        http5xxUnmarked: 0,
        errorSpans: 0,
        correlatedLogs: 2,
      },
      {
        service: 'checkout',
        method: 'GET',
        route: 'GET',
        hasHttpRoute: false,
        requests: 3,
        http5xx: 1,
        http5xxUnmarked: 1,
        errorSpans: 0,
        correlatedLogs: 1,
      },
    ]);
  });

  it('a window with nothing in it has no services', async () => {
    const empty = await collectCoverageFacts(vigil.store, { fromMs: T0 + 3_600_000, toMs: T0 + 7_200_000 });
    assert.deepEqual(empty, { fromMs: T0 + 3_600_000, toMs: T0 + 7_200_000, services: [], routes: [] });
  });

  it('GET /api/v1/coverage reports the gaps, with the configured journeys and those asked for', async () => {
    const body = await new VigilClient({ url: vigil.apiUrl, apiKey: KEY }).coverage({
      from: String(window.fromMs),
      to: new Date(window.toMs).toISOString(),
      journey: '/nowhere',
    });
    assert.equal(body.from, new Date(window.fromMs).toISOString());
    assert.equal(body.to, new Date(window.toMs).toISOString());
    const checkout = body.services.find((s) => s.service === 'checkout')!;
    assert.deepEqual([checkout.httpRoute, checkout.errorsInstrumented, checkout.deploys, checkout.slo], ['partial', 'partial', 'yes', 'no']);
    assert.deepEqual(
      body.journeys.map((j) => [j.journey, j.traffic, j.endpoints]),
      [
        ['place order', 'yes', ['checkout POST /checkout']],
        ['refund', 'no', []],
        ['/nowhere', 'no', []],
      ],
    );
    assert.deepEqual(
      body.routes.filter((r) => r.critical).map((r) => `${r.service} ${r.endpoint}`),
      ['checkout POST /checkout'],
    );
    const texts = body.gaps.map((g) => g.text);
    assert.ok(texts.includes('no SLO configured (none of the 2 services has one)'), texts.join('\n'));
    assert.ok(texts.includes('checkout: 1 of 3 requests that answered 5xx carry no error status or exception'), texts.join('\n'));
    assert.ok(
      texts.includes('checkout: only 73% of HTTP server spans carry http.route (8 of 11); the rest are grouped by span name (e.g. "GET")'),
      texts.join('\n'),
    );
    assert.ok(texts.includes('payment: no metrics received (pool, memory and runtime gauges are blind)'), texts.join('\n'));
    assert.ok(body.score > 0 && body.score < 100);
  });

  it('GET /api/v1/coverage needs a key and a sane window', async () => {
    assert.equal((await get('/api/v1/coverage', null)).status, 401);
    assert.equal((await get(`/api/v1/coverage?from=${window.toMs}&to=${window.fromMs}`)).status, 400);
    assert.equal((await get(`/api/v1/coverage?from=${T0 - 40 * 86_400_000}&to=${T0}`)).status, 400);
  });
});
