import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binomialUpperTail, lnGamma, poissonLowerTail, poissonUpperTail, theilSenSlope } from './stats.js';

const close = (a: number, b: number, rel = 1e-6): void => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} vs ${b}`);

test('lnGamma matches factorials', () => {
  assert.ok(Math.abs(lnGamma(1)) < 1e-12);
  close(Math.exp(lnGamma(6)), 120);
  close(Math.exp(lnGamma(11)), 3628800);
});

test('Poisson tails match direct sums, including tiny probabilities', () => {
  const pmf = (k: number, l: number): number => Math.exp(-l + k * Math.log(l) - lnGamma(k + 1));
  let upper = 0;
  for (let k = 9; k < 200; k++) upper += pmf(k, 0.55);
  close(poissonUpperTail(9, 0.55), upper);
  let lower = 0;
  for (let k = 0; k <= 18; k++) lower += pmf(k, 45);
  close(poissonLowerTail(18, 45), lower);
  assert.equal(poissonUpperTail(0, 3), 1);
  assert.ok(poissonUpperTail(40, 1) < 1e-40);
});

test('binomial upper tail respects volume: 5 errors of 10 is not 5 of 10,000', () => {
  // 5/10 at p=0.1: exact value 0.0016349374
  close(binomialUpperTail(5, 10, 0.1), 0.0016349374, 1e-6);
  assert.ok(binomialUpperTail(5, 10_000, 0.001) > 0.5);
  assert.ok(binomialUpperTail(120, 8000, 0.001) < 1e-30);
});

test('Theil–Sen slope ignores a few wild outliers', () => {
  const xs = Array.from({ length: 20 }, (_, i) => i);
  const ys = xs.map((x) => 2 * x + 1);
  ys[3] = 500;
  ys[11] = -300;
  close(theilSenSlope(xs, ys), 2);
});
