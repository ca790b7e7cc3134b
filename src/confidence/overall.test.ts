// The home page's one answer: the weakest service decides, named with its first reason.
import assert from 'node:assert/strict';
import test from 'node:test';
import { overallConfidence } from './overall.js';
import type { Confidence, ConfidenceLevel } from './types.js';

const c = (service: string, level: ConfidenceLevel, score: number, reason: string): Confidence => ({
  service,
  level,
  score,
  reasons: [reason, 'no change in the last hour'],
  factors: [],
});

test('every service high: safe to stop watching', () => {
  const o = overallConfidence([c('cart', 'high', 95, 'no open incident'), c('checkout', 'high', 100, 'x')]);
  assert.deepEqual([o.level, o.safeToStopWatching, o.answer], ['high', true, 'Yes: all 2 services are at high confidence.']);
  assert.deepEqual(o.counts, { high: 2, medium: 0, low: 0 });
});

test('one low service outweighs any number of high ones and is named with its first reason', () => {
  const o = overallConfidence([
    c('cart', 'high', 100, 'fine'),
    c('checkout', 'low', 20, 'open high incident #4 (triggered): Errors in checkout'),
    c('search', 'medium', 60, 'deployed v3 10 min ago: too recent to have proved itself'),
  ]);
  assert.equal(o.level, 'low');
  assert.equal(o.safeToStopWatching, false);
  assert.equal(o.answer, 'No, keep watching: checkout (open high incident #4 (triggered): Errors in checkout).');
});

test('medium at worst is "not yet"; the weakest are named first and the rest counted', () => {
  const o = overallConfidence([
    c('a', 'medium', 70, 'ra'),
    c('b', 'medium', 55, 'rb'),
    c('c', 'medium', 60, 'rc'),
    c('d', 'medium', 60, 'rd'),
    c('e', 'high', 90, 're'),
  ]);
  assert.equal(o.level, 'medium');
  assert.equal(o.answer, 'Not yet: b (rb); c (rc); d (rd) and 1 more.');
});

test('no service known: not safe, and it says why', () => {
  const o = overallConfidence([]);
  assert.deepEqual([o.level, o.safeToStopWatching], ['low', false]);
  assert.match(o.answer, /no service has sent telemetry/);
});
