// An open incident's ranking follows later evidence: the caller pages first and opens an incident;
// its callee (the declared culprit) pages later, past the correlation window, and opens one of its
// own. The first incident's stored ranking then names the callee, with one 'root-cause' update;
// clock ticks that bring no new evidence neither rank again nor update anything. A deploy reported
// after the incident opened, dated before its onset, is ranked at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signalOf } from '../incidents/testing/scenarios.js';
import type { IncidentUpdate } from '../incidents/index.js';
import type { Signal } from '../model/index.js';
import { getIncidentRecord } from '../store/index.js';
import { PipelineRig } from './testing/pipeline-rig.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 4, 8, 0, 0);

/** A latency move of `service` `z` robust deviations from its usual, begun at `startedAtMs` and paged a minute later. */
const latencyMove = (service: string, z: number, startedAtMs: number): Signal =>
  signalOf('metric-anomaly', { service, metric: 'http.server.request.duration' }, startedAtMs, {
    detectedAtMs: startedAtMs + MIN,
    score: 0.9,
    summary: `${service} latency up (robust z ${z})`,
    evidence: { robustZ: z },
  });

describe('re-ranking an open incident on later evidence', () => {
  it('the callee paging later in its own incident leads the caller’s ranking; quiet ticks rank nothing again', { timeout: 30_000 }, async () => {
    const rig = await PipelineRig.open('vigil-rerank-', { config: { topology: { edges: [{ from: 'frontend', to: 'payment' }] } } });
    try {
      const seen: Array<{ atMs: number; updates: readonly IncidentUpdate[] }> = [];
      rig.pipeline.onIncidentUpdates((updates, _records, atMs) => seen.push({ atMs, updates }));
      const caller = latencyMove('frontend', 40, T0);
      await rig.pipeline.flushTo(caller.detectedAtMs);
      await rig.pipeline.reportSignals([caller]);
      const a = seen.flatMap((s) => s.updates).find((u) => u.event === 'opened')!.incident;
      const before = await getIncidentRecord(rig.store, a.id);
      assert.equal(before?.rootCauses[0]?.service, 'frontend', 'alone, the caller is its own suspect');

      // Past the 15-min correlation window of the caller's onset: correlation keeps it apart.
      const callee = latencyMove('payment', 30, T0 + 16 * MIN);
      await rig.pipeline.flushTo(callee.detectedAtMs);
      seen.length = 0;
      await rig.pipeline.reportSignals([callee]);
      const updates = seen.flatMap((s) => s.updates);
      const b = updates.find((u) => u.event === 'opened')?.incident;
      assert.ok(b && b.id !== a.id, `the callee opens its own incident: ${updates.map((u) => `${u.incident.id} ${u.event}`).join(', ')}`);
      const after = await getIncidentRecord(rig.store, a.id);
      assert.deepEqual(
        after?.rootCauses.slice(0, 2).map((r) => r.service),
        ['payment', 'frontend'],
        `the stored ranking follows: ${JSON.stringify(after?.rootCauses.map((r) => [r.service, r.kind, r.score]))}`,
      );
      assert.match(after?.rootCauses[0]?.explanation ?? '', /paged in another incident/);
      assert.deepEqual(
        updates.filter((u) => u.incident.id === a.id).map((u) => u.event),
        ['root-cause'],
        'one update of the first incident: its new top cause',
      );

      // Ticks that bring no signal and no new sub-threshold move: nothing is ranked or stored again.
      seen.length = 0;
      for (let t = callee.detectedAtMs + 30_000; t <= callee.detectedAtMs + 5 * MIN; t += 30_000) await rig.pipeline.flushTo(t);
      assert.deepEqual(
        seen.flatMap((s) => s.updates.map((u) => `${u.incident.id} ${u.event}`)),
        [],
      );
      assert.deepEqual(await getIncidentRecord(rig.store, a.id), after, 'the stored record is unchanged');
    } finally {
      await rig.close();
    }
  });

  it('a deploy reported after its incident opened, dated a minute before the onset, takes the top cause at once', { timeout: 30_000 }, async () => {
    const rig = await PipelineRig.open('vigil-rerank-deploy-');
    try {
      const seen: IncidentUpdate[] = [];
      rig.pipeline.onIncidentUpdates((updates) => seen.push(...updates));
      const move = latencyMove('cart', 30, T0);
      await rig.pipeline.flushTo(move.detectedAtMs);
      await rig.pipeline.reportSignals([move]);
      const id = seen.find((u) => u.event === 'opened')!.incident.id;
      assert.notEqual((await getIncidentRecord(rig.store, id))?.rootCauses[0]?.kind, 'bad-deploy');
      seen.length = 0;
      await rig.pipeline.recordChange({ service: 'cart', kind: 'deploy', version: '2.0', source: 'api', timeMs: T0 - MIN });
      const stored = await getIncidentRecord(rig.store, id);
      assert.deepEqual(
        [stored?.rootCauses[0]?.service, stored?.rootCauses[0]?.kind],
        ['cart', 'bad-deploy'],
        JSON.stringify(stored?.rootCauses.map((r) => [r.service, r.kind, r.score])),
      );
      assert.ok(seen.some((u) => u.incident.id === id && u.event === 'root-cause'));
    } finally {
      await rig.close();
    }
  });
});
