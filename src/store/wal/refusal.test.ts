// Insert failures sorted by "would retrying the same bytes ever succeed?", on the messages chDB
// 26.7 really gives (copied from wal.int.test.ts's refusals, which provoke them live) and on a
// store that is down; and the reason made safe to log (the engine quotes the row it choked on).
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { classifyRefusal, safeReason } from './refusal.js';

const chdbError = (message: string, clickhouseCode?: number): Error =>
  Object.assign(new Error(message), { name: 'ChdbInsertError', code: 'CHDB_INSERT', clickhouseCode });

const surrogate =
  'Code: 25. DB::Exception: Code: 25. DB::Exception: Cannot parse escape sequence: missing second part of surrogate pair. In JSON input formats you can disable setting input_format_json_throw_on_bad_escape_sequence to save bad escape sequences as is: (while reading the value of key name): (at row 1)\n: \nRow 1:\nColumn 0,   name: start_time,           type: DateTime64(6, \'UTC\'),                parsed text: "1764000000000000"\nColumn 4,   name: name,                 type: LowCardinality(String),              parsed text: "<DOUBLE QUOTE>SECRET-abc<BACKSLASH>ud83d"ERROR\n';
const partitions =
  "Code: 252. DB::Exception: Code: 252. DB::Exception: Too many partitions for single INSERT block (more than 100). The limit is controlled by 'max_partitions_per_insert_block' setting. Large number of partitions is a common misconception. (TOO_MANY_PARTS) (version 26.7.2.1). (TOO_MANY_PARTS)";
const wrongType =
  'Code: 41. DB::Exception: Code: 41. DB::Exception: Cannot read DateTime: unexpected word: (while reading the value of key start_time): (at row 1)\n: \nRow 1:\nColumn 0,   name: start_time,           type: DateTime64(6, \'UTC\'),                parsed text: "<DOUBLE QUOTE>SEC"ERROR\n';
const quotedRow =
  'Code: 27. DB::Exception: Cannot parse input: expected \'[\' before: \'{"user":"SECRET-abc"}\': (at row 1). (CANNOT_PARSE_INPUT_ASSERTION_FAILED)';

test("the store's refusals of the data are not transient, whatever their code", () => {
  for (const [message, code] of [
    [surrogate, 25],
    [partitions, 252],
    [wrongType, 41],
    [quotedRow, 27],
    ['Code: 1001. DB::Exception: std::out_of_range: basic_string. (STD_EXCEPTION)', 1001],
    ['Code: 131. DB::Exception: String too long for type FixedString. (TOO_LARGE_STRING_SIZE)', 131],
  ] as const) {
    const r = classifyRefusal(chdbError(message, code));
    assert.deepEqual([r.transient, r.code], [false, code], message);
  }
  // A server's error (@clickhouse/client) carries the code as a string field and no prefix.
  const server = Object.assign(new Error('Cannot parse escape sequence: missing second part of surrogate pair'), {
    code: '25',
    type: 'CANNOT_PARSE_ESCAPE_SEQUENCE',
  });
  assert.deepEqual([classifyRefusal(server).transient, classifyRefusal(server).code], [false, 25]);
});

test('a store that is down, busy, full or read-only is transient: the rows are retried, never quarantined', async () => {
  for (const message of [
    'Code: 241. DB::Exception: Memory limit (total) exceeded: would use 3.5 GiB. (MEMORY_LIMIT_EXCEEDED)',
    'Code: 243. DB::Exception: Cannot reserve 1.00 MiB, not enough space. (NOT_ENOUGH_SPACE)',
    'Code: 252. DB::Exception: Too many parts (3001 with average size of 1.1 MiB) in table vigil.spans. Merges are processing significantly slower than inserts. (TOO_MANY_PARTS)',
    'Code: 60. DB::Exception: Table vigil.nope does not exist. Maybe you meant system.one?. (UNKNOWN_TABLE)',
    'Code: 81. DB::Exception: Database nodb does not exist. (UNKNOWN_DATABASE)',
    'Code: 159. DB::Exception: Timeout exceeded: elapsed 61 seconds. (TIMEOUT_EXCEEDED)',
    'Code: 242. DB::Exception: Table is in readonly mode. (TABLE_IS_READ_ONLY)',
    'Code: 1001. DB::Exception: std::__1::system_error: No space left on device. (STD_EXCEPTION)',
    'Code: 394. DB::Exception: Query was cancelled, server is shutting down. (QUERY_WAS_CANCELLED)',
  ]) {
    assert.equal(classifyRefusal(chdbError(message, Number(/Code: (\d+)/.exec(message)![1]))).transient, true, message);
  }
  // chDB with its engine closed: no ClickHouse code at all.
  assert.equal(classifyRefusal(Object.assign(new Error('No active connection available'), { code: 'CHDB_CLOSED' })).transient, true);
  // A ClickHouse server that is not there, through the real client.
  const ch = createClient({ url: 'http://127.0.0.1:9', request_timeout: 2_000, log: { level: ClickHouseLogLevel.OFF } });
  const down = await ch.insert({ table: 'vigil.spans', values: Readable.from([Buffer.from('[1]\n')]), columns: ['a'], format: 'JSONCompactEachRow' }).then(
    () => assert.fail('inserted into nothing'),
    (e: unknown) => e,
  );
  await ch.close();
  const r = classifyRefusal(down);
  assert.deepEqual([r.transient, r.code], [true, null], r.reason);
});

test('the reason keeps what the store says and drops what it quotes from the row', () => {
  assert.equal(
    safeReason(surrogate),
    'Cannot parse escape sequence: missing second part of surrogate pair. In JSON input formats you can disable setting input_format_json_throw_on_bad_escape_sequence to save bad escape sequences as is: (while reading the value of key name): (at row 1)',
  );
  assert.equal(safeReason(quotedRow), 'Cannot parse input: expected … before: …: (at row 1). (CANNOT_PARSE_INPUT_ASSERTION_FAILED)');
  assert.equal(safeReason("Cannot parse 'SECRET-abc"), 'Cannot parse …', 'an unterminated quote is dropped to the end');
  assert.ok(safeReason(`x ${'y'.repeat(1000)}`).length <= 301);
});
