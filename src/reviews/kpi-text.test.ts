// Business KPIs around an incident or a release: the summary figures from a crafted series, the
// review's section with the series side by side, and the release report's lines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kpiAround, kpiWindow } from '../kpi/index.js';
import type { DeploymentRecord } from '../release/index.js';
import { releaseReportMarkdown } from '../release/index.js';
import { renderMarkdown } from './document.js';
import { kpiBlocks, kpiLine } from './kpi-text.js';
import { buildReview } from './review.js';
import { incident } from './testing/incidents.js';

/** 2026-11-02T09:00:00Z */
const T0 = 1_793_610_000_000;
const MIN = 60_000;
const STEP = 5 * MIN;
/** Orders per minute in 5-minute steps from 09:00: 100 for an hour, 20 and 40 during, 95 after. */
const orders = [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 20, 40, 95, 95].map((value, i) => ({ timeMs: T0 + i * STEP, value }));
const signups = orders.map((p, i) => ({ timeMs: p.timeMs, value: i === 3 ? null : 10 }));
const during = { startMs: T0 + 60 * MIN, endMs: T0 + 70 * MIN, stepMs: STEP, perMinute: true };

void test('a KPI around an event: usual level before, worst step during, level after, worst change', () => {
  const k = kpiAround({ name: 'orders/min', direction: 'drop-is-bad', unit: 'orders' }, orders, during);
  assert.equal(k.before, 100);
  assert.deepEqual(k.worst, { timeMs: T0 + 60 * MIN, value: 20 });
  assert.equal(k.after, 95);
  assert.equal(k.worstChange, -0.8);
  assert.equal(kpiLine(k), 'orders/min: 100 orders a minute before; lowest 20.0 at 10:00:00 (down 80%); 95.0 after');
  const refunds = kpiAround(
    { name: 'refunds', direction: 'rise-is-bad' },
    orders.map((p) => ({ ...p, value: 200 - p.value })),
    { startMs: during.startMs, stepMs: STEP, perMinute: true },
  );
  assert.deepEqual([refunds.worst?.value, refunds.after, refunds.worstChange], [180, null, 0.8], 'a rise is the worst; still open: no after');
  assert.deepEqual(kpiAround({ name: 'x', direction: 'drop-is-bad' }, [], during), {
    kpi: 'x',
    direction: 'drop-is-bad',
    perMinute: true,
    stepMs: STEP,
    before: null,
    worst: null,
    after: null,
    worstChange: null,
    series: [],
  });
});

void test('the window reaches an hour before and half an hour after, in whole steps of at most ~36 rows', () => {
  assert.deepEqual(kpiWindow(T0 + 60 * MIN + 7_000, T0 + 70 * MIN), { fromMs: T0, toMs: T0 + 100 * MIN, stepMs: STEP });
  const long = kpiWindow(T0, T0 + 24 * 3_600_000);
  assert.equal(long.stepMs, 45 * MIN);
  assert.ok((long.toMs - long.fromMs) / long.stepMs <= 37);
});

void test("the review shows the KPIs' series around the incident, its steps marked; the release report a line per KPI", () => {
  const kpis = [
    kpiAround({ name: 'orders/min', direction: 'drop-is-bad', unit: 'orders' }, orders, during),
    kpiAround({ name: 'sign-ups', direction: 'drop-is-bad' }, signups, during),
  ];
  const review = buildReview({
    incident: incident({ id: 'i1', startedAtMs: T0 + 60 * MIN, detectedAtMs: T0 + 61 * MIN, resolvedAtMs: T0 + 70 * MIN }),
    timeline: [],
    actionItems: [],
    resurfaced: [],
    edits: {},
    kpis,
    nowMs: T0 + 2 * 3_600_000,
  });
  const md = renderMarkdown(review.document);
  assert.match(
    md,
    /## Business KPIs around the incident\n\n- orders\/min: 100 orders a minute before; lowest 20\.0 at 10:00:00 \(down 80%\); 95\.0 after\n- sign-ups: 10\.0 a minute before; lowest 10\.0 at 10:00:00 \(unchanged\); 10\.0 after\n/,
  );
  assert.match(md, /\| time \(UTC, 5 min steps\) \| orders\/min \(orders a minute\) \| sign-ups \(a minute\) \| {2}\|/);
  assert.match(md, /\| 09:15:00 \| 100 \| — \| {2}\|/, 'a step without data');
  assert.match(
    md,
    /\| 09:55:00 \| 100 \| 10\.0 \| {2}\|\n\| 10:00:00 \| 20\.0 \| 10\.0 \| incident \|\n\| 10:05:00 \| 40\.0 \| 10\.0 \| incident \|\n\| 10:10:00 \| 95\.0 \| 10\.0 \| {2}\|/,
  );
  const none = buildReview({ incident: incident({ id: 'i2' }), timeline: [], actionItems: [], resurfaced: [], edits: {}, nowMs: T0 });
  assert.ok(!none.document.sections.some((s) => s.key === 'kpis'), 'no KPI declared: no section');
  assert.deepEqual(kpiBlocks([], { startMs: T0, label: 'x' }), [{ type: 'paragraph', text: 'No business KPI is declared (kpis: in vigil.yaml).' }]);

  const record: DeploymentRecord = {
    deployment: { id: 'd', service: 'checkout', version: 'v2', previousVersion: 'v1', timeMs: T0 + 60 * MIN },
    windowEndMs: T0 + 70 * MIN,
    verdict: { status: 'fail', summary: 'errors rose', evidence: [] } as unknown as DeploymentRecord['verdict'],
    findings: [],
    totals: { candidateRequests: 10, candidateErrors: 1, baselineRequests: 10, baselineErrors: 0 },
  };
  assert.match(
    releaseReportMarkdown(record, kpis),
    /## Business KPIs\n\n- orders\/min: 100 orders a minute before; lowest 20\.0 at 10:00:00 \(down 80%\); 95\.0 after\n- sign-ups: /,
  );
  assert.doesNotMatch(releaseReportMarkdown(record), /Business KPIs/);
});
