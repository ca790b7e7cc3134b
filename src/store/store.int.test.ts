// The store against embedded chDB: migrations, group-commit writes, and every read path.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeLog, makeMetric, makeSpan } from '../../test/support/records.js';
import {
  EMBEDDED_ENGINE_ARGS,
  getTrace,
  insertChanges,
  listChanges,
  listServices,
  metricSeries,
  migrate,
  openStore,
  QueueFullError,
  readEngineMemory,
  redSeries,
  searchLogs,
  searchSpans,
  TelemetryWriter,
  type StoreClient,
} from './index.js';

const T0 = 1_764_000_000_000;
let dir: string;
let store: StoreClient;
let walDirs = 0;
const openWriter = (o: { maxQueuedRows: number; maxRowsPerFlush: number }): Promise<TelemetryWriter> =>
  TelemetryWriter.open(store, { ...o, walDir: join(dir, `wal-${++walDirs}`) });

describe('store on embedded chDB', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-store-'));
    store = await openStore({ dataDir: dir });
    // Every migration, in order, each once (ids 1..n with no gap).
    assert.deepEqual(await migrate(store), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(await migrate(store), [], 'a second run applies nothing');
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('runs the embedded engine with thread pools sized for a shared machine', async () => {
    const r = await store.ch.query({
      query: `SELECT name, value FROM system.server_settings WHERE name IN ('max_thread_pool_free_size', 'max_parts_cleaning_thread_pool_size')`,
      format: 'JSONEachRow',
    });
    const got = Object.fromEntries((await r.json<{ name: string; value: string }>()).map((x) => [x.name, x.value]));
    const want = Object.fromEntries(EMBEDDED_ENGINE_ARGS.map((a) => /^--(\w+)=(.*)$/.exec(a)!.slice(1)));
    assert.equal(got.max_thread_pool_free_size, want.max_thread_pool_free_size);
    assert.equal(got.max_parts_cleaning_thread_pool_size, want.max_parts_cleaning_thread_pool_size);
    assert.ok(Number(got.max_thread_pool_free_size) < 1000, 'not the server default');
  });

  it("reports what the embedded engine holds: its accounting and its allocator's pages", async () => {
    const m = await readEngineMemory(store);
    assert.ok(m.trackedBytes !== null && m.trackedBytes > 0, JSON.stringify(m));
    assert.ok(m.allocator, 'jemalloc statistics parsed');
    assert.ok(m.allocator.allocatedBytes > 0 && m.allocator.residentBytes >= m.allocator.allocatedBytes, JSON.stringify(m));
    assert.ok(m.allocator.residentBytes < process.memoryUsage().rss, 'part of this process');
    assert.ok(Number.isInteger(m.allocator.dirtyDecayMs) && m.allocator.dirtyDecayMs >= -1, JSON.stringify(m));
  });

  it('writes concurrent batches and reads a whole trace back', async () => {
    const writer = await openWriter({ maxQueuedRows: 100_000, maxRowsPerFlush: 50_000 });
    const traceId = 'ab'.repeat(16);
    const root = makeSpan({ traceId, spanId: '1'.repeat(16), startTimeMs: T0 + 0.123, service: 'frontend', userId: 'u-1', attributes: { 'tenant.id': 't1' } });
    const child = makeSpan({
      traceId,
      spanId: '2'.repeat(16),
      parentSpanId: root.spanId,
      kind: 'client',
      startTimeMs: T0 + 1,
      peerService: 'payment-db',
      events: [{ timeMs: T0 + 2, name: 'exception', attributes: { 'exception.type': 'Timeout' } }],
    });
    await Promise.all([writer.write({ spans: [root], logs: [], metrics: [] }), writer.write({ spans: [child], logs: [], metrics: [] })]);
    await writer.sync();
    const spans = await getTrace(store, traceId);
    assert.equal(spans.length, 2);
    const back = spans.find((s) => s.spanId === root.spanId)!;
    assert.deepEqual(back, root);
    assert.equal(spans.find((s) => s.spanId === child.spanId)!.events[0]!.name, 'exception');
    assert.deepEqual(await getTrace(store, 'ff'.repeat(16)), []);
    await writer.stop();
  });

  it('refuses batches past the queue bound instead of growing', async () => {
    const writer = await openWriter({ maxQueuedRows: 10, maxRowsPerFlush: 10 });
    const first = writer.write({ spans: Array.from({ length: 8 }, () => makeSpan({ startTimeMs: T0 })), logs: [], metrics: [] });
    await assert.rejects(writer.write({ spans: Array.from({ length: 5 }, () => makeSpan()), logs: [], metrics: [] }), QueueFullError);
    await first;
    await writer.stop();
  });

  it('searches spans by filters with a cursor that pages without gaps', async () => {
    const writer = await openWriter({ maxQueuedRows: 100_000, maxRowsPerFlush: 50_000 });
    const batch = Array.from({ length: 25 }, (_v, i) =>
      makeSpan({
        service: 'search-svc',
        startTimeMs: T0 + 10_000 + i,
        durationMs: i,
        statusCode: i % 5 === 0 ? 'error' : 'unset',
        attributes: { idx: String(i) },
      }),
    );
    await writer.write({ spans: batch, logs: [], metrics: [] });
    await writer.sync();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await searchSpans(store, { fromMs: T0, toMs: T0 + 60_000, service: 'search-svc', limit: 10, cursor });
      seen.push(...page.items.map((s) => s.spanId));
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(new Set(seen).size, 25);
    const errors = await searchSpans(store, { fromMs: T0, toMs: T0 + 60_000, service: 'search-svc', status: 'error', limit: 100 });
    assert.equal(errors.items.length, 5);
    const slow = await searchSpans(store, { fromMs: T0, toMs: T0 + 60_000, service: 'search-svc', minDurationMs: 20, limit: 100 });
    assert.equal(slow.items.length, 5);
    const byAttr = await searchSpans(store, { fromMs: T0, toMs: T0 + 60_000, attributes: { idx: '7' }, limit: 100 });
    assert.equal(byAttr.items.length, 1);
    await writer.stop();
  });

  it('finds logs by words, phrase, severity and trace id', async () => {
    const writer = await openWriter({ maxQueuedRows: 100_000, maxRowsPerFlush: 50_000 });
    await writer.write({
      spans: [],
      metrics: [],
      logs: [
        makeLog({
          timeMs: T0 + 1,
          body: 'Connection timeout acquiring connection from pool',
          severityNumber: 17,
          severityText: 'ERROR',
          traceId: 'cd'.repeat(16),
          service: 'payment',
        }),
        makeLog({ timeMs: T0 + 2, body: 'payment accepted for order 42', service: 'payment' }),
        makeLog({ timeMs: T0 + 3, body: 'cart updated', service: 'cart' }),
      ],
    });
    await writer.sync();
    assert.equal((await searchLogs(store, { fromMs: T0, toMs: T0 + 10, text: 'timeout POOL', limit: 10 })).items.length, 1);
    assert.equal((await searchLogs(store, { fromMs: T0, toMs: T0 + 10, text: '"order 42"', limit: 10 })).items.length, 1);
    assert.equal((await searchLogs(store, { fromMs: T0, toMs: T0 + 10, minSeverity: 17, limit: 10 })).items.length, 1);
    assert.equal((await searchLogs(store, { fromMs: T0, toMs: T0 + 10, traceId: 'cd'.repeat(16), limit: 10 })).items[0]!.service, 'payment');
    assert.equal((await searchLogs(store, { fromMs: T0, toMs: T0 + 10, service: 'payment', limit: 10 })).items.length, 2);
    await writer.stop();
  });

  it('aggregates gauges, counters and histograms per step', async () => {
    const writer = await openWriter({ maxQueuedRows: 100_000, maxRowsPerFlush: 50_000 });
    const base = T0 + 3_600_000;
    const metrics = [];
    for (let i = 0; i < 6; i++) {
      metrics.push(makeMetric({ name: 'pool.used', type: 'gauge', timeMs: base + i * 10_000, value: i * 10 }));
      metrics.push(makeMetric({ name: 'req.count', type: 'sum', temporality: 'cumulative', isMonotonic: true, timeMs: base + i * 10_000, value: i * 100 }));
      metrics.push(
        makeMetric({
          name: 'req.duration',
          type: 'histogram',
          temporality: 'delta',
          timeMs: base + i * 10_000,
          count: 10,
          sum: 100,
          bucketCounts: [0, 10, 0],
          explicitBounds: [5, 15],
        }),
      );
    }
    await writer.write({ spans: [], logs: [], metrics });
    await writer.sync();
    const gauge = await metricSeries(store, { name: 'pool.used', fromMs: base, toMs: base + 60_000, stepMs: 30_000, maxSeries: 10 });
    assert.deepEqual(
      gauge.series[0]!.points.map((p) => p.value),
      [10, 40],
    );
    const counter = await metricSeries(store, { name: 'req.count', fromMs: base, toMs: base + 60_000, stepMs: 30_000, maxSeries: 10 });
    assert.deepEqual(
      counter.series[0]!.points.map((p) => p.value),
      [null, 300 / 30],
    );
    const hist = await metricSeries(store, { name: 'req.duration', fromMs: base, toMs: base + 60_000, stepMs: 60_000, maxSeries: 10 });
    assert.equal(hist.series[0]!.points[0]!.count, 60);
    assert.equal(hist.series[0]!.points[0]!.p50, 10);
    const none = await metricSeries(store, { name: 'none.such', fromMs: base, toMs: base + 60_000, stepMs: 60_000, maxSeries: 10 });
    assert.deepEqual(none.series, []);
    await writer.stop();
  });

  it('serves RED per route and version from raw spans and from the minute rollup', async () => {
    const writer = await openWriter({ maxQueuedRows: 100_000, maxRowsPerFlush: 50_000 });
    const base = T0 + 7_200_000;
    const spans = Array.from({ length: 120 }, (_v, i) =>
      makeSpan({
        service: 'red-svc',
        httpRoute: i % 2 ? '/a' : '/b',
        serviceVersion: i < 60 ? '1' : '2',
        startTimeMs: base + i * 1000,
        durationMs: 100,
        statusCode: i % 10 === 0 ? 'error' : 'unset',
      }),
    );
    await writer.write({ spans, logs: [], metrics: [] });
    await writer.sync();
    const byRoute = await redSeries(store, { fromMs: base, toMs: base + 120_000, stepMs: 60_000, service: 'red-svc', groupBy: 'route', maxSeries: 10 });
    assert.deepEqual(byRoute.map((s) => s.route).sort(), ['/a', '/b']);
    const total = byRoute.flatMap((s) => s.points).reduce((a, p) => a + p.requests, 0);
    assert.equal(total, 120);
    const raw = await redSeries(store, { fromMs: base, toMs: base + 120_000, stepMs: 30_000, service: 'red-svc', groupBy: 'version', maxSeries: 10 });
    assert.deepEqual(raw.map((s) => s.version).sort(), ['1', '2']);
    assert.equal(
      raw.flatMap((s) => s.points).reduce((a, p) => a + p.errors, 0),
      12,
    );
    const services = await listServices(store, base, base + 120_000);
    const red = services.find((s) => s.service === 'red-svc')!;
    assert.equal(red.requests, 120);
    assert.ok(Math.abs(red.errorRate - 0.1) < 1e-9);
    assert.deepEqual(red.versions, ['1', '2']);
    await writer.stop();
  });

  it('stores and lists changes newest first', async () => {
    await insertChanges(store, [
      {
        id: 'c1',
        service: 'payment',
        kind: 'deploy',
        timeMs: T0,
        version: '2.3',
        previousVersion: '2.2',
        environment: 'prod',
        commit: 'abc',
        description: 'batch size 100',
        source: 'api',
        attributes: {},
      },
      {
        id: 'c2',
        service: 'payment',
        kind: 'config',
        timeMs: T0 + 5,
        version: '',
        previousVersion: '',
        environment: '',
        commit: '',
        description: 'pool 20 -> 10',
        source: 'api',
        attributes: { key: 'pool' },
      },
    ]);
    const list = await listChanges(store, { service: 'payment', limit: 10 });
    assert.deepEqual(
      list.map((c) => c.id),
      ['c2', 'c1'],
    );
    assert.equal(list[1]!.version, '2.3');
  });
});
