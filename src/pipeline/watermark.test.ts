// The event-clock watermark follows the data but not a record with a broken clock: one span ten
// years ahead, alone or among normal ones, moves it for nobody; a replay resuming after a gap does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventWatermark, leapConfirmations, maxLeadMs } from './watermark.js';

const T0 = Date.UTC(2026, 2, 1, 8);
const MIN = 60_000;
const FAR = T0 + 10 * 365 * 86_400_000;
const batch = (from: number, n = 20): number[] => Array.from({ length: n }, (_v, i) => from + i * 1000);

test('follows the newest event time of ordinary batches', () => {
  const w = new EventWatermark();
  assert.equal(w.observe(batch(T0)), T0 + 19_000);
  assert.equal(w.observe(batch(T0 + MIN)), T0 + MIN + 19_000);
  assert.equal(w.observe([]), T0 + MIN + 19_000);
  assert.equal(w.observe(batch(T0 - MIN)), T0 + MIN + 19_000, 'late data never moves it back');
});

test('one far-future span, in a batch of normal ones or alone in its own, moves it for nobody', () => {
  const w = new EventWatermark();
  w.observe(batch(T0));
  assert.equal(w.observe([...batch(T0 + MIN), FAR]), T0 + MIN + 19_000);
  assert.equal(w.observe([FAR]), T0 + MIN + 19_000);
  assert.equal(w.observe(batch(T0 + 2 * MIN)), T0 + 2 * MIN + 19_000);
  // The same broken client in every batch, mixed with the others' spans, never gets a leap either.
  for (let i = 3; i < 10; i++) assert.equal(w.observe([...batch(T0 + i * MIN), FAR, FAR + 1]), T0 + i * MIN + 19_000);
  // Nor does it, sending alone, between others' batches.
  for (let i = 10; i < 20; i++) {
    w.observe([FAR + i]);
    w.observe([FAR + i]);
    assert.equal(w.observe(batch(T0 + i * MIN)), T0 + i * MIN + 19_000);
  }
});

test('the first batch counts its bulk, not an outlier', () => {
  assert.equal(new EventWatermark().observe([...batch(T0), FAR]), T0 + 19_000);
});

test('a replay resuming after a gap moves it once several batches agree, to the earliest of them', () => {
  const w = new EventWatermark();
  w.observe(batch(T0));
  const after = T0 + 6 * 60 * MIN;
  for (let i = 0; i < leapConfirmations - 1; i++) assert.equal(w.observe(batch(after + i * MIN)), T0 + 19_000, 'not yet');
  assert.equal(w.observe(batch(after + (leapConfirmations - 1) * MIN)), after + 19_000);
  assert.equal(w.observe(batch(after + leapConfirmations * MIN)), after + leapConfirmations * MIN + 19_000, 'and follows it from there');
  // Steps within the lead never wait.
  assert.equal(w.observe(batch(after + leapConfirmations * MIN + maxLeadMs - 30_000)), after + leapConfirmations * MIN + maxLeadMs - 11_000);
});
