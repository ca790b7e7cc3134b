// `vigil backtest` end to end on temporary files: one scored row per input row in order, the
// timestamp kept as written, and bad input reported with its file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backtestCommand, parseTimestamp } from './backtest.js';
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
  const stamp = (i: number): string =>
    new Date(Date.UTC(2014, 3, 1) + i * 300_000).toISOString().replace('T', ' ').slice(0, 19);
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

void test('a bad value is reported with the file and line', async () => {
  const input = join(dir, 'bad.csv');
  writeFileSync(input, 'timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,abc\n');
  await assert.rejects(
    backtestCommand.run(['--input', input, '--output', join(dir, 'bad.out.csv')]),
    (err: unknown) => {
      assert.ok(err instanceof CliError);
      assert.match(err.message, /bad\.csv:3: value "abc"/);
      return true;
    },
  );
});

void test('a bad timestamp, a missing header column and a missing file are CLI errors', async () => {
  const badTime = join(dir, 'badtime.csv');
  writeFileSync(badTime, 'timestamp,value\nyesterday,1\n');
  await assert.rejects(
    backtestCommand.run(['--input', badTime, '--output', join(dir, 'x.csv')]),
    /badtime\.csv:2: timestamp "yesterday"/,
  );
  const noHeader = join(dir, 'noheader.csv');
  writeFileSync(noHeader, 'time,val\n1,2\n');
  await assert.rejects(
    backtestCommand.run(['--input', noHeader, '--output', join(dir, 'y.csv')]),
    /noheader\.csv:1: header/,
  );
  await assert.rejects(
    backtestCommand.run(['--input', join(dir, 'absent.csv'), '--output', join(dir, 'z.csv')]),
    /absent\.csv: cannot read/,
  );
  await assert.rejects(backtestCommand.run(['--input', badTime]), /--output is required/);
});

void test('parses ISO-like timestamps as UTC and honours explicit zones', () => {
  assert.equal(parseTimestamp('2014-04-01 00:00:00'), Date.UTC(2014, 3, 1));
  assert.equal(parseTimestamp('2014-04-01T01:00:00+01:00'), Date.UTC(2014, 3, 1));
  assert.equal(parseTimestamp('2014-04-01 00:00:00.500'), Date.UTC(2014, 3, 1) + 500);
  assert.equal(parseTimestamp('1396310400000'), 1_396_310_400_000);
  assert.equal(parseTimestamp('04/01/2014'), undefined);
});
