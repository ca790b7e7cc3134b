// Exactly once on embedded chDB: a WAL range inserted again under its token adds nothing, in the
// telemetry tables and in the rollups their materialized views feed (red_1m, trace_index), and a
// writer that crashed between insert and checkpoint replays into the same counts.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeLog, makeSpan } from '../../../test/support/records.js';
import { createLogger } from '../../logger.js';
import { compactRows, migrate, openStore, spanRow, TelemetryWriter, type StoreClient } from '../index.js';
import { storeBodyInserter } from './insert.js';
import { classifyRefusal } from './refusal.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
let dir: string;
let store: StoreClient;

const count = async (sql: string): Promise<number> => {
  const rs = await store.ch.query({ query: sql, format: 'JSONEachRow' });
  return Number((await rs.json<{ n: string | number }>())[0]?.n ?? 0);
};
/** Spans, RED requests and trace-index rows of one service (the three places a span lands). */
const landed = async (service: string): Promise<[number, number, number]> => [
  await count(`SELECT count() AS n FROM vigil.spans WHERE service = '${service}'`),
  await count(`SELECT sum(requests) AS n FROM vigil.red_1m WHERE service = '${service}'`),
  await count(`SELECT uniqExact(trace_id) AS n FROM vigil.trace_index WHERE trace_id IN (SELECT trace_id FROM vigil.spans WHERE service = '${service}')`),
];
const serverSpans = (service: string, n: number): ReturnType<typeof makeSpan>[] =>
  Array.from({ length: n }, (_v, i) => makeSpan({ service, kind: 'server', startTimeMs: T0 + i * 1000 }));

