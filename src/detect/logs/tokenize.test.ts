// Masking and tokenisation: what becomes a parameter, and values written in several pieces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MASKS, WILDCARD, isParameter, renderTokens, tokenizeMessage } from './tokenize.js';

const masked = (m: string): string => {
  const t = tokenizeMessage(m);
  return renderTokens(t.tokens, t.spaceBefore);
};

void test('masks numbers, hex, ids, IPs with ports, UUIDs, paths, URLs and durations', () => {
  assert.equal(masked('took 250 ms to load user 12345'), 'took <*> to load user <*>');
  assert.equal(masked('connect to 10.0.0.12:5432 failed'), 'connect to <*> failed');
  assert.equal(masked('proxy.example.com:8080 open'), '<*> open');
  assert.equal(masked('trace 4bf92f3577b34da6a3ce929d0e0e4736 done'), 'trace <*> done');
  assert.equal(masked('job 0f8fad5b-d9cb-469f-a165-70867728950e queued'), 'job <*> queued');
  assert.equal(masked('reading /var/lib/app/data.db now'), 'reading <*> now');
  assert.equal(masked('loading C:\\Windows\\System\\core.dll'), 'loading <*>');
  assert.equal(masked('GET https://api.example.com/v1/orders ok'), 'GET <*> ok');
  assert.equal(masked('pointer 0xdeadbeef freed'), 'pointer <*> freed');
  assert.equal(masked('mac FF:F2:9F:16:E5:DC seen'), 'mac <*> seen');
});

void test('folds a value written in several pieces into one parameter', () => {
  // Sizes with units, bracketed details and times are one value however they are written.
  assert.equal(masked('sent 1190 bytes (1.16 KB) ok'), masked('sent 0 bytes ok'));
  assert.equal(masked('lifetime 00:01'), masked('lifetime <1 sec'));
  assert.equal(masked('at Fri Jun 17 07:07:00 2005'), 'at <*>');
  assert.equal(masked('from 1.2.3.4 () at x'), masked('from 1.2.3.4 (5-6-7-8.example.net) at x'));
});

void test('splits key=value and brackets so keys stay constant', () => {
  const t = tokenizeMessage('user=alice id=42 [worker]');
  assert.deepEqual(t.tokens, ['user', '=', 'alice', 'id', '=', WILDCARD, '[', 'worker', ']']);
  assert.equal(t.raw[5], '42');
  assert.equal(masked('interrupt: illegal instruction......0'), 'interrupt: illegal instruction......<*>');
});

void test('masks every general class of value, none written for one system', () => {
  // One example per mask, written the way many systems write it; each must be one parameter.
  const examples: Record<string, string[]> = {
    url: ['https://api.example.com/v1/orders?id=7', 'ftp://files.example.org/a'],
    uuid: ['0f8fad5b-d9cb-469f-a165-70867728950e', '0F8FAD5B-D9CB-469F-A165-70867728950E'],
    path: ['/var/lib/app/data.db', 'C:\\Windows\\core.dll', './conf/app.yml', '../x', '~/notes'],
    date: ['2024-05-01T12:00:00.123Z', '2024-05-01 12:00:00+02:00', '2024/05/01', 'Sat Jul  9 12:16:49 2005', 'March 3, 2024', '05/01/24'],
    mac: ['00:1A:2b:3c:4D:5e', '00-1a-2b-3c-4d-5e'],
    ipv4: ['10.0.0.12', '10.0.0.12:5432'],
    ipv6: ['fe80::1ff:fe23:4567:890a', '::1', '2001:db8:0:0:0:0:2:1', 'fe80::1%eth0'],
    hostPort: ['db.internal:5432', 'cache-2:6379', 'proxy.example.com:8080'],
    time: ['12:01', '12:01:02', '12:01:02.345'],
    hex: ['0xdeadbeef', '0X1F', 'deadbeefcafebabe'],
    quantity: ['12ms', '3.5 s', '<1 sec', '4KB', '18.4 KB', '1.2 GiB', '91%', '2048 bytes'],
    number: ['7', '-12.5', '+3', '1e-3', '1.2.3'],
  };
  for (const { name } of MASKS) {
    const cases = examples[name];
    assert.ok(cases && cases.length > 0, `mask ${name} has examples`);
    for (const value of cases) {
      assert.equal(isParameter(value), true, `${name}: ${value}`);
      assert.equal(masked(`before ${value} after`), 'before <*> after', `${name} in a message: ${value}`);
    }
  }
});

void test('masks mixed ids carrying a digit, and keeps words as constants', () => {
  for (const id of ['ord_8f3k2', 'blk_-1608999687919862906', 'core.4900', 'node12', 'en0', 'IPv6', 'attempt_1445_0020_m_000009_0'])
    assert.equal(isParameter(id), true, id);
  for (const word of ['hello', 'NameSystem.delete', 'ERROR', 'decode', 'march', 'facade', 'a::b', '::']) assert.equal(isParameter(word), false, word);
  // Month and weekday names are dates only when a day follows them.
  assert.equal(masked('decode 5 frames in march'), 'decode <*> frames in march');
});

void test('key=value: the key stays, the value is masked, quoted values whole', () => {
  assert.equal(masked('retry=3 timeout=30s user="John Smith" mode=fast'), 'retry=<*> timeout=<*> user=<*> mode=fast');
  assert.equal(masked('reason: "disk full" code: 28'), 'reason: "disk full" code: <*>');
});

void test('a value ends before the punctuation that ends a sentence or a clause', () => {
  assert.equal(masked('Error loading /p/gb1/x: invalid'), 'Error loading <*>: invalid');
  assert.equal(masked('listening on 10.0.0.1:80.'), 'listening on <*>.');
  assert.equal(masked('retrying... attempt 3'), 'retrying... attempt <*>');
  assert.equal(masked('instruction......0'), 'instruction......<*>');
});

void test('strings cut mid-emoji and invalid UTF-8 tokenise without loss', () => {
  const emoji = 'upload of 😀😀 failed for 42';
  const cut = emoji.slice(0, emoji.indexOf('😀') + 1); // ends in a lone high surrogate
  const t = tokenizeMessage(cut);
  assert.equal(t.raw.join(' '), 'upload of \ud83d');
  assert.equal(masked(`${cut} for 42`), 'upload of \ud83d for <*>');
  // Invalid bytes decode to U+FFFD; the text around them is mined as usual.
  const decoded = Buffer.from([0x75, 0x73, 0x65, 0x72, 0x20, 0xff, 0xfe, 0x20, 0x69, 0x64, 0x3d, 0x37]).toString('utf8');
  assert.equal(masked(decoded), 'user \ufffd\ufffd id=<*>');
});

void test('very long lines: bounded tokens and work, the tail kept whole as one value', () => {
  for (const unit of ['a:', 'ab ', '1..', 'x-', '"a ']) {
    const line = `head ${unit.repeat(Math.ceil((4 << 20) / unit.length))}`;
    const started = performance.now();
    const t = tokenizeMessage(line, 256);
    const ms = performance.now() - started;
    assert.ok(t.tokens.length <= 256, `${unit}: ${t.tokens.length} tokens`);
    assert.ok(ms < 2000, `${unit}: ${ms.toFixed(0)} ms for 4 MiB`);
    assert.equal(t.tokens.at(-1), WILDCARD);
    // Nothing is lost: the raw pieces hold every non-space character of the line.
    assert.equal(t.raw.join('').replace(/\s/g, '').length, line.replace(/\s/g, '').length);
  }
});

void test('renders templates with the spacing of the message', () => {
  assert.equal(masked('a=1, b=[2]'), 'a=<*>, b=<*>');
});
