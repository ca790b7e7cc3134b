import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderHtml, renderMarkdown } from '../reviews/index.js';
import { DAY, incident, item, signature } from '../reviews/testing/incidents.js';
import type { IncidentFacts } from '../reviews/index.js';
import type { KpiAround } from '../kpi/index.js';
import { reliabilityDocument, reliabilityJson } from './render.js';
import { reliabilityReport } from './reliability.js';

/** 2026-11-02T00:00:00Z */
const R0 = 1_793_577_600_000;
const S = 1000;
const sigA = signature();
const sigB = signature({ services: ['search'], signalKinds: ['latency'], rootCause: 'search:saturation', rootCauseKind: 'saturation' });
const sigC = signature({ services: ['cart'], signalKinds: ['throughput'], rootCause: 'cart:dependency-failure', rootCauseKind: 'dependency-failure' });

// A week: two payment deploys gone wrong (the second a repeat of the first, the first a repeat of
// one ten days before the week), a search saturation, a cart dependency failure.
const h1 = incident({ id: 'h1', startedAtMs: R0 - 11 * DAY, resolvedAtMs: R0 - 10 * DAY, signature: sigA });
/** Incident `id` begun on `day` of the week, detected `detectedAfterS` and resolved `resolvedAfterS` (undefined: still open) seconds after it began. */
const weekIncident = (id: string, day: number, detectedAfterS: number, resolvedAfterS: number | undefined, over: Partial<IncidentFacts>): IncidentFacts => {
  const startedAtMs = R0 + day * DAY;
  const resolvedAtMs = resolvedAfterS === undefined ? undefined : startedAtMs + resolvedAfterS * S;
  return incident({ id, startedAtMs, detectedAtMs: startedAtMs + detectedAfterS * S, resolvedAtMs, ...over });
};
const i1 = weekIncident('i1', 1, 60, 1800, { severity: 'high', acknowledgedAtMs: R0 + DAY + 180 * S, signature: sigA });
const i2 = weekIncident('i2', 2, 180, 600, { severity: 'medium', services: ['search'], signature: sigB });
const i3 = weekIncident('i3', 3, 120, undefined, { severity: 'critical', status: 'triggered', signature: sigA });
const i4 = weekIncident('i4', 6, 30, 1200, { severity: 'low', services: ['cart'], signature: sigC });
const i5 = weekIncident('i5', 8, 60, 3600, { signature: sigA });

const input = {
  fromMs: R0,
  toMs: R0 + 7 * DAY,
  history: [h1, i1, i2, i3, i4, i5],
  identifiedAtMs: new Map([
    ['i1', R0 + DAY + 300 * S],
    ['i2', R0 + 2 * DAY + 900 * S],
  ]),
  actionItems: [
    item({ id: 'a1', incidentId: 'i1', status: 'done', doneAtMs: R0 + 2 * DAY }),
    item({ id: 'a2', incidentId: 'i1', dueMs: R0 + 4 * DAY }),
    item({ id: 'a3', incidentId: 'i2', status: 'done' }),
    item({ id: 'a4', incidentId: 'i5' }),
    item({ id: 'a5', incidentId: 'h1' }),
  ],
  firstTicketMs: new Map([
    ['i1', R0 + DAY + 70 * S],
    ['i2', R0 + 2 * DAY + 60 * S],
  ]),
  slos: [{ name: 'checkout-availability', service: 'checkout', target: 0.999, attainment: 0.9985, met: false }],
  nowMs: R0 + 7 * DAY,
};

void test('figures of a crafted week match the hand-computed ones', () => {
  const r = reliabilityReport(input);
  assert.equal(r.incidents, 4);
  assert.deepEqual(r.bySeverity, { critical: 1, high: 1, medium: 1, low: 1 });
  assert.deepEqual(r.byService, [
    { service: 'checkout', incidents: 2, repeats: 2 },
    { service: 'payment', incidents: 2, repeats: 2 },
    { service: 'cart', incidents: 1, repeats: 0 },
    { service: 'search', incidents: 1, repeats: 0 },
  ]);
  assert.equal(r.mttdSeconds, 97.5, '(60 + 180 + 120 + 30) / 4');
  assert.equal(r.mttaSeconds, 120, 'only i1 was acknowledged, 120 s after detection');
  assert.equal(r.mttiSeconds, 600, '(300 + 900) / 2');
  assert.equal(r.mttrSeconds, 1200, '(1800 + 600 + 1200) / 3 resolved');
  assert.equal(r.resolved, 3);
  assert.equal(r.repeatRate, 0.5, 'i1 repeats h1, i3 repeats i1');
  assert.deepEqual(
    r.repeats.map((x) => [x.incidentId, x.repeatOf.incidentId]),
    [
      ['i1', 'h1'],
      ['i3', 'i1'],
    ],
  );
  assert.deepEqual(r.actionItems, { total: 3, done: 2, open: 1, overdue: 1, completionRate: 0.6667 });
  assert.equal(r.customerReportedFirst, 1, 'only i2 had a ticket before detection');
  assert.deepEqual(Object.fromEntries(Object.entries(r.targets).map(([k, v]) => [k, v.met])), {
    mttd: true,
    mtti: false,
    mttr: true,
    repeatRate: false,
    actionItemCompletion: false,
  });
});

