// The sequential tests' arithmetic: likelihood ratios by hand, Ville's bound holding under the null
// over many looks, power under the alternative, and no-harm tests bounding a change.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeededRandom } from '../sim/index.js';
import { anytimePValue, mixtureLr, newMixture, rejects, updateOneArm, updateTwoArm, upperRateBound } from './sequential.js';

describe('mixture sequential tests', () => {
  it('computes the two-arm likelihood ratio of a bucket by hand', () => {
    const s = newMixture([2]);
    // ρ = 1/2, null ratio 1 → p0 = 1/2; alternative ratio 2 → p = 2/3. Three candidate events, one baseline.
    updateTwoArm(s, 1, { events: 3, requests: 100 }, { events: 1, requests: 100 });
    const expected = Math.pow(2 / 3 / 0.5, 3) * (1 / 3 / 0.5);
    assert.ok(Math.abs(mixtureLr(s) - expected) < 1e-9);
    assert.deepEqual(s.events, [3, 1]);
    assert.deepEqual(s.exposure, [100, 100]);
  });

  it('computes the one-arm (binomial) likelihood ratio by hand and mixes alternatives with equal weights', () => {
    const s = newMixture([2, 4]);
    updateOneArm(s, 0.01, { events: 2, requests: 10 });
    const lr = (q: number): number => Math.pow(q / 0.01, 2) * Math.pow((1 - q) / 0.99, 8);
    assert.ok(Math.abs(mixtureLr(s) - (lr(0.02) + lr(0.04)) / 2) < 1e-9);
  });

  it('ignores buckets where an arm served nothing (no information, no change)', () => {
    const s = newMixture([2]);
    updateTwoArm(s, 1, { events: 5, requests: 10 }, { events: 0, requests: 0 });
    updateTwoArm(s, 1, { events: 0, requests: 10 }, { events: 0, requests: 10 });
    assert.equal(mixtureLr(s), 1);
    assert.equal(anytimePValue(s), 1);
  });

  it('keeps the false-alarm rate under alpha however often it is read (Ville), and detects a real rise', () => {
    const rng = new SeededRandom(7);
    const binomial = (n: number, p: number): number => {
      let k = 0;
      for (let i = 0; i < n; i++) if (rng.next() < p) k++;
      return k;
    };
    const alpha = 0.05;
    let falseAlarms = 0;
    let detections = 0;
    const runs = 300;
    for (let r = 0; r < runs; r++) {
      const nullTest = newMixture([1.1, 1.5, 2, 3, 5]);
      const altTest = newMixture([1.1, 1.5, 2, 3, 5]);
      for (let look = 0; look < 200; look++) {
        updateTwoArm(nullTest, 1, { events: binomial(20, 0.05), requests: 20 }, { events: binomial(80, 0.05), requests: 80 });
        updateTwoArm(altTest, 1, { events: binomial(20, 0.15), requests: 20 }, { events: binomial(80, 0.05), requests: 80 });
      }
      if (rejects(nullTest, alpha)) falseAlarms++;
      if (rejects(altTest, alpha)) detections++;
    }
    assert.ok(falseAlarms / runs <= alpha, `false alarms ${falseAlarms}/${runs}`);
    assert.ok(detections / runs > 0.95, `detections ${detections}/${runs}`);
  });

  it('a rate below the null boundary is a supermartingale: the ratio drifts down', () => {
    const s = newMixture([1.5, 2]);
    for (let i = 0; i < 50; i++) updateOneArm(s, 0.02, { events: 1, requests: 100 });
    assert.ok(mixtureLr(s) < 1e-3);
    assert.equal(s.maxLr, 1);
  });

  it('bounds a rate from above (Wilson), wider with fewer requests', () => {
    assert.equal(upperRateBound(0, 0), 1);
    const few = upperRateBound(2, 100);
    const many = upperRateBound(200, 10_000);
    assert.ok(few > 0.02 && many > 0.02 && few > many);
    assert.ok(many < 0.03);
  });
});
