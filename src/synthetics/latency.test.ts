// Latency regression of a check against its own baseline: a lasting slow-down fires once (naming
// the step that slowed), a single slow run, noisy but steady runs, a too-short history and small
// absolute changes do not, and the usual duration coming back recovers the signal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IncidentEngine } from '../incidents/index.js';
import type { Signal } from '../model/index.js';
import { seededRandom } from '../random/index.js';
import { initialLatencyState, latencyPolicy, latencyStateFromHistory, observeRunLatency, slowThreshold, type LatencyState } from './latency.js';
import type { RunResult } from './result.js';
import { checkSchema } from './schema.js';

const check = checkSchema.parse({
  name: 'checkout',
  kind: 'journey',
  service: 'shop',
  steps: [
    { name: 'login', url: 'https://shop.example/login' },
    { name: 'pay', url: 'https://shop.example/pay' },
  ],
});
const MIN = 60_000;

/** One passing run at minute `i` with the given step durations. */
const run = (i: number, login: number, pay: number, ok = true): RunResult => ({
  name: 'checkout',
  kind: 'journey',
  atMs: i * MIN,
  ok,
  durationMs: login + pay,
  steps: [
    { name: 'login', ok: true, durationMs: login, assertions: [] },
    { name: 'pay', ok, durationMs: pay, assertions: [] },
  ],
  details: {},
});

/** Feeds runs in order; returns every signal emitted and the final state. */
function feed(runs: RunResult[], state: LatencyState = initialLatencyState()): { signals: Signal[]; state: LatencyState } {
  const signals: Signal[] = [];
  for (const r of runs) {
    const d = observeRunLatency(check, state, r, r.atMs + 1_000);
    state = d.state;
    if (d.signal) signals.push(d.signal);
  }
  return { signals, state };
}

/** Steady runs with ±15% noise: login ~120 ms, pay ~300 ms. */
function steady(from: number, count: number, seed: number): RunResult[] {
  const random = seededRandom(seed);
  const jitter = (ms: number) => ms * (0.85 + 0.3 * random());
  return Array.from({ length: count }, (_, k) => run(from + k, jitter(120), jitter(300)));
}

test('a lasting slow-down of one step fires one synthetic-latency signal naming the step', () => {
  const base = steady(0, 20, 1);
  const slow = [20, 21, 22, 23, 24].map((i) => run(i, 120, 1_200));
  const { signals } = feed([...base, ...slow]);
  assert.equal(signals.length, 1, 'one signal for the episode');
  const s = signals[0]!;
  assert.equal(s.kind, 'synthetic-latency');
  assert.equal(s.status, 'firing');
  assert.deepEqual(s.subject, { service: 'shop', route: 'checkout' });
  assert.equal(s.startedAtMs, 20 * MIN + 1_000, 'the onset is the first slow run');
  assert.equal(s.detectedAtMs, 22 * MIN + 1_000, `fired on the ${latencyPolicy.confirmRuns}rd slow run`);
  assert.equal(s.evidence.slowest, 'step "pay"');
  assert.equal(s.observed, 1_200);
  assert.ok(s.baseline > 250 && s.baseline < 350, `baseline ${s.baseline}`);
  assert.match(s.summary, /step "pay" takes 1200 ms, usually \d+ ms/);
});

test('a single slow run, even a very slow one, is not a regression', () => {
  const series = [...steady(0, 20, 2), run(20, 120, 5_000), ...steady(21, 20, 3)];
  assert.deepEqual(feed(series).signals, []);
  // Two slow runs separated by a normal one neither.
  const twice = [...steady(0, 20, 4), run(20, 120, 3_000), run(21, 120, 3_000), ...steady(22, 1, 5), run(23, 120, 3_000)];
  assert.deepEqual(feed(twice).signals, []);
});

test('noisy but steady runs never fire (1,000 runs of ±15% noise and a heavy tail)', () => {
  const random = seededRandom(42);
  const runs = Array.from({ length: 1_000 }, (_, i) => {
    // One run in 20 is 1.6× (a cold cache): frequent, but never three in a row by construction.
    const tail = i % 20 === 0 ? 1.6 : 1;
    return run(i, 120 * (0.85 + 0.3 * random()), 300 * tail * (0.85 + 0.3 * random()));
  });
  assert.deepEqual(feed(runs).signals, []);
});

test('no judgement before the baseline has enough runs', () => {
  // Runs before the baseline is long enough are not judged (they join it): 6 normal + 3 slow = 9.
  const first = latencyPolicy.minRuns - 1 - latencyPolicy.confirmRuns;
  const short = [...steady(0, first, 6), ...[0, 1, 2].map((k) => run(first + k, 120, 3_000))];
  assert.deepEqual(feed(short).signals, []);
  assert.equal(slowThreshold([1, 2, 3]), undefined);
});

test('a tiny absolute change on a fast check is not a regression, even at 3×', () => {
  // 20 ms → 60 ms is 3× but 40 ms: below the minimum effect users would notice.
  const fast = Array.from({ length: 30 }, (_, i) => run(i, 10, i < 20 ? 10 : 50));
  assert.deepEqual(feed(fast).signals, []);
});

