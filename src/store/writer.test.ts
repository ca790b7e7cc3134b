// The telemetry writer over its write-ahead log, with an in-memory inserter standing in for the
// store: acknowledgement on append, big inserts, the queue bound, sync(), retries with the same
// token, and replay of what a crash left behind (the engine side is in wal.int.test.ts).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { makeLog, makeSpan } from '../../test/support/records.js';
import type { StoreClient } from './client.js';
import type { BodyInsert, BodyInserter } from './wal/insert.js';
import { QueueFullError, TelemetryWriter, type WriterOptions } from './writer.js';

const store = { database: 'vigil' } as unknown as StoreClient;
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vigil-writer-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

/** Records every insert; `hold()` makes inserts wait until `release()`. */
class RecordingInserter {
  readonly inserts: Array<BodyInsert & { lines: string[] }> = [];
  failNext = 0;
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  readonly insert: BodyInserter = async (i) => {
    await this.gate;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('store unavailable');
    }
    this.inserts.push({ ...i, lines: Buffer.concat(i.bodies).toString().split('\n').filter(Boolean) });
  };
  hold(): void {
    this.gate = new Promise((r) => (this.open = r));
  }
  release(): void {
    this.open?.();
    this.gate = undefined;
  }
  rows(table: string): number {
    return this.inserts.filter((i) => i.table === `vigil.${table}`).reduce((a, i) => a + i.lines.length, 0);
  }
}

const open = (inserter: RecordingInserter, o: Partial<WriterOptions> = {}): Promise<TelemetryWriter> =>
  TelemetryWriter.open(store, { maxQueuedRows: 10_000, maxRowsPerFlush: 5_000, walDir: join(dir, 'wal'), inserter: inserter.insert, ...o });
const spans = (n: number, service = 'svc'): { spans: ReturnType<typeof makeSpan>[]; logs: []; metrics: [] } => ({
  spans: Array.from({ length: n }, () => makeSpan({ service })),
  logs: [],
  metrics: [],
});
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

test('acknowledges a batch once it is in the log, before the insert; sync() waits for the insert', async () => {
  const ins = new RecordingInserter();
  const writer = await open(ins);
  ins.hold();
  await writer.write({ spans: [makeSpan()], logs: [makeLog(), makeLog()], metrics: [] });
  assert.equal(ins.inserts.length, 0, 'acknowledged while the insert is still held');
  assert.equal(writer.getStats().walBacklogRows, 3);
  let synced = false;
  const sync = writer.sync().then(() => (synced = true));
  await settle();
  assert.equal(synced, false);
  ins.release();
  await sync;
  assert.deepEqual([ins.rows('spans'), ins.rows('logs')], [1, 2]);
  assert.equal(writer.getStats().queuedRows, 0);
  assert.equal(JSON.parse(ins.inserts[0]!.lines[0]!).length, ins.inserts[0]!.columns.length, 'positional rows match the column list');
  await writer.stop();
});

test('writes of one event-loop turn go in one append, and what piles up during an insert goes in the next one', async () => {
  const ins = new RecordingInserter();
  const writer = await open(ins);
  ins.hold();
  await Promise.all([writer.write(spans(2)), writer.write(spans(3)), writer.write(spans(4))]);
  assert.equal(writer.getStats().walAppends, 1);
  await settle();
  for (let i = 0; i < 10; i++) await writer.write(spans(100));
  ins.release();
  await writer.sync();
  assert.deepEqual(
    ins.inserts.map((i) => i.lines.length),
    [9, 1000],
    'the first insert took what was there; the ten batches written meanwhile went in one',
  );
  await writer.stop();
});

test('caps an insert at maxRowsPerFlush rows', async () => {
  const ins = new RecordingInserter();
  const writer = await open(ins, { maxRowsPerFlush: 250 });
  ins.hold();
  for (let i = 0; i < 6; i++) await writer.write(spans(100));
  ins.release();
  await writer.sync();
  assert.ok(
    ins.inserts.every((i) => i.lines.length <= 250),
    ins.inserts.map((i) => i.lines.length).join(','),
  );
  assert.equal(ins.rows('spans'), 600);
  await writer.stop();
});

