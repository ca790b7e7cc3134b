// The burn-rate arithmetic against the worked numbers of the Google SRE workbook's "Alerting on
// SLOs" chapter (99.9% over 30 days unless said otherwise).
import assert from 'node:assert/strict';
import test from 'node:test';
import { budgetRemaining, burnRate, burnRules, burnThreshold, detectionTimeMs, exhaustionForecastMs, formatSpan } from './burn.js';

const day = 86_400_000;
const hour = 3_600_000;
const close = (a: number, b: number, msg?: string) => assert.ok(Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(b)), `${msg ?? ''} ${a} ≈ ${b}`);

test('the recommended rules over 30 days are 14.4x (1 h / 5 m), 6x (6 h / 30 m) and 1x (3 d / 6 h)', () => {
  assert.deepEqual(
    burnRules.map((r) => [r.severity, r.longMs / 60_000, r.shortMs / 60_000]),
    [
      ['page', 60, 5],
      ['page', 360, 30],
      ['ticket', 4320, 360],
    ],
  );
  const thresholds = burnRules.map((r) => burnThreshold(r, 30 * day));
  close(thresholds[0]!, 14.4);
  close(thresholds[1]!, 6);
  close(thresholds[2]!, 1);
});

test('burn rate is the error ratio over the allowed ratio: 1.44% errors burn a 99.9% budget 14.4x', () => {
  close(burnRate(10_000 - 144, 10_000, 0.999), 14.4);
  close(burnRate(850, 1000, 0.999), 150);
  close(burnRate(999, 1000, 0.999), 1);
  assert.equal(burnRate(0, 0, 0.999), 0, 'no traffic burns nothing');
});

test('burning 14.4x for an hour spends 2% of a 30-day budget, 6x for 6 h 5%, 1x for 3 d 10%', () => {
  for (const [rule, spent] of [
    [burnRules[0]!, 0.02],
    [burnRules[1]!, 0.05],
    [burnRules[2]!, 0.1],
  ] as const) {
    close((burnThreshold(rule, 30 * day) * rule.longMs) / (30 * day), spent);
  }
});

test('time to exhaust a whole budget: 1x in 30 d, 2x in 15 d, 10x in 3 d, 1000x in 43 minutes', () => {
  close(exhaustionForecastMs(1, 1, 30 * day), 30 * day);
  close(exhaustionForecastMs(1, 2, 30 * day), 15 * day);
  close(exhaustionForecastMs(1, 10, 30 * day), 3 * day);
  close(exhaustionForecastMs(1, 1000, 30 * day), 43.2 * 60_000);
  assert.equal(formatSpan(exhaustionForecastMs(1, 1000, 30 * day)), '43 min');
});

test('forecasts use the budget left: half a budget at 150x lasts 2.4 h; a spent one is gone now', () => {
  close(exhaustionForecastMs(0.5, 150, 30 * day), 2.4 * hour);
  assert.equal(formatSpan(exhaustionForecastMs(1, 150, 30 * day)), '4.8 h');
  assert.equal(exhaustionForecastMs(-0.2, 150, 30 * day), 0);
  assert.equal(exhaustionForecastMs(0.7, 0, 30 * day), Number.POSITIVE_INFINITY);
});

test('budget left: 0.05% errors spend half a 99.9% budget, 0.2% overspend it twice', () => {
  close(budgetRemaining(1_000_000 - 500, 1_000_000, 0.999), 0.5);
  close(budgetRemaining(1_000_000 - 2_000, 1_000_000, 0.999), -1);
  assert.equal(budgetRemaining(0, 0, 0.999), 1);
});

test('detection time of the 1 h rule: 100% errors in 52 s, 15% errors in 5.8 minutes, 1.44% only after the whole hour', () => {
  const fast = burnRules[0]!;
  close(detectionTimeMs(1, 0.999, fast, 30 * day), 0.864 * 60_000);
  close(detectionTimeMs(0.15, 0.999, fast, 30 * day), 5.76 * 60_000);
  close(detectionTimeMs(0.0144, 0.999, fast, 30 * day), hour);
});

test('thresholds scale with the SLO window: a 7-day window pages at 3.36x over 1 h', () => {
  close(burnThreshold(burnRules[0]!, 7 * day), 3.36);
});
