// Business KPIs through the pipeline: metric points of a declared KPI arrive like any telemetry;
// a lasting 75% drop fires a KPI signal that joins the incident already open on the service and
// raises its severity as business impact, with the reason naming the KPI and its drop; the
// incident's review shows the KPI's series around it, read back from the store, and the
// reliability report the KPI around the range's incident and release.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeMetric } from '../../test/support/records.js';
import { signalOf } from '../incidents/testing/scenarios.js';
import { changeAt } from '../model/testing/records.js';
import { renderMarkdown } from '../reviews/index.js';
import type { TelemetryBatch } from '../ingest/index.js';
import { insertChanges, TelemetryWriter, type StoreClient } from '../store/index.js';
import { reliabilityDocument } from '../reports/index.js';
import { FollowUpService } from './follow-up-service.js';
import { IncidentService } from './incident-service.js';
import { kpiAroundReader } from './kpi-series.js';
import type { Pipeline } from './pipeline.js';
import { PipelineRig } from './testing/pipeline-rig.js';

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);
const MIN = 60_000;

const orders = (minute: number, value: number, name = 'business.orders') =>
  makeMetric({
    name,
    unit: '{order}',
    type: 'sum',
    temporality: 'delta',
    isMonotonic: true,
    service: 'checkout',
    timeMs: T0 + minute * MIN + 5_000,
    startTimeMs: T0 + (minute - 1) * MIN,
    value,
    attributes: { outcome: 'paid' },
  });

