// Exactly once on embedded chDB: a WAL range inserted again under its token adds nothing, in the
// telemetry tables and in the rollups their materialized views feed (red_1m, trace_index), and a
// writer that crashed between insert and checkpoint replays into the same counts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeLog, makeSpan } from '../../../test/support/records.js';
import { compactRows, migrate, openStore, spanRow, TelemetryWriter, type StoreClient } from '../index.js';
import { storeBodyInserter } from './insert.js';
import { refusedDataCode } from './quarantine.js';

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
const serverSpans = (service: string, n: number): ReturnType<typeof makeSpan>[] => Array.from({ length: n }, (_v, i) => makeSpan({ service, kind: 'server', startTimeMs: T0 + i * 1000 }));

describe('WAL inserts on embedded chDB', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-wal-int-'));
    store = await openStore({ dataDir: dir });
    assert.ok((await migrate(store)).includes(3), 'the deduplication migration applies');
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
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

  it("tells the engine's refusal of a range's data from other failures", async () => {
    const rows = serverSpans('refused-svc', 2).map(spanRow);
    const good = rows.map((r) => JSON.stringify(Object.values(r))).join('\n') + '\n';
    // A text where the engine expects a number (duration), and a row with a column missing.
    const bad = [good.replace(/^\[(\d+),/, '["not a time",'), good.replace(/,[^,]*\]\n$/, ']\n')];
    for (const body of bad) {
      const err = await storeBodyInserter(store)({ table: 'vigil.spans', columns: Object.keys(rows[0]!), bodies: [Buffer.from(body)], token: `refused-${body.length}` }).then(
        () => assert.fail('the engine took a malformed row'),
        (e: unknown) => e,
      );
      assert.notEqual(refusedDataCode(err), null, String(err));
    }
    const missing = await storeBodyInserter(store)({ table: 'vigil.no_such_table', columns: Object.keys(rows[0]!), bodies: [Buffer.from(good)], token: 'refused-table' }).then(
      () => assert.fail('inserted into a missing table'),
      (e: unknown) => e,
    );
    assert.equal(refusedDataCode(missing), null, 'a schema problem is not the data: retried, not quarantined');
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
});
