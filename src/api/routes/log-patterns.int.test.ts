// GET /api/v1/logs/patterns through Fastify inject on a real embedded store: lines become
// templates with counts, first-seen times and the most severe sample; a template absent from the
// same length of time before the range is new; failing spans of the named services come back as
// error groups; bad input is a 400 and no key a 401.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { AuditTrail } from '../../audit/index.js';
import { KeyRing } from '../../auth/index.js';
import type { StoreClient } from '../../store/index.js';
import { buildApi } from '../app.js';
import type { ApiDeps } from '../ports.js';
import { ScratchStore } from '../../store/testing/scratch-store.js';
import { messageTemplate } from '../../context/index.js';

const ADMIN = 'patterns-admin-key-0123456789';
const T0 = Date.UTC(2026, 10, 3, 12, 0, 0);
const at = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
const iso = (ms: number): string => new Date(ms).toISOString();

interface Answer {
  totalPatterns: number;
  totalLines: number;
  baselineFrom: string;
  patterns: Array<{
    service: string;
    template: string;
    count: number;
    baselineCount: number;
    new: boolean;
    firstSeen: string;
    lastSeen: string;
    maxSeverity: number;
    sample: { body: string; severityText: string; traceId: string | null };
  }>;
  errorGroups: Array<{ service: string; fingerprint: string; message: string; count: number; sampleTraceId: string | null; firstSeenVersion: string | null }>;
}

