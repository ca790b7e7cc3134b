// `vigil backtest` end to end on temporary files: one scored row per input row in order, the
// timestamp kept as written, and bad input reported with its file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backtestCommand, backtestFile, parseTimestamp } from './backtest.js';
import { CliError } from '../command.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-backtest-'));

function series(n: number, stamp: (i: number) => string): string {
  const rows = ['timestamp,value'];
  for (let i = 0; i < n; i++) rows.push(`${stamp(i)},${i % 7 === 0 ? 11.5 : 10}`);
  return rows.join('\n') + '\n';
}

void test('writes one timestamp,value,anomaly_score row per input row, timestamps as read', async () => {
  const input = join(dir, 'iso.csv');
  const output = join(dir, 'iso.out.csv');
  const stamp = (i: number): string => new Date(Date.UTC(2014, 3, 1) + i * 300_000).toISOString().replace('T', ' ').slice(0, 19);
  writeFileSync(input, series(500, stamp));
  assert.equal(await backtestCommand.run(['--input', input, '--output', output]), 0);
  const lines = readFileSync(output, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'timestamp,value,anomaly_score');
  assert.equal(lines.length, 501);
  lines.slice(1).forEach((line, i) => {
    const [ts, value, score] = line.split(',');
    assert.equal(ts, stamp(i));
    assert.equal(value, i % 7 === 0 ? '11.5' : '10');
    assert.ok(Number(score) >= 0 && Number(score) <= 1);
  });
});

void test('accepts epoch-millisecond timestamps and CRLF line ends', async () => {
  const input = join(dir, 'epoch.csv');
  const output = join(dir, 'epoch.out.csv');
  writeFileSync(input, series(50, (i) => String(1_396_310_400_000 + i * 60_000)).replace(/\n/g, '\r\n'));
  await backtestCommand.run(['--input', input, '--output', output]);
  const lines = readFileSync(output, 'utf8').trim().split('\n');
  assert.equal(lines.length, 51);
  assert.equal(lines[1]?.split(',')[0], '1396310400000');
});

/** Runs backtestFile on `text` and returns the output rows (without header) and the warnings. */
async function run(name: string, text: string | Buffer): Promise<{ rows: string[][]; warnings: string[] }> {
  const input = join(dir, name);
  writeFileSync(input, text);
  const warnings: string[] = [];
  const result = await backtestFile(input, join(dir, `${name}.out.csv`), { onWarning: (w) => warnings.push(w) });
  const lines = readFileSync(join(dir, `${name}.out.csv`), 'utf8')
    .trimEnd()
    .split('\n');
  assert.equal(lines[0], 'timestamp,value,anomaly_score');
  assert.equal(result.rows, lines.length - 1);
  assert.deepEqual(result.warnings, warnings);
  return { rows: lines.slice(1).map((l) => l.split(',')), warnings };
}

const hour = (i: number): string => new Date(Date.UTC(2014, 3, 1) + i * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);

void test('a value that is not a number is scored 0 as missing, with one warning naming file and line', async () => {
  const { rows, warnings } = await run('bad.csv', 'timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,abc\n2014-04-01 00:10:00,2\n');
  assert.equal(rows.length, 3);
  assert.deepEqual(rows[1], ['2014-04-01 00:05:00', 'abc', '0']);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^VIGIL_BACKTEST_INPUT: .*bad\.csv:3: value "abc" is not a number; scored 0 as missing$/);
  // Many bad rows: the first few are named, the rest counted.
  const many = ['timestamp,value', ...Array.from({ length: 20 }, (_, i) => `${hour(i)},x${i}`)].join('\n');
  const m = await run('manybad.csv', many);
  assert.equal(m.rows.length, 20);
  assert.equal(m.warnings.length, 6);
  assert.match(m.warnings[5]!, /15 rows more whose value is not a number/);
});

void test('repeated and out-of-order timestamps are scored in file order with one warning giving the count', async () => {
  // A NAB-like hourly file whose clock repeats an hour (a DST change) and one row written late.
  const stamps = [0, 1, 2, 2, 3, 4, 3, 5, 6].map(hour);
  const { rows, warnings } = await run('dst.csv', ['timestamp,value', ...stamps.map((t, i) => `${t},${10 + (i % 2)}`)].join('\n'));
  assert.deepEqual(
    rows.map((r) => r[0]),
    stamps,
  );
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /dst\.csv: 2 rows whose timestamp repeats or goes back \(first at line 5\); scored in file order/);
});

