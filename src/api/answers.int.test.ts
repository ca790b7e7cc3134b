// Every operation's answers are what its schema documents: each route is called in-process
// (inject) over a real embedded store and ports that return complete records (every optional field
// set), and each answer must parse under the route's zod schema for its status without losing a
// field — so the document neither omits what the API sends nor promises what it does not.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { makeLog, makeMetric, makeSpan } from '../../test/support/records.js';
import { AuditTrail } from '../audit/index.js';
import { KeyRing } from '../auth/index.js';
import { changeOf } from '../incidents/testing/scenarios.js';
import { insertChanges, TelemetryWriter, type StoreClient } from '../store/index.js';
import { declaredRoutes } from './access.js';
import { buildApi } from './app.js';
import { answerFixtures, T0, traceId } from './testing/answer-fixtures.js';
import type { ApiDeps } from './ports.js';
import { ScratchStore } from '../store/testing/scratch-store.js';

const ADMIN = 'answers-admin-key-0123456789abcdef';

interface Call {
  method: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
}
/** A call with a JSON body, answered with `status`. */
const send = (method: string, url: string, body: unknown, status: number): Call => ({ method, url, body, status });

/** Every route with the calls that reach its answers (success first; some also an error). */
const calls: Call[] = [
  { method: 'GET', url: '/api/v1/health', status: 200 },
  send('POST', '/api/v1/deployments', { service: 'payment', version: 'v2.3', commit: 'abc', environment: 'production' }, 201),
  send('POST', '/api/v1/changes', { service: 'payment', kind: 'flag', description: 'new checkout' }, 201),
  { method: 'GET', url: `/api/v1/deployments?from=${T0 - 3_600_000}&to=${T0 + 3_600_000}`, status: 200 },
  { method: 'GET', url: `/api/v1/changes?from=${T0 - 3_600_000}&to=${T0 + 3_600_000}`, status: 200 },
  { method: 'GET', url: '/api/v1/keys', status: 200 },
  send('POST', '/api/v1/keys', { name: 'ci', scopes: ['write'] }, 201),
  { method: 'DELETE', url: '/api/v1/keys/no-such-key', status: 404 },
  { method: 'DELETE', url: '/api/v1/keys/:spare', status: 200 },
  { method: 'GET', url: '/api/v1/session', status: 200 },
  { method: 'GET', url: '/api/v1/audit', status: 200 },
  { method: 'GET', url: '/metrics', status: 200 },
  { method: 'GET', url: '/api/v1/slos', status: 200 },
  { method: 'GET', url: '/api/v1/slos/checkout-availability', status: 200 },
  send('POST', '/api/v1/slos', { name: 'checkout-availability', service: 'payment', objective: 'availability', target: 0.999 }, 201),
  send('PUT', '/api/v1/slos/checkout-availability', { service: 'payment', objective: 'availability', target: 0.99 }, 200),
  { method: 'DELETE', url: '/api/v1/slos/checkout-availability', status: 204 },
  { method: 'GET', url: '/api/v1/silences', status: 200 },
  { method: 'GET', url: '/api/v1/silences/s1', status: 200 },
  send('POST', '/api/v1/silences', { service: 'payment', duration: '1h', comment: 'maintenance' }, 201),
  { method: 'DELETE', url: '/api/v1/silences/s1', status: 200 },
  { method: 'GET', url: '/api/v1/rules', status: 200 },
  send('POST', '/api/v1/rules', { name: 'pay-errors', service: 'payment', red: 'errorRate', above: 0.05 }, 201),
  { method: 'DELETE', url: '/api/v1/rules/pay-errors', status: 204 },
  { method: 'GET', url: `/api/v1/traces/${traceId}`, status: 200 },
  { method: 'GET', url: `/api/v1/traces/${'f'.repeat(32)}`, status: 404 },
  { method: 'GET', url: `/api/v1/spans?from=${T0 - 60_000}&to=${T0 + 60_000}`, status: 200 },
  { method: 'GET', url: `/api/v1/logs?from=${T0 - 60_000}&to=${T0 + 60_000}`, status: 200 },
  { method: 'GET', url: '/api/v1/logs?severity=loud', status: 400 },
  { method: 'GET', url: `/api/v1/logs/histogram?from=${T0 - 60_000}&to=${T0 + 60_000}`, status: 200 },
  { method: 'GET', url: `/api/v1/logs/patterns?from=${T0 - 60_000}&to=${T0 + 60_000}`, status: 200 },
  {
    method: 'GET',
    url: `/api/v1/metrics?name=db.client.connection.count&from=${T0 - 60_000}&to=${T0 + 60_000}`,
    status: 200,
  },
  { method: 'GET', url: `/api/v1/metric-names?from=${T0 - 60_000}&to=${T0 + 60_000}`, status: 200 },
  { method: 'GET', url: `/api/v1/red?groupBy=route&from=${T0 - 60_000}&to=${T0 + 60_000}`, status: 200 },
  { method: 'GET', url: `/api/v1/services?from=${T0 - 60_000}&to=${T0 + 60_000}`, status: 200 },
  { method: 'GET', url: `/api/v1/service-map?from=${T0 - 60_000}&to=${T0 + 60_000}`, status: 200 },
  { method: 'GET', url: `/api/v1/coverage?from=${T0 - 60_000}&to=${T0 + 60_000}&journey=GET /items`, status: 200 },
  { method: 'GET', url: '/api/v1/incidents?status=all', status: 200 },
  { method: 'GET', url: '/api/v1/incidents/7', status: 200 },
  { method: 'GET', url: '/api/v1/incidents/8', status: 404 },
  send('POST', '/api/v1/incidents/7/ack', { actor: 'ana' }, 200),
  { method: 'GET', url: '/api/v1/incidents/7/review', status: 200 },
  send('PATCH', '/api/v1/incidents/7/review', { sections: { lessons: 'retry budgets' } }, 200),
  send('POST', '/api/v1/incidents/7/action-items', { title: 'Alert on pool saturation', owner: 'ana', due: '2026-12-24' }, 201),
  send('PATCH', '/api/v1/action-items/a1', { status: 'done' }, 200),
  { method: 'GET', url: '/api/v1/action-items', status: 200 },
  { method: 'GET', url: `/api/v1/reports/reliability?from=${T0 - 86_400_000}&to=${T0}`, status: 200 },
  send('POST', '/api/v1/tickets', { id: 'T-1', title: 'cannot pay', service: 'payment' }, 201),
  send('POST', '/api/v1/tickets/webhooks/zendesk', { type: 'zen:event-type:ticket.comment_added' }, 202),
  { method: 'GET', url: '/api/v1/checks', status: 200 },
  { method: 'GET', url: '/api/v1/checks/checkout/runs', status: 200 },
  { method: 'POST', url: '/api/v1/checks/nightly/ping', status: 200 },
  { method: 'GET', url: '/api/v1/confidence', status: 200 },
  { method: 'GET', url: '/status', status: 200 },
  { method: 'GET', url: '/api/v1/status', status: 200 },
  { method: 'GET', url: '/api/v1/incidents/7/updates', status: 200 },
  send('POST', '/api/v1/incidents/7/updates', { text: 'We are rolling back.' }, 201),
  { method: 'GET', url: '/api/v1/deployments/d1', status: 200 },
  send('POST', '/api/v1/canary/judge', { service: 'payment', baselineVersion: 'v2.2', canaryVersion: 'v2.3' }, 200),
  { method: 'GET', url: '/api/v1/canary/judge?service=payment&baselineVersion=v2.2&canaryVersion=v2.3', status: 200 },
  send('POST', '/api/v1/canary/flagger', { name: 'payment', metadata: { baselineVersion: 'v2.2', canaryVersion: 'v2.3', apiKey: ADMIN } }, 200),
  { method: 'GET', url: '/api/v1/incidents/7/remediations', status: 200 },
  { method: 'POST', url: '/api/v1/incidents/7/remediations/rollback-payment/run', status: 200 },
];

