// Which open incidents are ranked again at a clock advance: only on new evidence (a signal fired,
// a sub-threshold move new or stronger), only those whose ranking window it falls in, never one
// already ranked in that advance; a move merely seen again is not news.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ElevatedShift, Signal } from '../model/index.js';
import { RankRefresh, rankIncident } from './rankRefresh.js';
import { declaredGraph } from './graph/declaredGraph.js';
import { makeElevatedShift, makeSignal } from './testing/signals.js';

const T = 1_764_000_000_000;
const MIN = 60_000;

/** A sub-threshold latency move of `service` begun at `atMs`, last seen at `lastSeenMs`, at `score` and robust z `z`. */
const move = (service: string, atMs: number, lastSeenMs: number, score: number, z: number): ElevatedShift =>
  makeElevatedShift(service, z, atMs, lastSeenMs, score);

const open = [
  { id: 'old', startedAtMs: T - 3 * 60 * MIN },
  { id: 'recent', startedAtMs: T },
];
const ids = (list: ReadonlyArray<{ id: string }>): string[] => list.map((i) => i.id);

void test('no new evidence: no incident is ranked again, and the open incidents are not even read', () => {
  const refresh = new RankRefresh();
  const first = [move('payment', T + MIN, T + 2 * MIN, 0.5, 4)];
  assert.deepEqual(ids(refresh.due([], first, T + 2 * MIN, () => open, new Set())), ['old', 'recent'], 'a new move is news');
  let read = 0;
  const reading = (): typeof open => (read++, open);
  // The same move seen again later (only lastSeenMs moves): not news.
  assert.deepEqual(refresh.due([], [move('payment', T + MIN, T + 3 * MIN, 0.5, 4)], T + 3 * MIN, reading, new Set()), []);
  assert.deepEqual(refresh.due([], [move('payment', T + MIN, T + 4 * MIN, 0.5, 4)], T + 4 * MIN, reading, new Set()), []);
  // A recovered signal is no new evidence either.
  const recovered = { ...makeSignal('latency', { service: 'cart' }, T + MIN), status: 'recovered' as const, endedAtMs: T + 4 * MIN };
  assert.deepEqual(refresh.due([recovered], [], T + 4 * MIN, reading, new Set()), []);
  assert.equal(read, 0, 'the open incidents are read only on new evidence');
});

void test('a stronger point or an earlier onset of a known move is news; a weaker one is not', () => {
  const refresh = new RankRefresh();
  refresh.due([], [move('payment', T + MIN, T + 2 * MIN, 0.5, 4)], T + 2 * MIN, () => open, new Set());
  const at = (e: ElevatedShift): string[] => ids(refresh.due([], [e], e.lastSeenMs, () => open, new Set()));
  assert.deepEqual(at(move('payment', T + MIN, T + 3 * MIN, 0.6, 5)), ['old', 'recent'], 'a higher score');
  assert.deepEqual(at(move('payment', T + MIN, T + 4 * MIN, 0.6, 7)), ['old', 'recent'], 'the same score at a larger z');
  assert.deepEqual(at(move('payment', T + MIN, T + 5 * MIN, 0.6, 6)), [], 'the same score at a smaller z');
  assert.deepEqual(at(move('payment', T + MIN, T + 6 * MIN, 0.6, 7)), [], 'back to the strongest already seen');
  assert.deepEqual(at(move('payment', T + 30_000, T + 7 * MIN, 0.6, 7)), ['old', 'recent'], 'an earlier onset');
});

void test("a move that came back is news even when weaker than the key's earlier episode, which stays known", () => {
  const refresh = new RankRefresh();
  const first = move('payment', T - 50 * MIN, T - 40 * MIN, 0.6, 7);
  refresh.due([], [first], T - 40 * MIN, () => open, new Set());
  const returned = move('payment', T + MIN, T + 2 * MIN, 0.5, 4);
  assert.deepEqual(ids(refresh.due([], [first, returned], T + 2 * MIN, () => open, new Set())), ['old', 'recent']);
  assert.deepEqual(
    refresh.due([], [first, { ...returned, lastSeenMs: T + 3 * MIN }], T + 3 * MIN, () => open, new Set()),
    [],
    'both seen again: not news',
  );
});

void test('only incidents whose ranking window the evidence falls in, and none ranked already in this advance', () => {
  const refresh = new RankRefresh();
  const nowMs = T + 10 * MIN;
  const fired = [makeSignal('latency', { service: 'payment' }, T + 9 * MIN)];
  assert.deepEqual(ids(refresh.due(fired, [], nowMs, () => open, new Set())), ['old', 'recent'], 'a page now is in both incidents’ minutes');
  assert.deepEqual(ids(refresh.due(fired, [], nowMs, () => open, new Set(['recent']))), ['old']);
  // A move begun 2 h ago and seen only until an hour ago: before the recent incident's "before" window, after the old one's onset.
  const stale = move('cart', T - 2 * 60 * MIN, T - 60 * MIN, 0.5, 4);
  assert.deepEqual(ids(refresh.due([], [stale], nowMs, () => open, new Set())), ['old']);
  // Begun 20 min before the recent onset and still seen: in its "before" window (the comparison's bound is 31 min).
  assert.deepEqual(ids(refresh.due([], [move('search', T - 20 * MIN, nowMs, 0.5, 4)], nowMs, () => open, new Set())), ['old', 'recent']);
});

void test("rankIncident reads another incident's page with the incidents' own correlation window, when one is configured", () => {
  const page = (service: string, z: number, atMs: number): Signal =>
    makeSignal('metric-anomaly', { service, metric: 'latency' }, atMs, { summary: `${service} latency up`, evidence: { robustZ: z } });
  const incident = { signals: [page('payments', 20, T)], startedAtMs: T };
  const evidence = { recentSignals: [page('remote', 12, T - 10 * MIN)], elevated: [], changes: [], graph: declaredGraph([['payments', 'remote']]) };
  const ranked = (correlationWindowMs?: number): string[] =>
    rankIncident(incident, { ...evidence, ...(correlationWindowMs ? { options: { correlationWindowMs } } : {}) }, T + 5 * MIN).map((c) => c.service);
  // Paged 10 min before the onset: the same episode under the default 15 min, another under a 5 min window.
  assert.deepEqual(ranked(), ['remote', 'payments']);
  assert.deepEqual(ranked(5 * MIN), ['payments']);
});
