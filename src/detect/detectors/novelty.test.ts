import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultDetectionConfig } from '../config.js';
import type { DetectorContext } from '../detector.js';
import { gateNovelty, type NoveltyState } from './novelty.js';

const T = 1_793_620_800_000;
const BUCKET = defaultDetectionConfig.bucketMs;

type Ev = { service: string; timeMs: number };

function ctxAt(nowMs: number, changed: (service: string) => boolean): DetectorContext {
  return { nowMs, config: defaultDetectionConfig, changedRecently: changed } as unknown as DetectorContext;
}

test('a novelty whose service just changed is marked release-linked once it recurs', () => {
  const state: NoveltyState<Ev> = { candidates: {} };
  const changed = (s: string): boolean => s === 'cart';
  assert.deepEqual(
    gateNovelty(ctxAt(T, changed), state, [{ key: 'cart|a', event: { service: 'cart', timeMs: T - 5000 } }], () => 1),
    [],
  );
  assert.equal(state.candidates['cart|a']?.releaseLinked, true);
  assert.deepEqual(
    gateNovelty(ctxAt(T + BUCKET, changed), state, [], () => 2),
    [],
  );
  const out = gateNovelty(ctxAt(T + 2 * BUCKET, changed), state, [], () => 2);
  assert.deepEqual(
    out.map((v) => [v.key, v.releaseLinked, v.count]),
    [['cart|a', true, 5]],
  );
  assert.deepEqual(state.candidates, {});
});

test('a one-off novelty with no change behind it is held and forgotten after the window', () => {
  const state: NoveltyState<Ev> = { candidates: {} };
  const never = (): boolean => false;
  assert.deepEqual(
    gateNovelty(ctxAt(T, never), state, [{ key: 'cart|b', event: { service: 'cart', timeMs: T - 5000 } }], () => 1),
    [],
  );
  assert.ok(state.candidates['cart|b']);
  let t = T;
  // One more occurrence, then silence past the recurrence window: never signalled.
  t += BUCKET;
  assert.deepEqual(
    gateNovelty(ctxAt(t, never), state, [], () => 1),
    [],
  );
  for (; t <= T + defaultDetectionConfig.logs.recurWindowMs + 2 * BUCKET; t += BUCKET)
    assert.deepEqual(
      gateNovelty(ctxAt(t, never), state, [], () => 0),
      [],
    );
  assert.deepEqual(state.candidates, {});
});

test('a novelty that recurs is signalled once it reaches the count, with the total', () => {
  const state: NoveltyState<Ev> = { candidates: {} };
  const never = (): boolean => false;
  const first = { key: 'pay|c', event: { service: 'pay', timeMs: T - 3000 } };
  assert.deepEqual(
    gateNovelty(ctxAt(T, never), state, [first], () => 2),
    [],
  );
  assert.deepEqual(
    gateNovelty(ctxAt(T + BUCKET, never), state, [], () => 2),
    [],
  );
  const out = gateNovelty(ctxAt(T + 2 * BUCKET, never), state, [], () => 1);
  assert.deepEqual(
    out.map((v) => [v.key, v.releaseLinked, v.count, v.event.timeMs]),
    [['pay|c', false, 5, T - 3000]],
  );
  assert.deepEqual(state.candidates, {});
});

test('a burst in its first bucket is signalled at once', () => {
  const state: NoveltyState<Ev> = { candidates: {} };
  const out = gateNovelty(
    ctxAt(T, () => false),
    state,
    [{ key: 'pay|d', event: { service: 'pay', timeMs: T - 1000 } }],
    () => 7,
  );
  assert.deepEqual(
    out.map((v) => [v.key, v.count]),
    [['pay|d', 7]],
  );
});