test('failed runs are left to the failure signal: they neither fire nor move the baseline', () => {
  const series = [...steady(0, 20, 7), ...[20, 21, 22, 23].map((i) => run(i, 120, 9_000, false))];
  const { signals, state } = feed(series);
  assert.deepEqual(signals, []);
  assert.equal(state.series['step pay']!.normal.length, 20);
});

test('the usual duration coming back recovers the signal after as many normal runs', () => {
  const slow = [20, 21, 22, 23].map((i) => run(i, 120, 1_500));
  const { signals } = feed([...steady(0, 20, 8), ...slow, ...steady(24, 5, 9)]);
  assert.deepEqual(
    signals.map((s) => [s.status, s.detectedAtMs ?? 0, s.endedAtMs ?? 0]),
    [
      ['firing', 22 * MIN + 1_000, 0],
      ['recovered', 22 * MIN + 1_000, 26 * MIN + 1_000],
    ],
  );
  assert.equal(signals[1]!.id, signals[0]!.id, 'the recovery closes the same occurrence');
});

test('a latency regression opens an incident for its service, and an error signal of that service joins it', () => {
  const { signals } = feed([...steady(0, 20, 10), ...[20, 21, 22].map((i) => run(i, 120, 2_000))]);
  const slow = signals[0]!;
  const engine = new IncidentEngine();
  const topology = { neighbours: (): string[] => [], isEntry: (s: string): boolean => s === 'shop' };
  engine.onSignals([slow], slow.detectedAtMs, topology);
  const errors: Signal = {
    ...slow,
    id: 'error-rate:shop@1',
    key: 'error-rate:shop:/pay',
    kind: 'error-rate',
    subject: { service: 'shop', route: '/pay' },
    unit: 'ratio',
    observed: 0.2,
    baseline: 0.01,
    summary: 'errors on /pay',
    evidence: {},
  };
  engine.onSignals([errors], slow.detectedAtMs + MIN, topology);
  const incidents = engine.list({ status: 'all' });
  assert.equal(incidents.length, 1, incidents.map((i) => i.title).join(' | '));
  assert.deepEqual(incidents[0]!.services, ['shop']);
  assert.deepEqual(incidents[0]!.signals.map((s) => s.kind).sort(), ['error-rate', 'synthetic-latency']);
});

test("a browser run's total (Chromium's start on Vigil's machine) is not judged, its steps are", () => {
  const browser = (i: number, launch: number, page: number): RunResult => ({ ...run(i, 100, page), kind: 'browser', durationMs: launch + 100 + page });
  const slowLaunch = [...Array.from({ length: 20 }, (_, i) => browser(i, 800, 300)), ...[20, 21, 22, 23].map((i) => browser(i, 6_000, 300))];
  assert.deepEqual(feed(slowLaunch).signals, []);
  const slowPage = [...Array.from({ length: 20 }, (_, i) => browser(i, 800, 300)), ...[20, 21, 22].map((i) => browser(i, 800, 1_500))];
  assert.equal(feed(slowPage).signals[0]?.evidence.slowest, 'step "pay"');
});

test('after a restart the stored runs are the baseline: a slow-down is judged at once, an old suspicion is not carried over', () => {
  // Stored newest first, as the store lists them; the steps come back as parsed JSON.
  const stored = [...steady(0, 20, 11), run(20, 120, 4_000), run(21, 120, 4_000), run(22, 120, 9_000, false)].reverse();
  const state = latencyStateFromHistory(stored);
  assert.equal(state.series['step pay']!.normal.length, 20, 'the slow and the failed runs are not in the baseline');
  assert.equal(state.series['step pay']!.slow.length, 0, 'a suspicion starts afresh');
  const { signals } = feed(
    [30, 31, 32].map((i) => run(i, 120, 2_000)),
    state,
  );
  assert.equal(signals.length, 1, 'three slow live runs fire without waiting for a new baseline');
  assert.deepEqual(latencyStateFromHistory([]), initialLatencyState());
});

test('a regression confirmed before a restart stands after it: still slow is not signalled twice, back to usual recovers it', () => {
  const stored = [...steady(0, 20, 11), ...[20, 21, 22].map((i) => run(i, 120, 2_000))].reverse();
  const state = latencyStateFromHistory(stored, check);
  assert.equal(state.signal?.kind, 'synthetic-latency');
  assert.equal(state.signal?.key, 'synthetic-latency:checkout');
  assert.equal(feed([run(30, 120, 2_000)], state).signals.length, 0, 'still slow: the signal from before the restart stands');
  const back = feed(
    [31, 32, 33].map((i) => run(i, 120, 400)),
    state,
  );
  assert.deepEqual(
    back.signals.map((s) => [s.status, s.key]),
    [['recovered', 'synthetic-latency:checkout']],
  );
  assert.equal(latencyStateFromHistory(stored).signal, undefined, 'without the check, baselines only');
});
