import assert from 'node:assert/strict';
import { test } from 'node:test';
import { count, percent } from './index.js';

void test('a non-zero share never prints as zero: under 1% it keeps two significant digits', () => {
  assert.equal(percent(0.0015), '0.15%');
  assert.equal(percent(0.00001234), '0.0012%');
  assert.equal(percent(0.001), '0.10%');
  assert.equal(percent(1e-9), '1.0e-7%');
  assert.notEqual(percent(0.0000001), '0.0%');
});

void test('only exactly zero is "0%"; from 1% one decimal, also where rounding reaches 1%', () => {
  assert.equal(percent(0), '0%');
  assert.equal(percent(0.152), '15.2%');
  assert.equal(percent(0.01), '1.0%');
  assert.equal(percent(0.00996), '1.0%');
  assert.equal(percent(1), '100.0%');
  assert.equal(percent(-0.3), '-30.0%');
});

void test('a ratio of nothing (0 of 0) is "n/a", not a share', () => {
  assert.equal(percent(0 / 0), 'n/a');
  assert.equal(percent(Infinity), 'n/a');
});

void test('counts are whole with thousands separators, the same on every locale', () => {
  assert.equal(count(1204.4), '1,204');
  assert.equal(count(39_501), '39,501');
  assert.equal(count(-1_000_000), '-1,000,000');
  assert.equal(count(999), '999');
  assert.equal(count(NaN), 'n/a');
});
