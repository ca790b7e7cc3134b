// Business KPIs through the pipeline: metric points of a declared KPI arrive like any telemetry;
// a lasting 75% drop fires a KPI signal that joins the incident already open on the service and
// raises its severity as business impact, with the reason naming the KPI and its drop.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeMetric } from '../../test/support/records.js';
import { vigilConfigSchema } from '../config/index.js';
import { InMemoryContextQueries } from '../context/index.js';
import { signalOf } from '../incidents/testing/scenarios.js';
import { createLogger } from '../logger.js';
import { migrate, openStore, type StoreClient } from '../store/index.js';
import { IncidentService } from './incident-service.js';
import { Pipeline } from './pipeline.js';

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);
const MIN = 60_000;

const orders = (minute: number, value: number, name = 'business.orders') =>
  makeMetric({ name, unit: '{order}', type: 'sum', temporality: 'delta', isMonotonic: true, service: 'checkout', timeMs: T0 + minute * MIN + 5_000, startTimeMs: T0 + (minute - 1) * MIN, value, attributes: { outcome: 'paid' } });

describe('business KPIs in the pipeline', () => {
  let dir: string;
  let store: StoreClient;
  let pipeline: Pipeline;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-kpi-'));
    store = await openStore({ dataDir: dir });
    await migrate(store);
    const config = vigilConfigSchema.parse({
      storage: { dataDir: dir },
      kpis: [{ name: 'orders/min', metric: 'business.orders', service: 'checkout', attributes: { outcome: 'paid' }, unit: 'orders' }],
    });
    pipeline = await Pipeline.open({ store, config, log: createLogger('silent'), eventClock: true, contextQueries: new InMemoryContextQueries({ spans: [], logs: [], changes: [] }) });
  });
  after(async () => {
    await pipeline.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a lasting 75% drop of a declared KPI fires a signal and raises the open incident to critical, naming the KPI', async () => {
    const incidents = new IncidentService(store, pipeline);
    // An hour of about 100 paid orders a minute; points of another outcome and of an undeclared
    // metric (which collapse) must not count.
    for (let m = 0; m < 60; m++) await pipeline.ingest({ spans: [], logs: [], metrics: [orders(m, 100 + ((m * 7) % 13) - 6), { ...orders(m, m < 40 ? 50 : 1), attributes: { outcome: 'refused' } }, orders(m, m < 40 ? 80 : 1, 'business.visits')] });
    // A weak hint on checkout opens a low incident first.
    const hintAt = T0 + 60 * MIN;
    await pipeline.reportSignals([signalOf('saturation', { service: 'checkout', metric: 'db.pool.usage' }, hintAt - MIN, { detectedAtMs: hintAt, score: 0.3 })]);
    const [opened] = (await incidents.list({ openOnly: true, limit: 10 })).incidents;
    assert.ok(opened, 'the hint opened an incident');
    assert.equal(opened.severity, 'low');
    assert.ok(!opened.signals.some((s) => s.key.startsWith('kpi-drop|')), 'no KPI signal before the drop');

    // Orders fall to a quarter and stay there.
    for (let m = 60; m < 68; m++) await pipeline.ingest({ spans: [], logs: [], metrics: [orders(m, 25)] });
    const [raised] = (await incidents.list({ openOnly: true, limit: 10 })).incidents;
    assert.ok(raised);
    assert.equal(raised.id, opened.id, 'the KPI signal joined the open incident');
    const kpiSignal = raised.signals.find((s) => s.key === 'kpi-drop|orders/min');
    assert.ok(kpiSignal, `a KPI signal on the incident: ${raised.signals.map((s) => s.key).join(', ')}`);
    assert.equal(kpiSignal.status, 'firing');
    assert.equal(kpiSignal.subject.service, 'checkout');
    assert.ok(kpiSignal.startedAtMs >= T0 + 60 * MIN && kpiSignal.startedAtMs <= T0 + 61 * MIN, `onset at the drop: ${new Date(kpiSignal.startedAtMs).toISOString()}`);
    assert.equal(raised.severity, 'critical');
    assert.match(raised.severityReason, /^business impact: orders\/min down 75% \(25\.0 vs usual (9\d\.\d|10\d) orders a minute\)/);

    // Orders come back: the KPI signal recovers.
    for (let m = 68; m < 74; m++) await pipeline.ingest({ spans: [], logs: [], metrics: [orders(m, 100)] });
    const [after] = (await incidents.list({ openOnly: false, limit: 10 })).incidents;
    assert.equal(after?.signals.find((s) => s.key === 'kpi-drop|orders/min')?.status, 'recovered');
  });
});