test('refuses batches once acknowledged-but-not-inserted rows would pass maxQueuedRows', async () => {
  const ins = new RecordingInserter();
  const writer = await open(ins, { maxQueuedRows: 10 });
  ins.hold();
  await writer.write(spans(8));
  await assert.rejects(writer.write(spans(5)), QueueFullError);
  assert.equal(writer.getStats().queuedRows, 8);
  ins.release();
  await writer.sync();
  await writer.write(spans(5));
  await writer.stop();
  assert.equal(ins.rows('spans'), 13);
});

test('sync() resolves at once when nothing is pending, and stop() inserts everything acknowledged', async () => {
  const ins = new RecordingInserter();
  const writer = await open(ins);
  await writer.sync();
  ins.hold();
  await writer.write(spans(7));
  setTimeout(() => ins.release(), 20);
  await writer.stop();
  assert.equal(ins.rows('spans'), 7);
  await assert.rejects(writer.write(spans(1)), /stopped/);
});

test('a failed insert is retried with the same range and token, not regrouped with newer rows', async () => {
  const ins = new RecordingInserter();
  const writer = await open(ins);
  ins.failNext = 2;
  await writer.write(spans(3));
  await settle();
  await writer.write(spans(4));
  // The stall shows in the stats (health's ingestQueue) while it lasts…
  while (writer.getStats().insertFailures < 1) await new Promise((r) => setTimeout(r, 5));
  await writer.sync();
  // …and clears once the range goes in.
  assert.equal(writer.getStats().insertFailures, 0);
  assert.deepEqual(
    ins.inserts.map((i) => i.lines.length),
    [3, 4],
  );
  assert.notEqual(ins.inserts[0]!.token, ins.inserts[1]!.token);
  await writer.stop();
});

test('after a crash, the range being inserted is replayed first with the same token, then the rest', async () => {
  const failing = new RecordingInserter();
  failing.failNext = 1_000;
  const tokens: string[] = [];
  const crashed = await open(failing, {
    inserter: async (i) => {
      tokens.push(i.token);
      return failing.insert(i);
    },
  });
  await crashed.write(spans(3, 'a'));
  await new Promise((r) => setTimeout(r, 50));
  await crashed.write(spans(4, 'b'));
  await crashed.write({ spans: [], logs: [makeLog()], metrics: [] });
  // stop() gives up on a failing store: the rows stay in the log with the intent in the checkpoint.
  await crashed.stop();
  assert.ok(tokens.length >= 2 && new Set(tokens).size === 1, 'every attempt used one token');

  const ins = new RecordingInserter();
  const replaying = await open(ins);
  assert.equal(ins.inserts[0]!.token, tokens[0], 'the interrupted range is re-inserted under its token');
  assert.equal(ins.inserts[0]!.lines.length, 3);
  assert.equal(ins.rows('spans'), 7);
  assert.equal(ins.rows('logs'), 1);
  assert.equal(replaying.getStats().queuedRows, 0);
  await replaying.stop();
  // Everything is inserted: a third start replays nothing, and only the active segment remains.
  const again = new RecordingInserter();
  await (await open(again)).stop();
  assert.equal(again.inserts.length, 0);
  assert.equal(readdirSync(join(dir, 'wal')).filter((f) => f.endsWith('.wal')).length, 1);
});

test('a replay that fails makes opening fail, keeping the log', async () => {
  const failing = new RecordingInserter();
  failing.failNext = 1_000;
  const crashed = await open(failing);
  await crashed.write(spans(2));
  await crashed.stop();
  await assert.rejects(open(failing), /store unavailable|WAL replay/);
  const ins = new RecordingInserter();
  await (await open(ins)).stop();
  assert.equal(ins.rows('spans'), 2);
});

/** Refuses, as the engine words it, every insert of spans from service `poison`; records the attempts. */
const refusing =
  (ins: RecordingInserter, attempts: string[]): BodyInserter =>
  async (i) => {
    if (i.table === 'vigil.spans' && Buffer.concat(i.bodies).includes('"poison"')) {
      attempts.push(i.token);
      throw new Error("Code: 27. DB::Exception: Cannot parse input: expected '[' before: '{\"x\":1}': (at row 1). (CANNOT_PARSE_INPUT_ASSERTION_FAILED)");
    }
    return ins.insert(i);
  };
