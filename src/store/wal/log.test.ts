// The WAL's files: recovery truncates a torn tail, returns the unfinished intent and what follows
// it, and segments are deleted once the checkpoint has passed them.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { WriteAheadLog, type WalOptions } from './log.js';
import { encodeRecord, type TableChunk } from './record.js';

let dir: string;
let warnings: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-wal-'));
  warnings = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

const options = (o: Partial<WalOptions> = {}): WalOptions => ({ dir, fsync: false, segmentBytes: 1 << 20, warn: (m) => warnings.push(m), ...o });
const record = (tag: string, rows = 2): ReturnType<typeof encodeRecord> => {
  const c: TableChunk = { table: 'spans', rows, columns: 'a,b', body: Buffer.from(Array.from({ length: rows }, (_v, i) => `[${i},"${tag}"]\n`).join('')) };
  return encodeRecord([c]);
};
const segments = (): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.wal'))
    .sort();
const tags = (records: Array<{ chunks: TableChunk[] }>): string[] => records.map((r) => /"(\w+)"/.exec(r.chunks[0]!.body.toString())![1]!);

test('a reopened log hands back every record the checkpoint has not passed, and appends to a new segment', async () => {
  const first = await WriteAheadLog.open(options());
  assert.deepEqual(first.recovered, []);
  const a = await first.wal.append(record('a'));
  await first.wal.append(record('b'));
  await first.wal.markInserted(a);
  await first.wal.append(record('c'));
  // No close: a crash leaves the handle open, which is what reopening must cope with.
  const second = await WriteAheadLog.open(options());
  assert.deepEqual(tags(second.recovered), ['b', 'c']);
  assert.equal(second.intent, null);
  assert.equal(segments().length, 2, 'the old segment is kept until its records are inserted');
  assert.notEqual((await second.wal.append(record('d'))).segment, a.segment);
  await second.wal.close();
  await first.wal.close();
});

test('a torn tail is truncated with a warning: it was never acknowledged', async () => {
  const { wal } = await WriteAheadLog.open(options());
  const a = await wal.append(record('a'));
  await wal.append(record('b'));
  await wal.close();
  const file = join(dir, segments()[0]!);
  const validSize = statSync(file).size;
  appendFileSync(file, Buffer.concat(record('torn').parts).subarray(0, 15));
  const reopened = await WriteAheadLog.open(options());
  assert.deepEqual(tags(reopened.recovered), ['a', 'b']);
  assert.equal(statSync(file).size, validSize);
  assert.match(warnings.join('\n'), /torn tail/);
  assert.equal(reopened.recovered[0]!.start, a.start);
  await reopened.wal.close();
});

test('a corrupt record inside a closed segment keeps what follows it beside the log', async () => {
  const first = await WriteAheadLog.open(options({ segmentBytes: 1 }));
  const a = await first.wal.append(record('a'));
  const b = await first.wal.append(record('b'));
  await first.wal.append(record('c'));
  await first.wal.close();
  assert.equal(segments().length, 3, 'one record per segment at this size');
  const file = join(dir, segments()[0]!);
  const bytes = readFileSync(file);
  bytes.writeUInt8(bytes.readUInt8(bytes.length - 3) ^ 0xff, bytes.length - 3); // a flipped byte in the body: the checksum fails
  writeFileSync(file, bytes);
  const reopened = await WriteAheadLog.open(options({ segmentBytes: 1 }));
  assert.deepEqual(tags(reopened.recovered), ['b', 'c']);
  assert.equal(reopened.recovered[0]!.segment, b.segment);
  assert.match(warnings.join('\n'), /moved aside/);
  const kept = readdirSync(dir).filter((f) => f.includes('.corrupt-at-'));
  assert.equal(kept.length, 1);
  assert.deepEqual(readFileSync(join(dir, kept[0]!)), bytes.subarray(a.start), 'the bad record is kept, not destroyed');
  await reopened.wal.close();
});

test('the range being inserted at a crash comes back as the intent, with its records', async () => {
  const { wal } = await WriteAheadLog.open(options());
  const a = await wal.append(record('a'));
  const b = await wal.append(record('b'));
  await wal.append(record('c'));
  await wal.markIntent({ segment: a.segment, start: a.start, end: b.end });
  const reopened = await WriteAheadLog.open(options());
  assert.deepEqual(reopened.intent, { segment: a.segment, start: a.start, end: b.end });
  assert.deepEqual(tags(reopened.recovered), ['a', 'b', 'c']);
  assert.equal(reopened.wal.walId, wal.walId, 'the log id, and so the tokens, survive a restart');
  await reopened.wal.close();
  await wal.close();
});

test('segments rotate at their size and are deleted once the checkpoint passes them', async () => {
  const { wal } = await WriteAheadLog.open(options({ segmentBytes: 40 }));
  const ranges = [];
  for (const t of ['a', 'b', 'c']) ranges.push(await wal.append(record(t, 3)));
  assert.equal(new Set(ranges.map((r) => r.segment)).size, 3);
  assert.equal(segments().length, 3);
  await wal.markInserted(ranges[0]!);
  assert.equal(segments().length, 2, 'the first, fully inserted segment is gone');
  await wal.markInserted(ranges[1]!);
  assert.deepEqual(segments(), [`${String(ranges[2]!.segment).padStart(20, '0')}.wal`]);
  await wal.close();
  const reopened = await WriteAheadLog.open(options({ segmentBytes: 40 }));
  assert.deepEqual(tags(reopened.recovered), ['c']);
  await reopened.wal.close();
});
