// Fire drills in replay mode: a fresh Vigil in event-clock mode is fed the simulator's telemetry
// (OTLP/JSON over its real receivers, changes over its API) with one fault injected; the drill
// then reads the incidents back and scores them against the fault's ground truth with the code the
// live drill shares (drill-score.ts): time to detect, top root cause, severity, context, false
// incidents and time to all-clear.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFault, harmlessDeployBefore, simulateShop, topologyNamed } from '../sim/index.js';
import type { FaultDefinition, SimTopology } from '../sim/index.js';
import { logsRequest, metricsRequest, tracesRequest } from '../sim/index.js';
import { VigilClient } from '../client/index.js';
import { startVigilChild } from './vigil-process.js';
import { partitionIncidents, scoreDrill } from './drill-score.js';
import type { DrillResult, IncidentListItem } from './drill-score.js';

export interface DrillOptions {
  fault: string;
  seed?: number;
  /** Event time of the start of the scenario (default 2026-11-03 13:00 UTC). */
  startMs?: number;
  warmupMs?: number; // healthy traffic before the fault (default 40 min)
  faultMs?: number; // how long the fault lasts (default 15 min)
  afterMs?: number; // healthy traffic after clearing (default 25 min: all-clear waits 10 stable minutes after the last recovery)
  rps?: number; // default 6
  /** Simulated shop: 'shop' (the demo's, default) or 'marketplace' (the fault must be one of its). */
  topology?: string;
  /** Share of server spans failing for transient reasons (the simulator's default: 0.001). */
  backgroundErrorRate?: number;
  /** Mean time between harmless deploys of random services (the simulator's default: 20 min). */
  deployEveryMs?: number;
  /** Add a harmless deploy of an affected service 30–120 s before the fault (the confounder scenario). */
  harmlessDeploy?: boolean;
  /** Event time per OTLP request (default 10 s): fewer, larger requests replay faster. */
  batchMs?: number;
  env: Record<string, string | undefined>;
  progress?: (text: string) => void;
}

const KEY = 'drill-local-key-0123456789abcdef';
const MIN = 60_000;

/** A drill's fault, topology and event times (start, fault onset and clearing, end), from its options and their defaults. */
export function drillPlan(o: Pick<DrillOptions, 'fault' | 'topology' | 'startMs' | 'warmupMs' | 'faultMs' | 'afterMs'>): {
  def: FaultDefinition;
  topology: SimTopology;
  startMs: number;
  onsetMs: number;
  clearMs: number;
  endMs: number;
} {
  const def = getFault(o.fault);
  const topology = topologyNamed(o.topology ?? def.topology ?? 'shop');
  if ((def.topology ?? 'shop') !== topology.name) throw new Error(`fault ${def.name} belongs to the ${def.topology ?? 'shop'} topology, not ${topology.name}`);
  const startMs = o.startMs ?? Date.UTC(2026, 10, 3, 13, 0, 0);
  const onsetMs = startMs + (o.warmupMs ?? 40 * MIN);
  const clearMs = onsetMs + (o.faultMs ?? 15 * MIN);
  const endMs = clearMs + (o.afterMs ?? 25 * MIN);
  return { def, topology, startMs, onsetMs, clearMs, endMs };
}

export async function runReplayDrill(o: DrillOptions): Promise<DrillResult> {
  const { def, topology, startMs, onsetMs, clearMs, endMs } = drillPlan(o);
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-drill-'));
  const wallStart = Date.now();
  const vigil = await startVigilChild({ dataDir, apiKey: KEY, clock: 'event', env: o.env });
  try {
    const api = new VigilClient({ url: vigil.apiUrl, apiKey: KEY, timeoutMs: 120_000 });
    // OTLP is not the API: its receivers take the simulator's requests as they are.
    const post = async (url: string, body: unknown): Promise<void> => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(120_000),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`POST ${url} answered ${res.status}: ${text.slice(0, 300)}`);
    };
    let spans = 0;
    let lastReport = 0;
    for (const batch of simulateShop({
      seed: o.seed ?? 1,
      startMs,
      durationMs: endMs - startMs,
      rps: o.rps ?? 6,
      stepMs: o.batchMs ?? 10_000,
      topology,
      ...(o.backgroundErrorRate !== undefined ? { backgroundErrorRate: o.backgroundErrorRate } : {}),
      ...(o.deployEveryMs !== undefined ? { deployEveryMs: o.deployEveryMs } : {}),
      ...(o.harmlessDeploy ? { deploys: [harmlessDeployBefore(def, onsetMs, o.seed ?? 1)] } : {}),
      faults: [{ name: o.fault, atMs: onsetMs, clearAtMs: clearMs }],
    })) {
      for (const c of batch.changes) {
        const time = new Date(c.timeMs).toISOString();
        if (c.kind === 'deploy')
          await api.recordDeployment({
            service: c.service,
            version: c.version ?? '',
            environment: c.environment,
            commit: c.commit,
            description: c.description,
            time,
            attributes: c.attributes,
          });
        else
          await api.recordChange({ service: c.service, kind: c.kind, description: c.description, time, attributes: c.attributes, environment: c.environment });
      }
      if (batch.spans.length) await post(`${vigil.otlpUrl}/v1/traces`, tracesRequest(batch.spans));
      if (batch.logs.length) await post(`${vigil.otlpUrl}/v1/logs`, logsRequest(batch.logs));
      if (batch.metrics.length) await post(`${vigil.otlpUrl}/v1/metrics`, metricsRequest(batch.metrics));
      spans += batch.spans.length;
      if (o.progress && batch.timeMs - lastReport >= 5 * MIN) {
        lastReport = batch.timeMs;
        o.progress(`${o.fault}: event time +${Math.round((batch.timeMs - startMs) / MIN)} min of ${Math.round((endMs - startMs) / MIN)}, ${spans} spans`);
      }
    }
    await waitForWatermark(api, endMs - 10_000);
    const incidents = await listIncidents(api);
    return await score(def, incidents, api, { onsetMs, clearMs, spans, wallStart });
  } finally {
    await vigil.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Waits until the event-clock Vigil's watermark reaches targetMs (every window before it closed). */
export async function waitForWatermark(api: VigilClient, targetMs: number): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const h = await api.health();
    const w = h.watermarkMs ?? (h.watermark ? Date.parse(h.watermark) : 0);
    if (w >= targetMs) return;
    if (Date.now() - t0 > 120_000) throw new Error(`watermark stuck at ${new Date(w).toISOString()}, expected ${new Date(targetMs).toISOString()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Every incident, open or not, across the list's pages. */
export async function listIncidents(api: VigilClient): Promise<IncidentListItem[]> {
  const out: IncidentListItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.listIncidents({ status: 'all', limit: 1000, ...(cursor ? { cursor } : {}) });
    out.push(...page.incidents);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

async function score(
  def: FaultDefinition,
  incidents: IncidentListItem[],
  api: VigilClient,
  run: { onsetMs: number; clearMs: number; spans: number; wallStart: number },
): Promise<DrillResult> {
  const primary = partitionIncidents(def, incidents, run).related[0];
  const detail = primary ? await api.getIncident(primary.id) : undefined;
  return scoreDrill(def, incidents, detail, { ...run, mode: 'replay', wallMs: Date.now() - run.wallStart });
}
