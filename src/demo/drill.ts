// Fire drills in replay mode: a fresh Vigil in event-clock mode is fed the simulator's telemetry
// (OTLP/JSON over its real receivers, changes over its API) with one fault injected; the drill
// then reads the incidents back and scores them against the fault's ground truth: time to
// detect, top root cause, severity, false incidents and time to all-clear.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFault, simulateShop } from '../sim/index.js';
import type { FaultDefinition } from '../sim/index.js';
import { logsRequest, metricsRequest, tracesRequest } from '../sim/otlp.js';
import { startVigilChild } from './vigil-process.js';
import type { WatchedIncident } from './incident-watch.js';

export interface DrillOptions {
  fault: string;
  seed?: number;
  /** Event time of the start of the scenario (default 2026-11-03 13:00 UTC). */
  startMs?: number;
  warmupMs?: number; // healthy traffic before the fault (default 40 min)
  faultMs?: number; // how long the fault lasts (default 15 min)
  afterMs?: number; // healthy traffic after clearing (default 25 min: all-clear waits 10 stable minutes after the last recovery)
  rps?: number; // default 6
  /** Event time per OTLP request (default 10 s): fewer, larger requests replay faster. */
  batchMs?: number;
  env: Record<string, string | undefined>;
  progress?: (text: string) => void;
}

/** An incident as GET /api/v1/incidents lists it. */
interface IncidentListItem extends WatchedIncident {
  startedAt: string;
  resolvedAt?: string | null;
}

interface IncidentDetail extends IncidentListItem {
  rootCauses?: Array<{ service: string; kind: string; score: number; explanation: string }>;
}

export interface DrillResult {
  fault: string;
  truth: { rootService: string; rootKind: string };
  detected: boolean;
  timeToDetectMs?: number;
  incidentTitle?: string;
  severity?: string;
  topRootCause?: { service: string; kind: string };
  rcaAt1: boolean;
  rcaAt3: boolean;
  falseIncidents: number;
  falseIncidentTitles: string[];
  duplicates: number;
  timeToAllClearMs?: number;
  spans: number;
  replayWallMs: number;
}

const KEY = 'drill-local-key-0123456789abcdef';
const MIN = 60_000;

export async function runReplayDrill(o: DrillOptions): Promise<DrillResult> {
  const def = getFault(o.fault);
  const startMs = o.startMs ?? Date.UTC(2026, 10, 3, 13, 0, 0);
  const onsetMs = startMs + (o.warmupMs ?? 40 * MIN);
  const clearMs = onsetMs + (o.faultMs ?? 15 * MIN);
  const endMs = clearMs + (o.afterMs ?? 25 * MIN);
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-drill-'));
  const wallStart = Date.now();
  const vigil = await startVigilChild({ dataDir, apiKey: KEY, clock: 'event', env: o.env });
  try {
    const post = async (url: string, body: unknown): Promise<void> => {
      const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(120_000) });
      const text = await res.text();
      if (!res.ok) throw new Error(`POST ${url} answered ${res.status}: ${text.slice(0, 300)}`);
    };
    let spans = 0;
    let lastReport = 0;
    for (const batch of simulateShop({ seed: o.seed ?? 1, startMs, durationMs: endMs - startMs, rps: o.rps ?? 6, stepMs: o.batchMs ?? 10_000, faults: [{ name: o.fault, atMs: onsetMs, clearAtMs: clearMs }] })) {
      for (const c of batch.changes) {
        const time = new Date(c.timeMs).toISOString();
        if (c.kind === 'deploy') await post(`${vigil.apiUrl}/api/v1/deployments`, { service: c.service, version: c.version, environment: c.environment, commit: c.commit, description: c.description, time, attributes: c.attributes });
        else await post(`${vigil.apiUrl}/api/v1/changes`, { service: c.service, kind: c.kind, description: c.description, time, attributes: c.attributes, environment: c.environment });
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
    await waitForWatermark(vigil.apiUrl, endMs - 10_000);
    const incidents = await listIncidents(vigil.apiUrl);
    return await score(def, incidents, vigil.apiUrl, { onsetMs, clearMs, spans, wallStart });
  } finally {
    await vigil.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${KEY}` }, signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return (await res.json()) as T;
}

async function waitForWatermark(apiUrl: string, targetMs: number): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const h = await getJson<{ watermarkMs?: number; watermark?: string }>(`${apiUrl}/api/v1/health`);
    const w = h.watermarkMs ?? (h.watermark ? Date.parse(h.watermark) : 0);
    if (w >= targetMs) return;
    if (Date.now() - t0 > 120_000) throw new Error(`watermark stuck at ${new Date(w).toISOString()}, expected ${new Date(targetMs).toISOString()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function listIncidents(apiUrl: string): Promise<IncidentListItem[]> {
  const out: IncidentListItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await getJson<{ incidents: IncidentListItem[]; nextCursor?: string }>(`${apiUrl}/api/v1/incidents?status=all&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.incidents);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

async function score(def: FaultDefinition, incidents: IncidentListItem[], apiUrl: string, run: { onsetMs: number; clearMs: number; spans: number; wallStart: number }): Promise<DrillResult> {
  const involved = new Set([...def.affectedServices, def.truth.rootService]);
  const related = incidents
    .filter((i) => {
      const at = Date.parse(i.detectedAt);
      return at >= run.onsetMs && at <= run.clearMs + 5 * MIN && i.services.some((s) => involved.has(s));
    })
    .sort((a, b) => Date.parse(a.detectedAt) - Date.parse(b.detectedAt));
  const primary = related[0];
  // Unrelated incidents are false alarms; extra incidents about the fault are duplicates (the goal
  // is one incident per problem).
  const others = incidents.filter((i) => !related.includes(i));
  const result: DrillResult = {
    fault: def.name,
    truth: def.truth,
    detected: primary !== undefined,
    rcaAt1: false,
    rcaAt3: false,
    falseIncidents: others.length,
    falseIncidentTitles: others.map((i) => i.title),
    duplicates: Math.max(0, related.length - 1),
    spans: run.spans,
    replayWallMs: Date.now() - run.wallStart,
  };
  if (!primary) return result;
  const detail = await getJson<IncidentDetail>(`${apiUrl}/api/v1/incidents/${encodeURIComponent(primary.id)}`);
  const causes = detail.rootCauses ?? [];
  const right = (c: { service: string; kind: string }): boolean => c.service === def.truth.rootService && c.kind === def.truth.rootKind;
  result.timeToDetectMs = Date.parse(primary.detectedAt) - run.onsetMs;
  result.incidentTitle = primary.title;
  result.severity = primary.severity;
  if (causes[0]) result.topRootCause = { service: causes[0].service, kind: causes[0].kind };
  result.rcaAt1 = causes[0] !== undefined && right(causes[0]);
  result.rcaAt3 = causes.slice(0, 3).some(right);
  if (primary.resolvedAt) result.timeToAllClearMs = Date.parse(primary.resolvedAt) - run.clearMs;
  return result;
}