const quarantined = (): string[] => {
  const q = join(dir, 'wal', 'quarantine');
  return existsSync(q) ? readdirSync(q).sort() : [];
};

test('rows the store refuses for their data go to quarantine after repeated refusals, and the log moves on', async () => {
  const ins = new RecordingInserter();
  const attempts: string[] = [];
  const writer = await open(ins, { inserter: refusing(ins, attempts) });
  await writer.write({ spans: Array.from({ length: 3 }, () => makeSpan({ service: 'poison' })), logs: [makeLog()], metrics: [] });
  await settle();
  await writer.write(spans(4, 'fine'));
  await writer.sync();
  assert.equal(attempts.length, 5, 'refused five times, then moved aside');
  assert.equal(new Set(attempts).size, 1, 'always the same range and token');
  assert.equal(ins.rows('spans'), 4, 'the next range went in');
  assert.equal(new Set(ins.inserts.filter((i) => i.table === 'vigil.logs').map((i) => i.token)).size, 1, "the range's logs landed, under its token");
  const [about = '', rows = ''] = quarantined();
  assert.ok(about.endsWith('-spans.json') && rows.endsWith('-spans.rows'), String(quarantined()));
  const lines = readFileSync(join(dir, 'wal', 'quarantine', rows), 'utf8')
    .split('\n')
    .filter(Boolean);
  assert.equal(lines.length, 3);
  assert.ok(lines.every((l) => l.includes('"poison"')));
  const meta = JSON.parse(readFileSync(join(dir, 'wal', 'quarantine', about), 'utf8')) as { table: string; reason: string; insertWith: string };
  assert.equal(meta.table, 'vigil.spans');
  assert.match(meta.reason, /Code: 27/);
  assert.match(meta.insertWith, /^INSERT INTO vigil\.spans \(.+\) FORMAT JSONCompactEachRow$/);
  const stats = writer.getStats();
  assert.deepEqual([stats.insertFailures, stats.quarantinedInserts, stats.walBacklogRows, stats.queuedRows, stats.rowsWritten], [0, 1, 0, 0, 5]);
  await writer.stop();
  // The checkpoint forgot the range: a restart replays nothing.
  const again = new RecordingInserter();
  await (await open(again)).stop();
  assert.equal(again.inserts.length, 0);
});

test('a store that fails for other reasons (disk full) is retried, never quarantined', async () => {
  const ins = new RecordingInserter();
  let failures = 5;
  const writer = await open(ins, {
    inserter: async (i) => {
      if (failures > 0) {
        failures--;
        throw new Error('Code: 243. DB::Exception: Cannot reserve 1.00 MiB, not enough space. (NOT_ENOUGH_SPACE)');
      }
      return ins.insert(i);
    },
  });
  await writer.write(spans(3));
  await writer.sync();
  assert.equal(ins.rows('spans'), 3);
  assert.deepEqual(quarantined(), []);
  assert.equal(writer.getStats().quarantinedInserts, 0);
  await writer.stop();
});

test('a replay the store refuses for its data is quarantined at open instead of keeping Vigil from starting', async () => {
  const down = new RecordingInserter();
  down.failNext = 1_000;
  const crashed = await open(down);
  await crashed.write({ spans: [makeSpan({ service: 'poison' })], logs: [], metrics: [] });
  await crashed.write(spans(2, 'fine'));
  await crashed.stop();
  const ins = new RecordingInserter();
  const attempts: string[] = [];
  const reopened = await open(ins, { inserter: refusing(ins, attempts) });
  assert.equal(attempts.length, 1, 'at open the first refusal is enough');
  assert.equal(ins.rows('spans'), 2);
  assert.equal(quarantined().length, 2);
  await reopened.stop();
});

test('refuses batches once the bytes of acknowledged-but-not-inserted rows pass maxQueuedBytes', async () => {
  const ins = new RecordingInserter();
  const writer = await open(ins, { maxQueuedBytes: 1_000 });
  ins.hold();
  await writer.write(spans(10));
  assert.ok(writer.getStats().queuedBytes >= 1_000, String(writer.getStats().queuedBytes));
  const refused = await writer.write(spans(1)).then(
    () => assert.fail('accepted past the byte bound'),
    (e: unknown) => e,
  );
  assert.ok(refused instanceof QueueFullError && refused.unit === 'bytes', String(refused));
  ins.release();
  await writer.sync();
  assert.equal(writer.getStats().queuedBytes, 0);
  await writer.write(spans(1));
  await writer.stop();
  assert.equal(ins.rows('spans'), 11);
});

