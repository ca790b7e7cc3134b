// The user's `detect:` settings reach declared KPIs: the KPI detector is judged under the alarm the
// pipeline's detection settings make (metric-anomaly's threshold and trust, the consecutive rule),
// not under the detection defaults. Here a trust of 120 minutes keeps a drop at minute 60 unjudged,
// while the defaults (60 minutes) page on the same orders.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signalOf } from '../incidents/testing/scenarios.js';
import { MIN, ordersPoint, T0 } from '../kpi/testing.js';
import { IncidentService } from './incident-service.js';
import { PipelineRig } from './testing/pipeline-rig.js';

const kpis = [{ name: 'orders/min', metric: 'business.orders', service: 'checkout', unit: 'orders' }];

/** An hour of ~100 orders a minute, an incident opened on checkout, then 8 minutes at a quarter: the KPI signals on that incident. */
async function kpiSignalsAfterDrop(config: Record<string, unknown>): Promise<string[]> {
  const rig = await PipelineRig.open('vigil-kpi-settings-', { config: { kpis, ...config } });
  try {
    const { pipeline, store } = rig;
    const ingest = (minute: number, value: number) => pipeline.ingest({ spans: [], logs: [], metrics: [ordersPoint(minute, value)] });
    for (let m = 0; m < 60; m++) await ingest(m, 100 + ((m * 7) % 13) - 6);
    const hintAt = T0 + 60 * MIN;
    await pipeline.reportSignals([
      signalOf('saturation', { service: 'checkout', metric: 'db.pool.usage' }, hintAt - MIN, { detectedAtMs: hintAt, score: 0.3 }),
    ]);
    for (let m = 60; m < 68; m++) await ingest(m, 25);
    const [incident] = (await new IncidentService(store, pipeline).list({ openOnly: true, limit: 10 })).incidents;
    assert.ok(incident, 'the hint opened an incident');
    return incident.signals.filter((s) => s.key.startsWith('kpi-drop|')).map((s) => s.key);
  } finally {
    await rig.close();
  }
}

test("a user's detect.metricAnomaly settings reach declared KPIs: minPoints 120 leaves a drop at minute 60 unjudged; the defaults page on it", async () => {
  assert.deepEqual(await kpiSignalsAfterDrop({}), ['kpi-drop|orders/min']);
  assert.deepEqual(await kpiSignalsAfterDrop({ detect: { metricAnomaly: { minPoints: 120 } } }), []);
});
