// Masking and tokenisation: what becomes a parameter, and values written in several pieces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WILDCARD, isParameter, renderTokens, tokenizeMessage } from './tokenize.js';

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

void test('keeps names with one trailing digit (interfaces, protocols) as constants', () => {
  assert.equal(isParameter('en0'), false);
  assert.equal(isParameter('IPv6'), false);
  assert.equal(isParameter('node12'), true);
  assert.equal(isParameter('7'), true);
  assert.equal(isParameter('hello'), false);
});

void test('renders templates with the spacing of the message', () => {
  assert.equal(masked('a=1, b=[2]'), 'a=<*>, b=<*>');
});
