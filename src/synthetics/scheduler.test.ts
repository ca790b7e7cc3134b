// The scheduler spreads first runs over the interval, keeps later runs on plan, never has more
// than `concurrency` runs in flight (heavy browser runs fewer, without holding up the rest),
// retries a failure within 5 s, and runs a smoke check on demand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CheckScheduler } from './scheduler.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('first runs are spread over the interval and later runs keep to the plan', async () => {
  const starts = new Map<string, number[]>();
  const t0 = Date.now();
  let k = 0;
  const s = new CheckScheduler({
    concurrency: 100,
    now: Date.now,
    random: () => (k++ % 4) / 4,
    run: (name) => {
      starts.set(name, [...(starts.get(name) ?? []), Date.now() - t0]);
      return Promise.resolve();
    },
  });
  // Timers on a busy CI machine fire late by tens of ms: the margins below allow for that.
  for (const n of ['a', 'b', 'c', 'd']) s.schedule(n, 1000);
  await sleep(2600);
  s.stop();
  const firsts = ['a', 'b', 'c', 'd'].map((n) => starts.get(n)![0]!);
  assert.deepEqual(
    [...firsts].sort((x, y) => x - y),
    firsts,
    `in plan order: ${firsts.join(', ')}`,
  );
  assert.ok(firsts[0]! < 200 && firsts[3]! >= 700, `spread over the interval: ${firsts.join(', ')}`);
  ['a', 'b', 'c', 'd'].forEach((n, j) => {
    const t = starts.get(n)!;
    assert.ok(t.length >= 2, `${n} ran ${t.length} times`);
    // From the plan (first due at j/4 of the interval, then every interval), not from the previous
    // start: a first run a busy machine fired late does not shift the later ones.
    for (let i = 1; i < t.length; i++) assert.ok(Math.abs(t[i]! - (250 * j + 1000 * i)) < 200, `${n} kept its plan: ${t.join(', ')}`);
  });
});

test('never more than the concurrency cap in flight', async () => {
  let inFlight = 0;
  let peak = 0;
  let done = 0;
  const s = new CheckScheduler({
    concurrency: 3,
    now: Date.now,
    random: () => 0,
    run: async () => {
      peak = Math.max(peak, ++inFlight);
      await sleep(50);
      inFlight--;
      done++;
    },
  });
  for (let i = 0; i < 12; i++) s.schedule(`c${i}`, 10_000);
  await sleep(400);
  s.stop();
  assert.equal(peak, 3);
  assert.equal(done, 12, 'the waiting runs all ran');
});

test('heavy runs (browsers) keep to their own cap, and light runs due meanwhile go past them', async () => {
  const started: string[] = [];
  let heavyNow = 0;
  let heavyPeak = 0;
  const s = new CheckScheduler({
    concurrency: 4,
    now: Date.now,
    random: () => 0,
    heavy: { concurrency: 1, is: (n) => n.startsWith('browser') },
    run: async (n) => {
      started.push(n);
      const heavy = n.startsWith('browser');
      if (heavy) heavyPeak = Math.max(heavyPeak, ++heavyNow);
      await sleep(60);
      if (heavy) heavyNow--;
    },
  });
  for (const n of ['browser-a', 'browser-b', 'browser-c', 'http-a', 'http-b']) s.schedule(n, 60_000);
  await sleep(20);
  assert.deepEqual(started, ['browser-a', 'http-a', 'http-b'], 'one browser at a time; the http checks did not wait behind the browsers');
  await sleep(400);
  s.stop();
  assert.equal(heavyPeak, 1);
  assert.deepEqual(started.slice(3), ['browser-b', 'browser-c'], 'the waiting browsers all ran, in plan order');
});

test('a failed run is tried again within 5 s, not after its interval', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const runs: number[] = [];
  const s = new CheckScheduler({ concurrency: 4, now: Date.now, random: () => 0, run: () => (runs.push(Date.now()), Promise.resolve()) });
  const t0 = Date.now();
  s.schedule('minutely', 60_000);
  t.mock.timers.tick(0);
  assert.deepEqual(runs, [t0], 'the first run, due at once');
  s.retrySoon('minutely');
  t.mock.timers.tick(4_999);
  assert.equal(runs.length, 1, 'not before the retry delay');
  t.mock.timers.tick(1);
  assert.deepEqual(runs, [t0, t0 + 5_000], 'retried 5 s after, 55 s before its plan');
  s.retrySoon('unknown');
  s.stop();
});

test('runNow runs a check outside its schedule', async () => {
  const runs: string[] = [];
  const s = new CheckScheduler({ concurrency: 4, now: Date.now, random: () => 0.99, run: (n) => (runs.push(n), Promise.resolve()) });
  s.schedule('hourly', 3_600_000);
  s.runNow('hourly');
  await sleep(20);
  assert.deepEqual(runs, ['hourly']);
  s.schedule('minutely', 60_000, 0);
  await sleep(20);
  assert.equal(runs.filter((r) => r === 'minutely').length, 1);
  s.stop();
});