type Answer = z.ZodType | { content: Record<string, { schema: z.ZodType }> };
const jsonSchemaOf = (answer: Answer | undefined): z.ZodType | undefined =>
  answer && 'content' in answer ? answer.content['application/json']?.schema : answer;

describe('every answer is what its schema documents', () => {
  let dir: string;
  let store: StoreClient;
  let scratch: ScratchStore;
  let app: FastifyInstance;
  let spareKeyId: string;
  const checked: Array<{ route: string; status: number; problem?: string }> = [];

  before(async () => {
    scratch = await ScratchStore.open('vigil-answers-');
    ({ dir, store } = scratch);
    const writer = await TelemetryWriter.open(store, {
      maxQueuedRows: 10_000,
      maxRowsPerFlush: 10_000,
      walDir: join(dir, 'wal'),
    });
    const root = makeSpan({
      traceId,
      spanId: 'a'.repeat(16),
      service: 'frontend',
      startTimeMs: T0,
      userId: 'u1',
      attributes: { 'http.route': '/items' },
      events: [{ timeMs: T0 + 1, name: 'exception', attributes: { 'exception.type': 'Error' } }],
      links: [{ traceId: 'b'.repeat(32), spanId: 'b'.repeat(16), attributes: {} }],
    });
    const child = makeSpan({
      traceId,
      spanId: 'c'.repeat(16),
      parentSpanId: root.spanId,
      kind: 'client',
      service: 'frontend',
      peerService: 'payment',
      dbSystem: 'postgresql',
      dbNamespace: 'pay',
      dbOperation: 'SELECT',
      statusCode: 'error',
      statusMessage: 'boom',
      exceptionType: 'Error',
      exceptionMessage: 'boom',
      exceptionStacktrace: 'at x',
      startTimeMs: T0 + 1,
    });
    const server = makeSpan({
      service: 'payment',
      startTimeMs: T0 + 2,
      httpRoute: '/pay',
      httpMethod: 'POST',
      statusCode: 'error',
      httpStatusCode: 500,
    });
    await writer.write({
      spans: [root, child, server],
      logs: [
        makeLog({
          timeMs: T0,
          traceId,
          spanId: root.spanId,
          severityNumber: 17,
          severityText: 'ERROR',
          body: 'payment failed for order 42',
          exceptionType: 'Error',
          exceptionMessage: 'boom',
          userId: 'u1',
        }),
      ],
      metrics: [
        makeMetric({ timeMs: T0, value: 12 }),
        makeMetric({
          name: 'http.server.request.duration',
          type: 'histogram',
          unit: 's',
          timeMs: T0,
          count: 3,
          sum: 0.3,
          bucketCounts: [1, 2, 0],
          explicitBounds: [0.05, 0.1],
        }),
      ],
    });
    await writer.sync();
    await writer.stop();
    await insertChanges(store, [
      {
        ...changeOf({ service: 'payment', timeMs: T0 - 60_000, version: 'v2.3', description: 'batch size' }),
        id: 'd1',
        previousVersion: 'v2.2',
        commit: 'abc',
        environment: 'production',
        attributes: { team: 'pay' },
      },
    ]);
    const { ring } = await KeyRing.open(store, ADMIN, Date.now());
    spareKeyId = (await ring.add({ name: 'spare', scopes: ['read'], nowMs: Date.now() })).info.id;
    const deps: ApiDeps = { ...answerFixtures(), store, keys: ring, audit: new AuditTrail(store) };
    app = buildApi(deps, { bodyLimitBytes: 65_536 });
    // Added after the routes: Fastify applies root hooks to every route when the app is ready.
    app.addHook('onSend', async (req, reply, payload) => {
      const route = `${req.method} ${req.routeOptions.url ?? '?'}`;
      const answer = (req.routeOptions.schema?.response as Record<number, Answer> | undefined)?.[reply.statusCode];
      const type = String(reply.getHeader('content-type') ?? '');
      if (!answer) checked.push({ route, status: reply.statusCode, problem: 'no answer schema for this status' });
      else if (reply.statusCode === 204) checked.push({ route, status: 204, ...(payload ? { problem: 'a 204 with a body' } : {}) });
      else if (!type.startsWith('application/json')) {
        const media = type.split(';')[0] ?? '';
        checked.push({
          route,
          status: reply.statusCode,
          ...('content' in answer && answer.content[media] ? {} : { problem: `${media} is not documented` }),
        });
      } else checked.push({ route, status: reply.statusCode, ...jsonProblem(jsonSchemaOf(answer), payload) });
      return payload;
    });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await scratch.close();
  });

  it('each call answers with its expected status and a body its schema keeps whole', async () => {
    for (const c of calls) {
      const res = await app.inject({
        method: c.method as 'GET',
        url: c.url.replace(':spare', spareKeyId),
        headers: { authorization: `Bearer ${ADMIN}`, ...c.headers },
        ...(c.body !== undefined ? { payload: c.body as object } : {}),
      });
      assert.equal(res.statusCode, c.status, `${c.method} ${c.url}: ${res.body.slice(0, 300)}`);
    }
    for (const format of ['md', 'html']) {
      for (const url of ['/api/v1/incidents/7/review', '/api/v1/reports/reliability', '/api/v1/deployments/d1'])
        assert.equal((await app.inject({ url: `${url}?format=${format}`, headers: { authorization: `Bearer ${ADMIN}` } })).statusCode, 200);
    }
    assert.ok(checked.length >= calls.length, 'every answer went through the check');
    assert.deepEqual(
      checked.filter((c) => c.problem),
      [],
    );
  });

  it('every operation the API declares was called and answered with success', () => {
    const answered = new Set(checked.filter((c) => c.status < 300).map((c) => c.route));
    const declared = declaredRoutes(app)
      .filter((r) => r.method !== 'HEAD' && r.url !== '/api/v1/openapi.json')
      .map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(
      declared.filter((r) => !answered.has(r)),
      [],
    );
  });
});

/** Why a JSON answer does not match its schema, or nothing: it must parse, and parsing must drop nothing. */
function jsonProblem(schema: z.ZodType | undefined, payload: unknown): { problem?: string } {
  if (!schema) return { problem: 'no JSON schema for this answer' };
  const body: unknown = JSON.parse(String(payload));
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  try {
    assert.deepEqual(parsed.data, body);
    return {};
  } catch (err) {
    return { problem: `fields the schema does not document: ${(err as Error).message.slice(0, 2000)}` };
  }
}
