// Behaviour of the streaming series scorer: it alerts soon after a real change, stays quiet on
// steady data, never looks ahead, and continues identically after a JSON snapshot round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSeriesScorer, restoreSeriesScorer } from './index.js';
import type { SeriesScorerSnapshot } from './index.js';
import { seededRandom as rng } from '../../random/index.js';

const STEP_MS = 300_000;
const T0 = 1_396_310_400_000;

function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

function noisySeries(n: number, seed: number, level = 100, sd = 5): number[] {
  const g = gaussian(rng(seed));
  return Array.from({ length: n }, () => level + sd * g());
}

function scoreAll(values: readonly number[]): number[] {
  const scorer = createSeriesScorer();
  return values.map((v, i) => scorer.push(T0 + i * STEP_MS, v));
}

const max = (xs: readonly number[]): number => xs.reduce((m, x) => Math.max(m, x), 0);

void test('a step change of the level scores high within a few points', () => {
  const values = noisySeries(3000, 1);
  for (let i = 2000; i < values.length; i++) values[i] = (values[i] as number) + 40;
  const scores = scoreAll(values);
  const before = max(scores.slice(500, 2000));
  const after = max(scores.slice(2000, 2005));
  assert.ok(after >= 0.5, `step scored only ${after}`);
  assert.ok(after > 2 * before, `step ${after} not well above the quiet maximum ${before}`);
});

void test('a constant series scores zero throughout', () => {
  const scores = scoreAll(Array.from({ length: 2000 }, () => 42));
  assert.equal(max(scores), 0);
});

void test('stationary noise stays below the level a step reaches', () => {
  for (const seed of [2, 3, 4]) {
    const scores = scoreAll(noisySeries(4000, seed));
    assert.ok(max(scores.slice(600)) < 0.5, `seed ${seed}: noise scored ${max(scores.slice(600))}`);
  }
});

void test('a spike in a flat series scores high at the spike', () => {
  const values = noisySeries(1500, 5, 50, 1);
  values[1200] = 80;
  const scores = scoreAll(values);
  assert.ok((scores[1200] ?? 0) >= 0.5, `spike scored ${scores[1200]}`);
});

void test('no look-ahead: scores of a prefix do not change when more data follows', () => {
  const values = noisySeries(1500, 6);
  for (let i = 1000; i < 1100; i++) values[i] = (values[i] as number) * 1.5;
  const full = scoreAll(values);
  const prefix = scoreAll(values.slice(0, 1050));
  assert.deepEqual(full.slice(0, 1050), prefix);
});

void test('a JSON snapshot restores a scorer that continues identically', () => {
  const values = noisySeries(3000, 7);
  for (let i = 2500; i < 2600; i++) values[i] = (values[i] as number) - 30;
  const reference = scoreAll(values);
  const first = createSeriesScorer();
  for (let i = 0; i < 1777; i++) first.push(T0 + i * STEP_MS, values[i] as number);
  const snapshot = JSON.parse(JSON.stringify(first.snapshot())) as SeriesScorerSnapshot;
  const second = restoreSeriesScorer(snapshot);
  const continued = values.slice(1777).map((v, k) => second.push(T0 + (1777 + k) * STEP_MS, v));
  assert.deepEqual(continued, reference.slice(1777));
});

void test('a spike that only beats a record set over a week earlier still scores high', () => {
  const day = 86_400_000 / STEP_MS;
  const values = noisySeries(10 * day, 10, 50, 1);
  values[day] = 200;
  values[9 * day] = 120;
  const scores = scoreAll(values);
  assert.ok((scores[9 * day] ?? 0) >= 0.5, `later spike scored ${scores[9 * day]}`);
  assert.equal(max(scores.slice(2 * day)), scores[9 * day], 'nothing after the first spike scores higher');
});

void test('a version-1 snapshot (before records) restores and keeps scoring', () => {
  const values = noisySeries(1200, 11);
  const v2 = createSeriesScorer();
  values.slice(0, 1000).forEach((v, i) => v2.push(T0 + i * STEP_MS, v));
  const current = v2.snapshot();
  const { options } = current;
  const v1 = {
    ...current,
    records: undefined,
    lastReported: undefined,
    version: 1,
    options: { ...options, calibrationWindow: 1500, calibrationQuantile: 1 },
    surprises: options.shiftSpans.concat([0, 0, 0, 0]).map(() => ({ capacity: 1500, values: [0.3, 0.1, 0.2] })),
  };
  const restored = restoreSeriesScorer(v1 as unknown as SeriesScorerSnapshot);
  const scores = values.slice(1000).map((v, k) => restored.push(T0 + (1000 + k) * STEP_MS, v));
  assert.equal(restored.snapshot().version, 3);
  for (const s of scores) assert.ok(s >= 0 && s <= 1);
  assert.ok(max(scores) > 0, 'records of 0.3 are beaten by ordinary noise, so the scorer is live');
});

