// The error-rate test as a pure function (judgeErrors, with the usual ratio's prior and the null's
// margin): what benches on aggregated data call, so it must keep judging as the detector does; and
// a clean record broken (a near-zero baseline's first failures), live and as a pure function.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultDetectionConfig } from '../config.js';
import type { Signal } from '../../model/index.js';
import { makeSpan } from '../../../test/support/records.js';
import { DetectionEngine } from '../engine.js';
import { breaksCleanRecord, breaksYoungRecord, CLEAN_RECORD_MS, judgeErrors } from './error-rate.js';
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

/** A quiet route (one request every 5 s) that fails at the given times; returns the error-rate signals fired. */
function quietRoute(hours: number, failAtMs: readonly number[]): Signal[] {
  const engine = new DetectionEngine({});
  const fired: Signal[] = [];
  const failures = new Set(failAtMs);
  for (let t = T0; t < T0 + hours * HOUR; t += 5_000) {
    const failed = failures.has(t);
    engine.observeSpans([makeSpan({ service: 'listings', startTimeMs: t, httpStatusCode: failed ? 500 : 200, statusCode: failed ? 'error' : 'unset' })]);
    if (t % 10_000 === 0) fired.push(...engine.advance(t).filter((s) => s.kind === 'error-rate' && s.status === 'firing'));
  }
  return fired;
}

const T0 = 1_793_620_800_000;
const HOUR = 3_600_000;

test('a route with a clean record of a day pages on its first two failures; after a failure that morning it does not', () => {
  const fault = [T0 + 25 * HOUR, T0 + 25 * HOUR + 20_000];
  const [page, ...more] = quietRoute(25.1, fault);
  assert.equal(more.length, 0);
  assert.equal(page?.subject.service, 'listings');
  assert.match(page.summary, /the first failures after 25(\.0)? h without one/);
  assert.deepEqual(quietRoute(25.1, [T0 + 19 * HOUR, ...fault]), []);
  // Pure: a busy window's two failures are under the effect size; a short record is no record.
  assert.equal(breaksCleanRecord(2, 36, CLEAN_RECORD_MS, c), true);
  assert.equal(breaksCleanRecord(2, 1000, CLEAN_RECORD_MS, c), false);
  assert.equal(breaksCleanRecord(2, 36, CLEAN_RECORD_MS - HOUR, c), false);
  assert.equal(breaksCleanRecord(1, 36, CLEAN_RECORD_MS, c), false);
});

test('a record younger than a day: failures must be improbable at the rate its clean requests still allow, and at least the usual minimum', () => {
  const c = defaultDetectionConfig.errorRate;
  const alpha = c.alpha;
  // Two hours of 150 requests an export (3,600 clean): 4 of 150 are improbable at 3 in 3,600, 3 are not; 4 are under the minimum of 5.
  assert.equal(breaksYoungRecord(3, 150, 3600, c, alpha, 20), false);
  assert.equal(breaksYoungRecord(4, 150, 3600, c, alpha, 20), false);
  assert.equal(breaksYoungRecord(5, 150, 3600, c, alpha, 20), true);
  // Ten minutes of the same traffic (300 clean) allow 1%: 5 of 150 are no news, 15 are.
  assert.equal(breaksYoungRecord(5, 150, 300, c, alpha, 20), false);
  assert.equal(breaksYoungRecord(15, 150, 300, c, alpha, 20), true);
  // A view that fails all 4 of its requests after 96 clean ones is improbable, but 4 failures are no page; nor are 6 of 6, too few requests to judge.
  assert.equal(breaksYoungRecord(4, 4, 96, c, alpha, 20), false);
  assert.equal(breaksYoungRecord(6, 6, 360, c, alpha, 20), false);
  assert.equal(breaksYoungRecord(6, 20, 360, c, alpha, 20), true);
  // Failures under minIncrease of the window's requests never page.
  assert.equal(breaksYoungRecord(20, 4000, 1e6, c, alpha, 20), false);
});