describe('WAL inserts on embedded chDB', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-wal-int-'));
    store = await openStore({ dataDir: dir });
    assert.ok((await migrate(store)).includes(3), 'the deduplication migration applies');
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('counts a range once however often it is inserted under its token, in the table and the view targets', async () => {
    const insert = storeBodyInserter(store);
    const rows = serverSpans('dedup-svc', 40).map(spanRow);
    const body = Buffer.from(rows.map((r) => JSON.stringify(Object.values(r)) + '\n').join(''));
    const half = body.indexOf('\n', body.length / 2) + 1;
    const range = { table: 'vigil.spans', columns: Object.keys(rows[0]!), bodies: [body.subarray(0, half), body.subarray(half)], token: 'w1-1-0-999-spans' };
    await insert(range);
    assert.deepEqual(await landed('dedup-svc'), [40, 40, 40]);
    await insert(range);
    await insert({ ...range, bodies: [body] });
    assert.deepEqual(await landed('dedup-svc'), [40, 40, 40], 'a replay under the same token adds nothing anywhere');
    await insert({ ...range, token: 'w1-1-999-1998-spans' });
    assert.deepEqual(await landed('dedup-svc'), [80, 80, 40], 'another range with equal rows is new data');
  });

  it("tells the engine's refusals of a range's data (retrying never helps) from a store that cannot take it now", async () => {
    const span = spanRow(makeSpan({ service: 'refused-svc', name: 'SECRET-in-a-row' }));
    const columns = Object.keys(span);
    const good = JSON.stringify(Object.values(span)) + '\n';
    const attempt = (body: string, table = 'vigil.spans'): Promise<unknown> =>
      storeBodyInserter(store)({ table, columns, bodies: [Buffer.from(body)], token: `refused-${Math.random()}` }).then(
        () => assert.fail(`the engine took ${table} ${body.slice(0, 80)}`),
        (e: unknown) => e,
      );
    const days =
      Array.from({ length: 150 }, (_v, i) =>
        JSON.stringify(Object.values(spanRow(makeSpan({ service: 'refused-svc', startTimeMs: T0 + i * 86_400_000 })))),
      ).join('\n') + '\n';
    const refused = {
      // JSON.stringify writes a lone surrogate as an escape the engine rejects (code 25).
      'a lone surrogate': JSON.stringify(Object.values(spanRow(makeSpan({ service: 'refused-svc', name: 'SECRET-in-a-row\ud83d' })))) + '\n',
      'rows on 150 days': days,
      'a text for a time': good.replace(/^\[(\d+),/, '["SECRET-in-a-row",'),
      'a column missing': good.replace(/,[^,]*\]\n$/, ']\n'),
    };
    const codes: Record<string, number | null> = {};
    for (const [what, body] of Object.entries(refused)) {
      const r = classifyRefusal(await attempt(body));
      assert.equal(r.transient, false, `${what}: ${r.reason}`);
      assert.ok(!r.reason.includes('SECRET'), `${what}: the reason quotes the row: ${r.reason}`);
      assert.ok(r.reason.length <= 301, r.reason);
      codes[what] = r.code;
    }
    assert.deepEqual(codes, { 'a lone surrogate': 25, 'rows on 150 days': 252, 'a text for a time': 41, 'a column missing': 27 });
    for (const table of ['vigil.no_such_table', 'no_such_db.spans']) {
      const r = classifyRefusal(await attempt(good, table));
      assert.equal(r.transient, true, `a missing ${table} (mid-migration) is retried, not quarantined: ${r.reason}`);
    }
    assert.equal(await count(`SELECT count() AS n FROM vigil.spans WHERE service = 'refused-svc'`), 0);
  });

  it('keeps the token to its own insert: the next plain insert still lands', async () => {
    const rows = serverSpans('token-scope-svc', 3).map(spanRow);
    const body = Buffer.from(rows.map((r) => JSON.stringify(Object.values(r)) + '\n').join(''));
    await storeBodyInserter(store)({ table: 'vigil.spans', columns: Object.keys(rows[0]!), bodies: [body], token: 'scope-1-0-1-spans' });
    // Were the token left on the session, this insert would count as its repeat and vanish.
    const plain = compactRows(serverSpans('token-scope-svc', 2).map((s) => spanRow({ ...s, startTimeMs: s.startTimeMs + 60_000 })));
    await store.insertBody('vigil.spans', plain.columns, Buffer.from(plain.body), {});
    assert.equal(await count(`SELECT count() AS n FROM vigil.spans WHERE service = 'token-scope-svc'`), 5);
  });

  it('replays a range whose insert landed just before a crash without counting it twice', async () => {
    const real = storeBodyInserter(store);
    const walDir = join(dir, 'wal-crash');
    let inserted = 0;
    // Inserts, then fails as if the process died before the checkpoint: the writer retries (the
    // engine drops the repeat) and finally gives up at stop, leaving the intent in the checkpoint.
    const crashed = await TelemetryWriter.open(store, {
      maxQueuedRows: 10_000,
      maxRowsPerFlush: 10_000,
      walDir,
      inserter: async (i) => {
        await real(i);
        inserted++;
        throw new Error('crash after insert');
      },
    });
    await crashed.write({ spans: serverSpans('crash-svc', 25), logs: [makeLog({ service: 'crash-svc', timeMs: T0 })], metrics: [] });
    while (inserted < 2) await new Promise((r) => setTimeout(r, 20));
    await crashed.stop();
    assert.deepEqual(await landed('crash-svc'), [25, 25, 25]);

    const writer = await TelemetryWriter.open(store, { maxQueuedRows: 10_000, maxRowsPerFlush: 10_000, walDir });
    assert.equal(writer.getStats().walBacklogRows, 0, 'opening replayed the log');
    assert.deepEqual(await landed('crash-svc'), [25, 25, 25]);
    assert.equal(await count(`SELECT count() AS n FROM vigil.logs WHERE service = 'crash-svc'`), 1);
    await writer.write({ spans: serverSpans('crash-svc', 5), logs: [], metrics: [] });
    await writer.sync();
    assert.deepEqual(await landed('crash-svc'), [30, 30, 30]);
    await writer.stop();
  });
  it('takes a write whose rows fall on 150 days, in the table and its rollup', async () => {
    const writer = await TelemetryWriter.open(store, { maxQueuedRows: 10_000, maxRowsPerFlush: 10_000, walDir: join(dir, 'wal-days') });
    const spans = Array.from({ length: 300 }, (_v, i) => makeSpan({ service: 'backfill-svc', kind: 'server', startTimeMs: T0 - (i % 150) * 86_400_000 }));
    await writer.write({ spans, logs: [], metrics: [] });
    await writer.sync();
    assert.deepEqual(await landed('backfill-svc'), [300, 300, 300]);
    assert.equal(await count(`SELECT uniqExact(toDate(start_time)) AS n FROM vigil.spans WHERE service = 'backfill-svc'`), 150);
    assert.equal(writer.getStats().quarantinedInserts, 0);
    await writer.stop();
  });

  it('quarantines a range the engine refuses (a lone surrogate), logs no row contents, and goes on', async () => {
    const logFile = join(dir, 'refused.log');
    const log = createLogger('info', logFile);
    const walDir = join(dir, 'wal-surrogate');
    const writer = await TelemetryWriter.open(store, { maxQueuedRows: 10_000, maxRowsPerFlush: 10_000, walDir, log });
    await writer.write({
      spans: [makeSpan({ service: 'surrogate-svc', name: 'GET /x\ud83d', userId: 'SECRET-user-4711' }), ...serverSpans('surrogate-svc', 3)],
      logs: [],
      metrics: [],
    });
    await writer.sync();
    await writer.write({ spans: serverSpans('after-surrogate-svc', 4), logs: [], metrics: [] });
    await writer.sync();
    assert.deepEqual(await landed('after-surrogate-svc'), [4, 4, 4], 'the next range went in');
    const stats = writer.getStats();
    assert.deepEqual([stats.quarantinedInserts, stats.quarantinedRows, stats.walBacklogRows], [1, 4, 0]);
    await writer.stop();
    const logged = readFileSync(logFile, 'utf8');
    assert.match(logged, /moved to quarantine/);
    assert.match(logged, /"code":25/);
    assert.ok(!logged.includes('SECRET-user-4711'), 'a row value reached the log');
    const kept = readdirSync(join(walDir, 'quarantine')).find((f) => f.endsWith('.rows'))!;
    assert.ok(readFileSync(join(walDir, 'quarantine', kept), 'utf8').includes('SECRET-user-4711'), 'the rows are kept, in quarantine');
  });

  it('at start, replays the log and quarantines what the engine refuses instead of refusing to start', async () => {
    const walDir = join(dir, 'wal-replay');
    // The store was down when these were acknowledged: they stay in the log for the next start.
    const down = await TelemetryWriter.open(store, {
      maxQueuedRows: 10_000,
      maxRowsPerFlush: 10_000,
      walDir,
      inserter: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:8123')),
    });
    await down.write({ spans: [makeSpan({ service: 'replay-bad-svc', name: 'x\ud800 y' })], logs: [], metrics: [] });
    await new Promise((r) => setTimeout(r, 20));
    await down.write({
      spans: Array.from({ length: 120 }, (_v, i) => makeSpan({ service: 'replay-days-svc', kind: 'server', startTimeMs: T0 - i * 86_400_000 })),
      logs: [],
      metrics: [],
    });
    await down.stop();
    const writer = await TelemetryWriter.open(store, { maxQueuedRows: 10_000, maxRowsPerFlush: 10_000, walDir });
    assert.equal(writer.getStats().walBacklogRows, 0, 'opening replayed the whole log');
    assert.equal(writer.getStats().quarantinedInserts, 1);
    assert.deepEqual(await landed('replay-days-svc'), [120, 120, 120]);
    assert.equal(await count(`SELECT count() AS n FROM vigil.spans WHERE service = 'replay-bad-svc'`), 0);
    assert.ok(existsSync(join(walDir, 'quarantine')));
    await writer.stop();
  });
});
