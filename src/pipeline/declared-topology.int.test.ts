// A system known only from metrics (no traces: no graph to learn) with its calls declared in
// vigil.yaml (`topology.edges`): when the callee's CPU and latency move and its callers' latency
// follows, the pipeline opens ONE incident whose top cause is the callee. Without the declared
// edges each service opens its own incident. The service map shows the declared edges, marked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeMetric } from '../../test/support/records.js';
import type { Incident } from '../incidents/index.js';
import type { MetricPoint } from '../model/index.js';
import { seededRandom } from '../detect/testing/random.js';
import { PipelineRig } from './testing/pipeline-rig.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 2, 6, 0, 0);
const EXPORT_MS = 5 * MIN;
const FAULT_MS = T0 + 120 * MIN;
/** frontend → checkout → payment; the usual latency (s) of each. */
const SERVICES: Array<[string, number]> = [
  ['frontend', 0.09],
  ['checkout', 0.07],
  ['payment', 0.05],
];
const EDGES = [
  { from: 'frontend', to: 'checkout' },
  { from: 'checkout', to: 'payment' },
];

/**
 * Every 5 min each service's latency, requests and CPU (± 10% noise). From the fault on payment
 * burns CPU and answers 0.1 s slower; its callers wait that long too, from the next export on.
 */
function exportAt(t: number, random: () => number): MetricPoint[] {
  return SERVICES.flatMap(([service, usual], i) => {
    const slowerS = t >= FAULT_MS && (service === 'payment' || t >= FAULT_MS + EXPORT_MS) ? 0.1 : 0;
    const gauge = (name: string, unit: string, value: number): MetricPoint => makeMetric({ service, name, unit, type: 'gauge', timeMs: t, value });
    return [
      gauge('http.server.request.duration', 's', usual * (0.9 + 0.2 * random()) + slowerS),
      gauge('http.server.request.count', '{request}', Math.round((400 - 50 * i) * (0.9 + 0.2 * random()))),
      gauge('process.cpu.utilization', '1', 0.2 * (0.9 + 0.2 * random()) + (service === 'payment' && t >= FAULT_MS ? 0.5 : 0)),
    ];
  });
}

async function replay(topology: { edges: typeof EDGES }): Promise<{ opened: Incident[]; latest: Map<string, Incident>; declaredEdges: string[] }> {
  const rig = await PipelineRig.open('vigil-declared-topology-', { config: { topology } });
  try {
    const opened: Incident[] = [];
    const latest = new Map<string, Incident>();
    rig.pipeline.onIncidentUpdates((updates) => {
      for (const u of updates) {
        if (u.event === 'opened') opened.push(u.incident);
        latest.set(u.incident.id, u.incident);
      }
    });
    const random = seededRandom(7);
    for (let t = T0; t <= FAULT_MS + 3 * EXPORT_MS; t += EXPORT_MS) {
      await rig.pipeline.ingest({ spans: [], logs: [], metrics: exportAt(t, () => random.next()) });
      // The clock moves between exports as a live one would (30 s steps).
      for (let now = t + 30_000; now < t + EXPORT_MS; now += 30_000) await rig.pipeline.flushTo(now);
    }
    const declaredEdges = rig.pipeline
      .dependencyGraph()
      .edges()
      .filter((e) => e.declared)
      .map((e) => `${e.caller}→${e.callee}`);
    return { opened, latest, declaredEdges };
  } finally {
    await rig.close();
  }
}

describe('declared topology of a metric-only system', () => {
  it('joins the callee and its callers in one incident, the callee ranked first; without the edges each opens its own', { timeout: 60_000 }, async () => {
    const withEdges = await replay({ edges: EDGES });
    assert.equal(withEdges.opened.length, 1, `one incident: ${withEdges.opened.map((i) => i.title).join(' | ')}`);
    const incident = withEdges.latest.get(withEdges.opened[0]!.id)!;
    assert.ok(incident.detectedAtMs >= FAULT_MS, 'nothing before the fault');
    assert.deepEqual([...incident.services].sort(), ['checkout', 'frontend', 'payment'], 'the callers joined the callee');
    assert.equal(incident.rootCauses[0]?.service, 'payment', JSON.stringify(incident.rootCauses.map((r) => [r.service, r.kind, r.score])));
    assert.deepEqual(withEdges.declaredEdges.sort(), ['checkout→payment', 'frontend→checkout'], 'the service map shows them, marked declared');

    const without = await replay({ edges: [] });
    assert.ok(without.opened.length >= 2, `without the edges the callers open their own: ${without.opened.map((i) => i.title).join(' | ')}`);
  });
});
