// WAL record framing: what is written reads back byte for byte, and a torn or corrupt tail is
// recognised where it starts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeRecord, scanRecords, type TableChunk } from './record.js';

const chunk = (table: TableChunk['table'], rows: number, tag: string): TableChunk => ({
  table,
  rows,
  columns: 'start_time,trace_id,name',
  body: Buffer.from(Array.from({ length: rows }, (_v, i) => JSON.stringify([i, `${tag}-${i}`, 'GET /ä']) + '\n').join('')),
});

const bytesOf = (chunks: TableChunk[]): Buffer => Buffer.concat(encodeRecord(chunks).parts);

test('a record round-trips its tables, row counts, columns and bodies', () => {
  const chunks = [chunk('spans', 3, 's'), chunk('logs', 2, 'l'), chunk('metric_points', 1, 'm')];
  const data = Buffer.concat([bytesOf(chunks), bytesOf([chunk('logs', 1, 'x')])]);
  const scan = scanRecords(data);
  assert.equal(scan.problem, undefined);
  assert.equal(scan.validEnd, data.length);
  assert.equal(scan.records.length, 2);
  assert.deepEqual(
    scan.records[0]!.chunks.map((c) => ({ ...c, body: c.body.toString() })),
    chunks.map((c) => ({ ...c, body: c.body.toString() })),
  );
  assert.equal(scan.records[1]!.start, scan.records[0]!.end);
  assert.equal(encodeRecord(chunks).bytes, scan.records[0]!.end);
});

test('tables without rows are left out of the record', () => {
  const scan = scanRecords(bytesOf([chunk('spans', 0, 's'), chunk('logs', 1, 'l')]));
  assert.deepEqual(
    scan.records[0]!.chunks.map((c) => c.table),
    ['logs'],
  );
});

test('a torn tail stops the scan at the last whole record', () => {
  const whole = bytesOf([chunk('spans', 4, 'a')]);
  const next = bytesOf([chunk('spans', 4, 'b')]);
  for (const cut of [3, 8, next.length - 1]) {
    const scan = scanRecords(Buffer.concat([whole, next.subarray(0, cut)]));
    assert.equal(scan.records.length, 1, `cut at ${cut}`);
    assert.equal(scan.validEnd, whole.length);
    assert.match(scan.problem ?? '', /torn/);
  }
});

test('a flipped byte fails the checksum and everything from that record on is dropped', () => {
  const a = bytesOf([chunk('spans', 2, 'a')]);
  const b = bytesOf([chunk('spans', 2, 'b')]);
  const c = bytesOf([chunk('spans', 2, 'c')]);
  const data = Buffer.concat([a, b, c]);
  data[a.length + 20] = data[a.length + 20]! ^ 0xff;
  const scan = scanRecords(data);
  assert.equal(scan.records.length, 1);
  assert.equal(scan.validEnd, a.length);
  assert.match(scan.problem ?? '', /checksum/);
});

test('scanning starts at a given offset (the checkpoint)', () => {
  const a = bytesOf([chunk('spans', 2, 'a')]);
  const b = bytesOf([chunk('logs', 2, 'b')]);
  const scan = scanRecords(Buffer.concat([a, b]), a.length);
  assert.deepEqual(
    scan.records.map((r) => [r.start, r.chunks[0]!.table]),
    [[a.length, 'logs']],
  );
});