test('rows of one write on 150 days reach the store in inserts of at most 50 days each', async () => {
  const ins = new RecordingInserter();
  const writer = await open(ins);
  const t0 = Date.UTC(2026, 0, 1);
  await writer.write({
    spans: Array.from({ length: 300 }, (_v, i) => makeSpan({ startTimeMs: t0 + (i % 150) * 86_400_000 })),
    logs: [makeLog({ timeMs: t0 })],
    metrics: [],
  });
  await writer.sync();
  const spanInserts = ins.inserts.filter((i) => i.table === 'vigil.spans');
  assert.equal(spanInserts.length, 3);
  for (const i of spanInserts) assert.ok(new Set(i.lines.map((l) => Math.floor((JSON.parse(l) as number[])[0]! / 86_400e6))).size <= 50);
  assert.equal(new Set(spanInserts.map((i) => i.token)).size, 3);
  assert.equal(ins.rows('spans'), 300);
  assert.equal(ins.rows('logs'), 1);
  await writer.stop();
});

test('retries and quarantine log counts and the reason, never what the rows hold', async () => {
  const ins = new RecordingInserter();
  const lines: string[] = [];
  const log = { warn: (d: object, m: string) => lines.push(JSON.stringify([d, m])), error: (d: object, m: string) => lines.push(JSON.stringify([d, m])) };
  let transientLeft = 2;
  const writer = await open(ins, {
    log,
    inserter: async (i) => {
      const body = Buffer.concat(i.bodies).toString();
      if (!body.includes('SECRET-4711')) return ins.insert(i);
      // As ClickHouse words them: the first line quotes the row, the next ones echo its columns.
      if (transientLeft-- > 0)
        throw new Error(`Code: 241. DB::Exception: Memory limit exceeded while parsing '${body.slice(0, 200)}'. (MEMORY_LIMIT_EXCEEDED)`);
      throw new Error(`Code: 25. DB::Exception: Cannot parse escape sequence before: '${body.slice(0, 200)}': (at row 1)\nRow 1:\nparsed text: "${body}"`);
    },
  });
  await writer.write({ spans: [makeSpan({ service: 'secretive', userId: 'SECRET-4711' })], logs: [], metrics: [] });
  await writer.sync();
  assert.equal(writer.getStats().quarantinedInserts, 1);
  assert.ok(lines.length >= 3, 'the retries and the quarantine were logged');
  assert.ok(
    lines.every((l) => !l.includes('SECRET-4711')),
    lines.join('\n'),
  );
  const last = JSON.parse(lines[lines.length - 1]!) as [
    { inserts: Array<{ table: string; rows: number; bytes: number; code: number; reason: string }> },
    string,
  ];
  assert.deepEqual(
    last[0].inserts.map((i) => [i.table, i.rows, i.code]),
    [['vigil.spans', 1, 25]],
  );
  assert.ok(last[0].inserts[0]!.bytes > 0);
  await writer.stop();
});

test('a drained active segment is rolled: the log gives its space back without waiting for new writes', async () => {
  const ins = new RecordingInserter();
  const writer = await open(ins, { walSegmentBytes: 64 * 1024 });
  const walBytes = (): number =>
    readdirSync(join(dir, 'wal'))
      .filter((f) => f.endsWith('.wal'))
      .reduce((a, f) => a + statSync(join(dir, 'wal', f)).size, 0);
  await writer.write(spans(400));
  assert.ok(walBytes() > 64 * 1024, String(walBytes()));
  await writer.sync();
  assert.equal(walBytes(), 0, 'every segment on disk is empty');
  assert.equal(writer.getStats().walBytes, 0);
  await writer.write(spans(3));
  await writer.sync();
  await writer.stop();
  assert.equal(ins.rows('spans'), 403);
  const again = new RecordingInserter();
  await (await open(again)).stop();
  assert.equal(again.inserts.length, 0, 'the checkpoint follows the roll: nothing is replayed');
});
