// Fire drills through the in-process engine replay (engine-replay.ts) instead of a Vigil child over
// HTTP: the same simulator, faults and scoring (drill-score.ts), hours of event time in minutes.
// What it leaves out: OTLP decoding, the store, the pipeline's own code, and logs in the context.

import type { Incident } from '../incidents/index.js';
import { harmlessDeployBefore } from '../sim/index.js';
import { drillPlan, type DrillOptions } from './drill.js';
import { partitionIncidents, scoreDrill } from './drill-score.js';
import type { DrillResult, IncidentDetail } from './drill-score.js';
import { replayEngines } from './engine-replay.js';

const MIN = 60_000;

export async function runEngineDrill(o: Omit<DrillOptions, 'env' | 'batchMs'>): Promise<DrillResult> {
  const { def, topology, startMs, onsetMs, clearMs, endMs } = drillPlan(o);
  const wallStart = Date.now();
  let lastReport = startMs;
  const r = await replayEngines({
    seed: o.seed ?? 1,
    startMs,
    durationMs: endMs - startMs,
    rps: o.rps ?? 6,
    stepMs: 10_000,
    topology,
    ...(o.backgroundErrorRate !== undefined ? { backgroundErrorRate: o.backgroundErrorRate } : {}),
    ...(o.deployEveryMs !== undefined ? { deployEveryMs: o.deployEveryMs } : {}),
    ...(o.harmlessDeploy ? { deploys: [harmlessDeployBefore(def, onsetMs, o.seed ?? 1)] } : {}),
    faults: [{ name: o.fault, atMs: onsetMs, clearAtMs: clearMs }],
    // The customer-facing service is known, as a user would configure it.
    incidents: { entryServices: [topology.entryService] },
    onBatch: (nowMs) => {
      if (o.progress && nowMs - lastReport >= 30 * MIN) {
        lastReport = nowMs;
        o.progress(`${o.fault}: event time +${Math.round((nowMs - startMs) / MIN)} min of ${Math.round((endMs - startMs) / MIN)}`);
      }
    },
  });
  const listed = r.incidents.map(asDetail);
  const primary = partitionIncidents(def, listed, { onsetMs, clearMs }).related[0];
  return scoreDrill(def, listed, primary, { onsetMs, clearMs, mode: 'replay', spans: r.spans, wallMs: Date.now() - wallStart });
}

/** The incident as the API would show it, for the shared scoring. */
function asDetail(i: Incident): IncidentDetail {
  const iso = (ms: number): string => new Date(ms).toISOString();
  const top = i.rootCauses[0];
  return {
    id: i.id,
    title: i.title,
    severity: i.severity,
    status: i.status,
    services: [...i.services],
    detectedAt: iso(i.detectedAtMs),
    startedAt: iso(i.startedAtMs),
    resolvedAt: i.resolvedAtMs !== undefined ? iso(i.resolvedAtMs) : null,
    ...(top ? { topRootCause: { service: top.service, kind: top.kind, score: top.score } } : {}),
    rootCauses: i.rootCauses.map((c) => ({ service: c.service, kind: c.kind, score: c.score, explanation: c.explanation })),
    context: i.context ?? null,
    signals: i.signals.map((s) => ({ kind: s.kind, status: s.status })),
    timeline: i.timeline.map((e) => ({ at: iso(e.atMs), kind: e.kind, text: e.text, ...(e.data ? { data: e.data } : {}) })),
  };
}
