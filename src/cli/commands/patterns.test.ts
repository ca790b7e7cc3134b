// vigil patterns end to end on generated files: CSV shape and quoting, final assignment, input errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../command.js';
import { csvField, patternsCommand } from './patterns.js';

function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

void test('writes LineId,EventId,EventTemplate with one row per input line, properly quoted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-patterns-'));
  try {
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) {
      lines.push(i % 3 === 0 ? `close, ${i * 7} bytes sent, lifetime ${i % 5}:0${i % 9}` : `user "u${i}" logged in from 10.0.0.${i}`);
    }
    lines.push('session opened for user alice', 'session opened for user bob', 'session opened for user carol', 'session opened for user dave');
    writeFileSync(join(dir, 'app.log'), lines.join('\r\n') + '\r\n');
    const code = await patternsCommand.run(['--input', join(dir, 'app.log'), '--output', join(dir, 'out.csv'), '--quiet']);
    assert.equal(code, 0);
    const rows = readFileSync(join(dir, 'out.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(rows[0], 'LineId,EventId,EventTemplate');
    assert.equal(rows.length, lines.length + 1);
    const parsed = rows.slice(1).map(parseCsvLine);
    assert.deepEqual(
      parsed.map((r) => Number(r[0])),
      lines.map((_, i) => i + 1),
    );
    assert.equal(parsed[0]![2], 'close, <*> sent, lifetime <*>');
    assert.equal(parsed[0]![1], parsed[3]![1]);
    assert.notEqual(parsed[0]![1], parsed[1]![1]);
    // Lines seen before the user position generalised end in the same group as the later ones.
    const sessions = parsed.slice(60).map((r) => r[1]);
    assert.equal(new Set(sessions).size, 1);
    assert.equal(parsed[60]![2], 'session opened for user <*>');
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
});

void test('rejects binary input with the file and line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-patterns-'));
  try {
    writeFileSync(join(dir, 'bin.log'), 'fine\nnot\u0000text\n');
    await assert.rejects(patternsCommand.run(['--input', join(dir, 'bin.log'), '--output', join(dir, 'o.csv'), '--quiet']), (err: unknown) => {
      assert.ok(err instanceof CliError);
      assert.match(err.message, /bin\.log:2: binary data/);
      return true;
    });
    await assert.rejects(patternsCommand.run(['--input', join(dir, 'missing.log')]), CliError);
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
});

void test('mines invalid UTF-8, strings cut mid-emoji and very long lines: one row per line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-patterns-'));
  try {
    const cut = Buffer.from('upload of 😀').subarray(0, -2); // the emoji's last two bytes missing
    const long = `dump ${'k=v '.repeat(200_000)}end`;
    const parts = [
      Buffer.from('user \xff\xfe logged in 3 times\n', 'latin1'),
      Buffer.concat([cut, Buffer.from(' failed after 2 tries\n')]),
      Buffer.from(`${long}\n`),
      Buffer.concat([cut, Buffer.from(' failed after 7 tries\n')]),
    ];
    writeFileSync(join(dir, 'odd.log'), Buffer.concat(parts));
    await patternsCommand.run(['--input', join(dir, 'odd.log'), '--output', join(dir, 'o.csv'), '--quiet']);
    const rows = readFileSync(join(dir, 'o.csv'), 'utf8').trimEnd().split('\n').slice(1).map(parseCsvLine);
    assert.deepEqual(
      rows.map((r) => r[0]),
      ['1', '2', '3', '4'],
    );
    assert.equal(rows[0]![2], 'user \ufffd\ufffd logged in <*> times');
    assert.equal(rows[1]![1], rows[3]![1]);
    assert.equal(rows[1]![2], 'upload of \ufffd failed after <*> tries');
    assert.ok(rows[2]![2]!.length < 10_000, 'a long line gives a bounded template');
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
});

void test('quotes CSV fields only when needed', () => {
  assert.equal(csvField('plain <*>'), 'plain <*>');
  assert.equal(csvField('a, b'), '"a, b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
});
