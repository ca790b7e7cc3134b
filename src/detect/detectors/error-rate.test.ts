// The error-rate test as a pure function (judgeErrors, with the usual ratio's prior and the null's
// margin): what benches on aggregated data call, so it must keep judging as the detector does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultDetectionConfig } from '../config.js';
import { judgeErrors } from './error-rate.js';
import { smoothedErrorRatio, testedErrorRatio } from './window.js';

const c = defaultDetectionConfig.errorRate;
const judge = (errors: number, requests: number, p0: number, tested: number): ReturnType<typeof judgeErrors> =>
  judgeErrors(errors, requests, p0, tested, c, c.minRatio, c.alpha);

test('a clear rise pages; the same errors against the margin of a shaky baseline do not', () => {
  const wellKnown = testedErrorRatio(0.001, 1e6, c);
  assert.equal(judge(20, 1000, 0.001, wellKnown)?.anomalous, true);
  // 2% is not convincingly above 0.8% (what a baseline resting on few requests cannot rule out).
  assert.equal(judge(20, 1000, 0.001, 0.008)?.anomalous, false);
});

test('fewer errors than minErrors never page, however significant', () => {
  const r = judge(c.minErrors - 1, 20, 0.0001, testedErrorRatio(0.0001, 1e7, c));
  assert.ok(r && r.pv < c.alpha);
  assert.equal(r.anomalous, false);
});

test('a rise below the minimum increase is ruled out before the tail is computed', () => {
  assert.equal(judge(5, 10_000, 0.0005, 0.003), undefined);
});

test('the usual ratio leans on the prior until requests outweigh it, and the null adds a margin', () => {
  assert.deepEqual(smoothedErrorRatio(0, 0, c), { ratio: c.priorRate, requests: c.priorRequests });
  const learned = smoothedErrorRatio(1, 1e6, c);
  assert.ok(Math.abs(learned.ratio - 1e-6) < 2e-6);
  // A well-measured ratio is tested a quarter of minIncrease higher; a shaky one two standard errors higher.
  assert.ok(Math.abs(testedErrorRatio(0.001, 1e6, c) - (0.001 + c.minIncrease / 4)) < 1e-12);
  assert.ok(Math.abs(testedErrorRatio(0.001, 10, c) - (0.001 + 2 * Math.sqrt((0.001 * 0.999) / 10))) < 1e-12);
});
