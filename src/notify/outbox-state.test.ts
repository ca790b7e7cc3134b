import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldOutboxRecords, type OutboxRecord } from './outbox-state.js';
import { fixtureMessage } from './testing/fixtures.js';

const m = fixtureMessage();
const enq = (id: string, channel = 'a'): OutboxRecord => ({ t: 'enqueued', id, channel, message: m, atMs: 1, attempts: 0, nextAtMs: 1 });
const limits = { deliveredRetention: 100, deadRetention: 100 };

void test('folds the journal into pending, delivered and dead, keeping attempts and next retry time', () => {
  const folded = foldOutboxRecords(
    [
      enq('p'),
      { t: 'attempted', id: 'p', attempt: 2, atMs: 5, error: 'HTTP 503', nextAtMs: 99 },
      enq('d'),
      { t: 'delivered', id: 'd', atMs: 7, attempts: 1 },
      enq('x'),
      { t: 'dead', id: 'x', atMs: 8, attempts: 3, error: 'HTTP 400' },
    ],
    limits,
  );
  assert.deepEqual(
    folded.pending.map((p) => [p.id, p.attempts, p.nextAtMs]),
    [['p', 2, 99]],
  );
  assert.deepEqual([...folded.delivered], [['d', 7]]);
  assert.deepEqual(
    folded.dead.map((d) => [d.id, d.error, d.message.idempotencyKey]),
    [['x', 'HTTP 400', m.idempotencyKey]],
  );
});

void test('compaction is a fixed point: folding the compacted journal gives the same state', () => {
  const first = foldOutboxRecords(
    [enq('p'), enq('d'), { t: 'delivered', id: 'd', atMs: 7, attempts: 1 }, enq('x'), { t: 'dead', id: 'x', atMs: 8, attempts: 3, error: 'e' }],
    limits,
  );
  const second = foldOutboxRecords(first.compacted, limits);
  assert.deepEqual(second.pending, first.pending);
  assert.deepEqual([...second.delivered], [...first.delivered]);
  assert.deepEqual(second.dead, first.dead);
  assert.equal(first.compacted.length, 4);
});

void test('retention keeps the most recent delivered ids and dead letters', () => {
  const records: OutboxRecord[] = [];
  for (let i = 0; i < 10; i++) records.push(enq(`d${i}`), { t: 'delivered', id: `d${i}`, atMs: i, attempts: 1 });
  const folded = foldOutboxRecords(records, { deliveredRetention: 3, deadRetention: 1 });
  assert.deepEqual([...folded.delivered.keys()], ['d7', 'd8', 'd9']);
});

void test('a redelivered dead letter is pending again', () => {
  const folded = foldOutboxRecords([enq('x'), { t: 'dead', id: 'x', atMs: 8, attempts: 3, error: 'e' }, enq('x')], limits);
  assert.deepEqual(
    folded.pending.map((p) => p.id),
    ['x'],
  );
  assert.deepEqual(folded.dead, []);
});
