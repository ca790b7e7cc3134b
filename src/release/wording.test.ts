// The verdict's sentences word for word: the fail and pass forms the docs promise, seconds under a
// minute, counts with thousands separators, and smoke checks and exceptions named by their own words.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Evidence } from './types.js';
import { newComparison } from './comparison.js';
import { defaultReleaseConfig } from './config.js';
import { elapsed, failSummary, passSummary, watchingSummary, windowPassSummary, type VerdictWords } from './wording.js';

const row = (over: Partial<Evidence>): Evidence => ({
  signal: 'latency',
  baseline: 120,
  candidate: 178,
  change: 0.48,
  confidence: 0.99,
  unit: 'ms',
  failing: true,
  summary: 'p95 120 ms → 178 ms (+48%)',
  ...over,
});
const canary: VerdictWords = { version: '1.4.2', previousVersion: '1.4.1', sinceDeployMs: 4 * 60_000, quantileName: 'p95', sideBySide: true };

describe('verdict wording', () => {
  it('names a regression by route, percentile, change and confidence, and when', () => {
    assert.equal(
      failSummary([row({ route: 'POST /pay' })], canary),
      'regression in POST /pay p95 (+48%, 99.0% confidence) after 4 min (1.4.2 side by side with 1.4.1)',
    );
    assert.equal(
      failSummary([row({ signal: 'error-rate', baseline: 0.002, candidate: 0.05, confidence: 0.9995, unit: 'ratio' })], {
        ...canary,
        sinceDeployMs: 20_000,
        sideBySide: false,
        baselineNote: '1.4.1 at the same time of day on 7 previous days',
      }),
      'regression in error rate (0.20% → 5.0%, 99.9% confidence) after 20 s (1.4.2; baseline: 1.4.1 at the same time of day on 7 previous days)',
    );
    const smoke = row({
      signal: 'smoke',
      route: 'pay smoke',
      unit: 'count',
      confidence: 1,
      summary: 'smoke check "pay smoke" failed after the deploy: status 500',
    });
    assert.equal(
      failSummary([smoke], { ...canary, previousVersion: '' }),
      `regression in ${smoke.summary} after 4 min (1.4.2 side by side with the previous version)`,
    );
  });

  it('states a pass with its requests and the bounds it proved', () => {
    assert.equal(
      passSummary(2140, { latencyRise: 0.1, errorRatio: 2, errorRate: { baseline: 0.0017, candidate: 0.0018 } }, { ...canary, sinceDeployMs: 16 * 60_000 }),
      'no regression with 2,140 requests; 95% confident p95 did not rise more than 10% and the error rate not 2x (0.18% vs 0.17%), after 16 min (1.4.2 side by side with 1.4.1)',
    );
    assert.equal(
      windowPassSummary(12_000, 3_600_000, ['"pay smoke"'], { ...canary, sideBySide: false, baselineNote: 'the hour before the deploy' }),
      'no regression with 12,000 requests over the 60 min window (1.4.2; baseline: the hour before the deploy); smoke checks that never ran: "pay smoke"',
    );
  });

  it('says while watching what it has seen, the bound proven so far and what a pass waits for', () => {
    const service = newComparison('', 0.005, undefined, defaultReleaseConfig());
    const watching = { ...canary, sinceDeployMs: 6 * 60_000 };
    assert.equal(
      watchingSummary(1234, service, { baseline: false, smoke: [] }, watching),
      'watching 1.4.2 against 1.4.1: 1,234 requests after 6 min, no regression so far',
    );
    assert.equal(
      watchingSummary(0, service, { baseline: true, smoke: ['"pay smoke"'] }, { ...watching, previousVersion: '' }),
      'watching 1.4.2: no previous version known: 0 requests after 6 min, no regression so far; a pass waits for the same-time-of-day baseline and smoke checks "pay smoke"',
    );
  });

  it('reads event time in seconds under a minute, else minutes', () => {
    assert.deepEqual([elapsed(0), elapsed(20_000), elapsed(59_400), elapsed(60_000), elapsed(4 * 60_000 + 20_000)], ['0 s', '20 s', '59 s', '1 min', '4 min']);
  });
});
