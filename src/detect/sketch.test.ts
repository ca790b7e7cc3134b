import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addToSketch, countAbove, emptySketch, mergeSketch, quantile, scaleSketch } from './sketch.js';
import { seededRandom } from './testing/random.js';

test('quantiles stay within 2% of the exact value on a log-normal sample', () => {
  const rng = seededRandom(1);
  const sketch = emptySketch();
  const values: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const v = rng.logNormal(80, 0.6);
    values.push(v);
    addToSketch(sketch, v);
  }
  values.sort((a, b) => a - b);
  for (const q of [0.5, 0.9, 0.95, 0.99]) {
    const exact = values[Math.ceil(q * values.length) - 1]!;
    const got = quantile(sketch, q);
    assert.ok(Math.abs(got - exact) / exact < 0.02, `q${q}: ${got} vs ${exact}`);
  }
});

test('merging two sketches equals sketching the union; scaling keeps quantiles', () => {
  const a = emptySketch();
  const b = emptySketch();
  const union = emptySketch();
  for (let i = 1; i <= 1000; i++) {
    addToSketch(i % 2 ? a : b, i * 0.5);
    addToSketch(union, i * 0.5);
  }
  addToSketch(b, 0.001);
  addToSketch(union, 0.001);
  mergeSketch(a, b);
  assert.equal(a.count, union.count);
  assert.equal(quantile(a, 0.9), quantile(union, 0.9));
  assert.equal(countAbove(a, 250), countAbove(union, 250));
  const q = quantile(a, 0.5);
  scaleSketch(a, 0.5);
  assert.equal(quantile(a, 0.5), q);
  assert.deepEqual(JSON.parse(JSON.stringify(a)), a);
});
