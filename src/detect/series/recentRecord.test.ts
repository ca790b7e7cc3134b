// Behaviour of the recent record that calibrates each detector: it forgets by time and by count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecentRecord } from './recentRecord.js';

const HOUR = 3_600_000;

void test('the record is the largest value within the horizon, and older ones expire', () => {
  const r = RecentRecord.empty(24 * HOUR, 1000);
  r.push(0, 9);
  r.push(1 * HOUR, 3);
  r.push(2 * HOUR, 5);
  assert.equal(r.record(3 * HOUR), 9);
  assert.equal(r.record(24 * HOUR + 30 * 60_000), 5, 'the 9 is more than a day old');
  assert.equal(r.record(27 * HOUR), undefined);
});

void test('the record also expires after maxPoints pushes on a fast series', () => {
  const r = RecentRecord.empty(24 * HOUR, 3);
  [7, 1, 2, 3].forEach((v, i) => r.push(i, v));
  assert.equal(r.record(4), 3);
});

void test('a JSON round trip keeps the record and its expiry', () => {
  const r = RecentRecord.empty(10, 100);
  [4, 8, 6].forEach((v, i) => r.push(i, v));
  const copy = RecentRecord.restore(JSON.parse(JSON.stringify(r.snapshot())) as ReturnType<RecentRecord['snapshot']>);
  assert.equal(copy.record(5), 8);
  assert.equal(copy.record(12), 6);
  assert.equal(copy.seen, 3);
});