void describe('GET /api/v1/logs/patterns', () => {
  let store: StoreClient;
  let scratch: ScratchStore;
  let app: FastifyInstance;
  let readKey: string;
  let ingestKey: string;

  before(async () => {
    scratch = await ScratchStore.open('vigil-patterns-');
    store = scratch.store;
    const { ring } = await KeyRing.open(store, ADMIN, Date.now());
    readKey = (await ring.add({ name: 'reader', scopes: ['read'], nowMs: Date.now() })).key;
    ingestKey = (await ring.add({ name: 'ingester', scopes: ['ingest'], nowMs: Date.now() })).key;
    const log = (ms: number, service: string, body: string, severity = 9, traceId = ''): Record<string, unknown> => ({
      time: at(ms),
      observed_time: at(ms),
      service,
      severity_number: severity,
      severity_text: severity >= 17 ? 'ERROR' : 'INFO',
      body,
      trace_id: traceId,
    });
    const logs: Array<Record<string, unknown>> = [];
    // The hour before the range: only the order lines (the baseline).
    for (let i = 0; i < 30; i++) logs.push(log(T0 - 3_000_000 + i * 60_000, 'checkout', `order ${1000 + i} took ${20 + i} ms`));
    // The range [T0, T0 + 1 h): more order lines, a new pool error (one of them the most severe), and another service.
    for (let i = 0; i < 40; i++) logs.push(log(T0 + 60_000 + i * 60_000, 'checkout', `order ${2000 + i} took ${30 + i} ms`));
    logs.push(log(T0 + 600_000, 'checkout', 'pool exhausted after 5000 ms waiting for conn 7', 13));
    logs.push(log(T0 + 900_000, 'checkout', 'pool exhausted after 5012 ms waiting for conn 3', 17, 'ab'.repeat(16)));
    logs.push(log(T0 + 1_200_000, 'checkout', 'pool exhausted after 4980 ms waiting for conn 12', 13));
    logs.push(log(T0 + 300_000, 'cart', 'cart 17 saved', 9));
    // Lines that differ only by prefixed ids (orders, users, pods) are one pattern.
    for (const [order, user] of [
      ['ord_52ab14a5', 'usr_2867bb6027'],
      ['ord_9da24ca8', 'usr_581651dc31'],
      ['ord_c51495ea', 'usr_9d4a'],
    ])
      logs.push(log(T0 + 400_000, 'shop', `Order ${order} placed by ${user} on payment-db-7`, 9));
    // After the range: must not count.
    logs.push(log(T0 + 3_700_000, 'checkout', 'pool exhausted after 1 ms waiting for conn 1', 17));
    await store.ch.insert({ table: `${store.database}.logs`, values: logs, format: 'JSONEachRow' });
    const span = (ms: number, traceId: string, message: string, version: string): Record<string, unknown> => ({
      start_time: at(ms),
      trace_id: traceId,
      span_id: traceId.slice(0, 16),
      name: 'POST /pay',
      kind: 'server',
      duration_ms: 5000,
      status_code: 'error',
      status_message: '',
      service: 'checkout',
      service_version: version,
      exception_type: 'PoolTimeout',
      exception_message: message,
    });
    await store.ch.insert({
      table: `${store.database}.spans`,
      values: [
        span(T0 + 600_000, '1'.repeat(32), 'no connection within 5000 ms (pool size 10)', '2.1.0'),
        span(T0 + 900_000, '2'.repeat(32), 'no connection within 5012 ms (pool size 10)', '2.1.0'),
        span(T0 + 950_000, '3'.repeat(32), 'card declined for order 991', '2.1.0'),
        { ...span(T0 + 1_000_000, '4'.repeat(32), 'other service failing', '1.0.0'), service: 'cart' },
      ],
      format: 'JSONEachRow',
    });
    const deps: ApiDeps = {
      store,
      keys: ring,
      audit: new AuditTrail(store),
      clock: { mode: 'event', now: () => T0 + 3_600_000, watermarkMs: () => T0 + 3_600_000 },
      changes: { record: () => Promise.reject(new Error('not used')) },
      incidents: {
        list: () => Promise.resolve({ incidents: [] }),
        get: () => Promise.resolve(undefined),
        transition: () => Promise.resolve(),
        note: () => Promise.resolve(),
      },
    };
    app = buildApi(deps, { bodyLimitBytes: 65_536 });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await scratch.close();
  });

  const get = async (query: string, key: string | null = readKey): Promise<{ status: number; body: Answer & { error?: { code: string } } }> => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/logs/patterns?${query}`, headers: key ? { authorization: `Bearer ${key}` } : {} });
    return { status: res.statusCode, body: res.json() };
  };
  const range = `from=${iso(T0)}&to=${iso(T0 + 3_600_000)}`;

  it("groups a service's lines into templates, flags the one absent from the hour before as new, and lists it first", async () => {
    const { status, body } = await get(`service=checkout&${range}`);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.baselineFrom, iso(T0 - 3_600_000));
    assert.equal(body.totalPatterns, 2);
    assert.equal(body.totalLines, 43);
    const [pool, order] = body.patterns;
    assert.equal(pool?.template, 'pool exhausted after <num> ms waiting for conn <num>');
    assert.equal(pool.new, true);
    assert.equal(pool.count, 3);
    assert.equal(pool.baselineCount, 0);
    assert.equal(pool.firstSeen, iso(T0 + 600_000));
    assert.equal(pool.lastSeen, iso(T0 + 1_200_000));
    assert.equal(pool.maxSeverity, 17);
    assert.equal(pool.sample.body, 'pool exhausted after 5012 ms waiting for conn 3', 'the most severe line is the sample');
    assert.equal(pool.sample.traceId, 'ab'.repeat(16));
    assert.equal(order?.template, 'order <num> took <num> ms');
    assert.equal(order.new, false);
    assert.equal(order.count, 40);
    assert.equal(order.baselineCount, 30);
  });

  it('returns the failing spans of the named services as error groups (one per message template, counted in traces)', async () => {
    const { body } = await get(`service=checkout&${range}`);
    assert.deepEqual(
      body.errorGroups.map((g) => [g.service, g.fingerprint, g.count, g.firstSeenVersion]),
      [
        ['checkout', 'PoolTimeout: no connection within <num> ms (pool size <num>)', 2, '2.1.0'],
        ['checkout', 'PoolTimeout: card declined for order <num>', 1, '2.1.0'],
      ],
    );
    assert.equal(body.errorGroups[0]?.sampleTraceId, '1'.repeat(32));
    assert.equal(body.errorGroups[0]?.message, 'no connection within 5000 ms (pool size 10)');
  });

  it("takes several services, the log search's filters and a limit; without a service there are no error groups", async () => {
    const both = await get(`service=checkout,cart&${range}`);
    assert.deepEqual(new Set(both.body.patterns.map((p) => p.service)), new Set(['checkout', 'cart']));
    assert.equal(both.body.errorGroups.length, 3);
    const severe = await get(`service=checkout&severity=warn&${range}`);
    assert.deepEqual(
      severe.body.patterns.map((p) => [p.template, p.count]),
      [['pool exhausted after <num> ms waiting for conn <num>', 3]],
    );
    const text = await get(`q=cart&${range}`);
    assert.deepEqual(
      text.body.patterns.map((p) => p.template),
      ['cart <num> saved'],
    );
    assert.deepEqual(text.body.errorGroups, []);
    const one = await get(`service=checkout&limit=1&${range}`);
    assert.equal(one.body.patterns.length, 1);
    assert.equal(one.body.totalPatterns, 2, 'the total counts what the limit left out');
  });

  it('masks prefixed ids as the incident context does, so one kind of line is one pattern however many orders it names', async () => {
    const { body } = await get(`service=shop&${range}`);
    assert.deepEqual(
      body.patterns.map((p) => [p.template, p.count]),
      [['Order <id> placed by <id> on payment-<id>', 3]],
    );
    assert.equal(body.patterns[0]?.template, messageTemplate('Order ord_1a2b3c4d placed by usr_77 on payment-db-2'), 'the SQL masks are the in-memory ones');
  });

  it('answers a quiet range with nothing, bad input with a 400 and a missing or unfit key with 401/403', async () => {
    const quiet = await get(`service=checkout&from=${iso(T0 - 86_400_000)}&to=${iso(T0 - 82_800_000)}`);
    assert.equal(quiet.status, 200);
    assert.deepEqual([quiet.body.patterns, quiet.body.totalLines], [[], 0]);
    for (const bad of ['traceId=xyz', 'from=yesterday', `limit=0&${range}`, `from=${iso(T0)}&to=${iso(T0 - 1)}`]) {
      const r = await get(bad);
      assert.equal(r.status, 400, bad);
      assert.match(r.body.error?.code ?? '', /^VIGIL_/);
    }
    assert.equal((await get(range, null)).status, 401);
    assert.equal((await get(range, ingestKey)).status, 403);
  });
});