void test('memory stays bounded: the snapshot of a long run is no larger than of a medium one', () => {
  const scorer = createSeriesScorer();
  const values = noisySeries(30_000, 8);
  let mediumSize = 0;
  values.forEach((v, i) => {
    scorer.push(T0 + i * STEP_MS, v);
    if (i === 10_000) mediumSize = JSON.stringify(scorer.snapshot()).length;
  });
  const longSize = JSON.stringify(scorer.snapshot()).length;
  assert.ok(longSize <= mediumSize * 1.1, `snapshot grew from ${mediumSize} to ${longSize} bytes`);
});

void test('scores are always within [0,1], including on extreme values', () => {
  const values = noisySeries(1200, 9);
  values[900] = 1e300;
  values[901] = -1e300;
  values[950] = 0;
  for (const s of scoreAll(values)) assert.ok(s >= 0 && s <= 1, `score ${s} out of range`);
});

void test('a version-2 snapshot (before quantiles and shapes) restores and keeps scoring', () => {
  const values = noisySeries(1500, 12);
  for (let i = 1300; i < values.length; i++) values[i] = (values[i] as number) + 40;
  const scorer = createSeriesScorer();
  values.slice(0, 1000).forEach((v, i) => scorer.push(T0 + i * STEP_MS, v));
  const { quantileShifts, shapes, records, options, ...rest } = scorer.snapshot();
  const { quantileSpan, quantileLevels, shapeWindow, shapeBins, shapeCapacity, shapeVigilance, shapeWarmup, ...v2Options } = options;
  void [quantileShifts, shapes, quantileSpan, shapeWindow, shapeBins, shapeCapacity, shapeVigilance, shapeWarmup];
  const v2 = { ...rest, version: 2, options: v2Options, records: records.slice(0, records.length - quantileLevels.length) };
  const restored = restoreSeriesScorer(JSON.parse(JSON.stringify(v2)) as SeriesScorerSnapshot);
  const scores = values.slice(1000).map((v, k) => restored.push(T0 + (1000 + k) * STEP_MS, v));
  const upgraded = restored.snapshot();
  assert.equal(upgraded.version, 3);
  assert.equal(upgraded.records.length, records.length);
  assert.ok(max(scores.slice(300, 305)) >= 0.5, 'the step after the upgrade is still caught');
});

void test('spikes of the usual height that suddenly come denser score high', () => {
  // An idle counter that reads exactly zero between its bursts, as the usual spikes set every record.
  const values = Array.from({ length: 4000 }, () => 0);
  for (let i = 0; i < values.length; i += 100) {
    values[i] = 20;
    values[i + 6] = 20;
  }
  for (const i of [2005, 2010, 2015]) values[i] = 20;
  const scores = scoreAll(values);
  const during = max(scores.slice(2005, 2030));
  assert.ok(during >= 0.5, `denser spikes scored only ${during}`);
  assert.ok(during > 2 * max(scores.slice(1000, 2000)), 'well above the usual spikes');
});

void test('a modest plateau soon after much larger spikes still scores high', () => {
  const values = noisySeries(4000, 14, 10, 2).map((v) => Math.max(0, Math.round(v)));
  for (const i of [1500, 2200, 2900]) values[i] = 300;
  for (let i = 3000; i < 3200; i++) values[i] = (values[i] as number) + 15;
  const scores = scoreAll(values);
  const plateau = max(scores.slice(3000, 3060));
  assert.ok(plateau >= 0.5, `plateau scored only ${plateau}`);
});

/** A KPI with a daily cycle (100–300) and 5% noise every 5 minutes, at 25% of itself from `dropAt` on. */
function droppingKpi(points: number, dropAt: number, seed: number): number[] {
  const g = gaussian(rng(seed));
  return Array.from({ length: points }, (_, i) => {
    const usual = 200 * (1 + 0.5 * Math.sin((2 * Math.PI * i * STEP_MS) / 86_400_000));
    return usual * (1 + 0.05 * g()) * (i >= dropAt ? 0.25 : 1);
  });
}

void test('a KPI that drops by 75% in busy hours scores at least 0.9 (the alarm) within 3 points, and the lasting new level is absorbed', () => {
  const day = 86_400_000 / STEP_MS;
  // Busy hours of the cycle (T0 is midnight: the peak is at 06:00, the trough at 18:00).
  for (const [hour, seed] of [
    [4, 21],
    [7, 22],
    [10, 23],
  ] as const) {
    const dropAt = 8 * day + hour * 12;
    const scores = scoreAll(droppingKpi(dropAt + 2 * day, dropAt, seed));
    const quiet = max(scores.slice(day, dropAt));
    assert.ok(quiet < 0.9, `drop at ${hour}:00: noise before it scored ${quiet}`);
    const first = max(scores.slice(dropAt, dropAt + 3));
    assert.ok(first >= 0.9, `drop at ${hour}:00: its first 3 points scored at most ${first}`);
    // The scorer says "this is new" once; a day on, the new level is what it expects.
    const later = max(scores.slice(dropAt + day));
    assert.ok(later < 0.5, `drop at ${hour}:00: still scoring ${later} a day after it`);
  }
});