describe('business KPIs in the pipeline', () => {
  let rig: PipelineRig;
  let store: StoreClient;
  let pipeline: Pipeline;
  let writer: TelemetryWriter;
  let followUp: FollowUpService;
  /** What the server does with an acknowledged batch: stored, and fed to the pipeline. */
  const ingest = async (batch: TelemetryBatch): Promise<void> => {
    await writer.write(batch);
    await pipeline.ingest(batch);
  };

  before(async () => {
    rig = await PipelineRig.open('vigil-kpi-', {
      config: { kpis: [{ name: 'orders/min', metric: 'business.orders', service: 'checkout', attributes: { outcome: 'paid' }, unit: 'orders' }] },
      adapters: async (opened, config, dir) => {
        writer = await TelemetryWriter.open(opened, { maxQueuedRows: 100_000, maxRowsPerFlush: 10_000, walDir: join(dir, 'wal') });
        followUp = new FollowUpService(opened, { now: () => pipeline.now() }, undefined, () => T0 + 2 * 3_600_000, {
          kpisAround: kpiAroundReader(opened, config.kpis),
          kpiNames: config.kpis.map((k) => k.name),
        });
        return {};
      },
    });
    ({ store, pipeline } = rig);
  });
  after(() => rig.close(() => writer.stop()));

  it('a lasting 75% drop of a declared KPI fires a signal and raises the open incident to critical, naming the KPI', async () => {
    const incidents = new IncidentService(store, pipeline);
    // An hour of about 100 paid orders a minute; points of another outcome and of an undeclared
    // metric (which collapse) must not count.
    for (let m = 0; m < 60; m++)
      await ingest({
        spans: [],
        logs: [],
        metrics: [
          orders(m, 100 + ((m * 7) % 13) - 6),
          { ...orders(m, m < 40 ? 50 : 1), attributes: { outcome: 'refused' } },
          orders(m, m < 40 ? 80 : 1, 'business.visits'),
        ],
      });
    // A weak hint on checkout opens a low incident first.
    const hintAt = T0 + 60 * MIN;
    await pipeline.reportSignals([
      signalOf('saturation', { service: 'checkout', metric: 'db.pool.usage' }, hintAt - MIN, { detectedAtMs: hintAt, score: 0.3 }),
    ]);
    const [opened] = (await incidents.list({ openOnly: true, limit: 10 })).incidents;
    assert.ok(opened, 'the hint opened an incident');
    assert.equal(opened.severity, 'low');
    assert.ok(!opened.signals.some((s) => s.key.startsWith('kpi-drop|')), 'no KPI signal before the drop');

    // Orders fall to a quarter and stay there.
    for (let m = 60; m < 68; m++) await ingest({ spans: [], logs: [], metrics: [orders(m, 25)] });
    const [raised] = (await incidents.list({ openOnly: true, limit: 10 })).incidents;
    assert.ok(raised);
    assert.equal(raised.id, opened.id, 'the KPI signal joined the open incident');
    const kpiSignal = raised.signals.find((s) => s.key === 'kpi-drop|orders/min');
    assert.ok(kpiSignal, `a KPI signal on the incident: ${raised.signals.map((s) => s.key).join(', ')}`);
    assert.equal(kpiSignal.status, 'firing');
    assert.equal(kpiSignal.subject.service, 'checkout');
    assert.ok(
      kpiSignal.startedAtMs >= T0 + 60 * MIN && kpiSignal.startedAtMs <= T0 + 61 * MIN,
      `onset at the drop: ${new Date(kpiSignal.startedAtMs).toISOString()}`,
    );
    assert.equal(raised.severity, 'critical');
    assert.match(raised.severityReason, /^business impact: orders\/min down 75% \(25\.0 vs usual (9\d\.\d|10\d) orders a minute\)/);

    // Orders come back: the KPI signal recovers.
    for (let m = 68; m < 76; m++) await ingest({ spans: [], logs: [], metrics: [orders(m, 100)] });
    const [after] = (await incidents.list({ openOnly: false, limit: 10 })).incidents;
    assert.equal(after?.signals.find((s) => s.key === 'kpi-drop|orders/min')?.status, 'recovered');

    // The review shows the KPI in 5-minute steps: the usual level before, the drop, the recovery.
    await writer.sync();
    const review = await followUp.review(opened.id);
    assert.ok(review);
    const [kpi] = review.kpis;
    assert.equal(kpi?.kpi, 'orders/min');
    assert.equal(kpi?.stepMs, 5 * MIN);
    assert.ok(kpi.before !== null && Math.abs(kpi.before - 100) < 3, `before ${kpi.before}`);
    assert.deepEqual(kpi.worst, { timeMs: T0 + 60 * MIN, value: 25 });
    const md = renderMarkdown(review.document);
    assert.match(md, /## Business KPIs around the incident\n/);
    assert.match(md, /- orders\/min: (9\d\.\d|10\d) orders a minute before; lowest 25\.0 at 10:00:00 \(down 75%\)/);
    assert.match(md, /\| 10:00:00 \| 25\.0 \| incident \|/);
    assert.match(md, /\| time \(UTC, 5 min steps\) \| orders\/min \(orders a minute\) \| {2}\|/);
    assert.match(md, /\| 10:05:00 \| 55\.0 \| incident \|/, 'three minutes at 25, two back at 100');
    assert.match(md, /\| 10:10:00 \| 100 \| incident \|\n\n/, 'back to the usual level while the incident is still open; the step still filling is left out');
    assert.match(md, /\| 08:55:00 \| — \| {2}\|\n\| 09:00:00 \| (9\d\.\d|10\d) \| {2}\|/, 'the hour before is shown, nothing before the first point');

    // The reliability report shows the KPI around the range's incident and release.
    await insertChanges(store, [changeAt({ id: 'dep-1', service: 'checkout', kind: 'deploy', version: '4.1.0', timeMs: T0 + 30 * MIN })]);
    const report = await followUp.reliability(T0, T0 + 2 * 3_600_000);
    assert.deepEqual(report.businessKpis.declared, ['orders/min']);
    assert.deepEqual(
      report.businessKpis.events.map((e) => [e.kind, e.id, e.title, e.kpis[0]?.worst?.value, Math.round((e.kpis[0]?.worstChange ?? 0) * 100)]),
      [
        ['release', 'dep-1', 'checkout 4.1.0', 25, -75],
        ['incident', opened.id, opened.title, 25, -75],
      ],
    );
    assert.match(
      renderMarkdown(reliabilityDocument(report)),
      /\| release checkout 4\.1\.0 \| 2026-11-02T09:30:00\.000Z \| orders\/min: (9\d\.\d|10\d) orders a minute before; lowest 25\.0 at 10:00:00 \(down 75%\) \|/,
    );
  });
});