void test('an empty range reports zero incidents and no means rather than zeros', () => {
  const r = reliabilityReport({ ...input, fromMs: R0 + 20 * DAY, toMs: R0 + 27 * DAY });
  assert.equal(r.incidents, 0);
  assert.equal(r.mttdSeconds, null);
  assert.equal(r.mttrSeconds, null);
  assert.equal(r.repeatRate, 0);
  assert.equal(r.actionItems.completionRate, null);
  assert.equal(r.targets.repeatRate.met, null);
});

void test('the report exports as JSON with the contract fields first, and as Markdown and HTML', () => {
  const r = reliabilityReport(input);
  const json = reliabilityJson(r);
  assert.deepEqual(Object.keys(json).slice(0, 6), ['incidents', 'mttdSeconds', 'mttrSeconds', 'repeatRate', 'actionItems', 'customerReportedFirst']);
  assert.equal(json.from, '2026-11-02T00:00:00.000Z');
  const md = renderMarkdown(reliabilityDocument(r));
  assert.match(md, /\| Mean time to detect \(onset → detection\) \| 1 min 38 s \| < 2 min \| met \|/);
  assert.match(md, /\| Repeat rate \(similar to one resolved in the 90 days before\) \| 50\.0% \(2\) \| < 10\.0% \| missed \|/);
  assert.match(md, /\| Action items done \| 2 of 3 \(66\.7%\), 1 overdue \| > 80\.0% \| missed \|/);
  assert.match(md, /\| checkout-availability \| checkout \| 99\.900% \| 99\.850% \| missed \|/);
  assert.match(renderHtml(reliabilityDocument(r)), /<h2>Incidents by service<\/h2>/);
});

void test('business KPIs around the range’s incidents and releases: in time order, one row per event and KPI, and what was left out', () => {
  const drop = (startMs: number): KpiAround => ({
    kpi: 'orders/min',
    direction: 'drop-is-bad',
    unit: 'orders',
    perMinute: true,
    stepMs: 300 * S,
    before: 100,
    worst: { timeMs: startMs, value: 25 },
    after: 98,
    worstChange: -0.75,
    series: [{ timeMs: startMs, value: 25 }],
  });
  const r = reliabilityReport({
    ...input,
    businessKpis: {
      declared: ['orders/min'],
      events: [
        { kind: 'incident', id: 'i1', title: 'incident i1', startMs: i1.startedAtMs, endMs: i1.resolvedAtMs!, kpis: [drop(i1.startedAtMs)] },
        { kind: 'release', id: 'c1', title: 'payment 2.3.0', startMs: R0 + 12 * 3_600_000, endMs: R0 + 13 * 3_600_000, kpis: [] },
      ],
      leftOut: 3,
    },
  });
  assert.deepEqual(
    r.businessKpis.events.map((e) => [e.kind, e.id]),
    [
      ['release', 'c1'],
      ['incident', 'i1'],
    ],
  );
  assert.equal('series' in r.businessKpis.events[1]!.kpis[0]!, false, 'figures only: reviews and release reports show the series');
  const md = renderMarkdown(reliabilityDocument(r));
  assert.match(md, /## Business KPIs around incidents and releases\n/);
  assert.match(md, /\| release payment 2\.3\.0 \| 2026-11-02T12:00:00\.000Z \| no KPI data \|/);
  assert.match(
    md,
    /\| incident i1: incident i1 \| 2026-11-03T00:00:00\.000Z \| orders\/min: 100 orders a minute before; lowest 25\.0 at 00:00:00 \(down 75%\); 98\.0 after \|/,
  );
  assert.match(md, /3 more incidents and releases of the range are not shown/);
  assert.match(renderMarkdown(reliabilityDocument(reliabilityReport(input))), /No business KPI is declared \(kpis: in vigil\.yaml\)\./);
  assert.match(
    renderMarkdown(reliabilityDocument(reliabilityReport({ ...input, businessKpis: { declared: ['orders/min'], events: [], leftOut: 0 } }))),
    /No incident or release in the range \(KPIs: orders\/min\)\./,
  );
});