void test('missing values and short rows score 0 and keep their row; gaps are fine', async () => {
  const text = ['timestamp,value', `${hour(0)},5`, `${hour(1)},`, `${hour(2)}`, `${hour(3)},NaN`, `${hour(500)},6`, `${hour(501)},5`].join('\n');
  const { rows, warnings } = await run('missing.csv', text);
  assert.deepEqual(
    rows.map((r) => [r[0], r[1], r[2]]),
    [
      [hour(0), '5', rows[0]![2]],
      [hour(1), '', '0'],
      [hour(2), '', '0'],
      [hour(3), 'NaN', '0'],
      [hour(500), '6', rows[4]![2]],
      [hour(501), '5', rows[5]![2]],
    ],
  );
  assert.deepEqual(warnings, [`VIGIL_BACKTEST_INPUT: ${join(dir, 'missing.csv')}: 3 rows without a value (first at line 3), scored 0 as missing`]);
});

void test('reads files without a header, with quoted fields, a BOM and CRLF', async () => {
  const noHeader = await run('noheader-data.csv', `${hour(0)},1\n${hour(1)},2\n`);
  assert.deepEqual(
    noHeader.rows.map((r) => r[0]),
    [hour(0), hour(1)],
  );
  const quoted = `\ufefftimestamp,"value"\r\n"${hour(0)}","1.5"\r\n"${hour(1)}", "2"\r\n`;
  const q = await run('quoted.csv', quoted);
  assert.deepEqual(
    q.rows.map((r) => [r[0], r[1]]),
    [
      [hour(0), '1.5'],
      [hour(1), '2'],
    ],
  );
  assert.deepEqual(q.warnings, []);
  // Columns in another order, extra columns, and a value written with a comma inside quotes.
  const other = await run('other.csv', `host,value,timestamp\na,3,${hour(0)}\nb,"1,5",${hour(1)}\n`);
  assert.deepEqual(other.rows[0]!.slice(0, 2), [hour(0), '3']);
  assert.equal(other.rows.length, 2);
  assert.match(other.warnings[0]!, /other\.csv:3: value "1,5" is not a number/);
});

void test('broken CSV and a timestamp that is no time stop the run, naming file and line', async () => {
  await assert.rejects(run('unclosed.csv', `timestamp,value\n${hour(0)},1\n"${hour(1)},2\n`), (err: unknown) => {
    assert.ok(err instanceof CliError);
    assert.match(err.message, /^VIGIL_BACKTEST_INPUT: .*unclosed\.csv:\d+: not valid CSV/);
    return true;
  });
  await assert.rejects(run('notime.csv', `timestamp,value\n${hour(0)},1\n,2\n`), /notime\.csv:3: no timestamp/);
});

void test('a bad timestamp, a missing header column and a missing file are CLI errors', async () => {
  const badTime = join(dir, 'badtime.csv');
  writeFileSync(badTime, 'timestamp,value\nyesterday,1\n');
  await assert.rejects(backtestCommand.run(['--input', badTime, '--output', join(dir, 'x.csv')]), /badtime\.csv:2: timestamp "yesterday"/);
  const noHeader = join(dir, 'noheader.csv');
  writeFileSync(noHeader, 'time,val\n1,2\n');
  await assert.rejects(backtestCommand.run(['--input', noHeader, '--output', join(dir, 'y.csv')]), /noheader\.csv:1: header/);
  await assert.rejects(backtestCommand.run(['--input', join(dir, 'absent.csv'), '--output', join(dir, 'z.csv')]), /absent\.csv: cannot read/);
  await assert.rejects(backtestCommand.run(['--input', badTime]), /--output is required/);
});

void test('parses ISO-like timestamps as UTC and honours explicit zones', () => {
  assert.equal(parseTimestamp('2014-04-01 00:00:00'), Date.UTC(2014, 3, 1));
  assert.equal(parseTimestamp('2014-04-01T01:00:00+01:00'), Date.UTC(2014, 3, 1));
  assert.equal(parseTimestamp('2014-04-01 00:00:00.500'), Date.UTC(2014, 3, 1) + 500);
  assert.equal(parseTimestamp('1396310400000'), 1_396_310_400_000);
  assert.equal(parseTimestamp('04/01/2014'), undefined);
});
