// A fast, in-process fire drill: the simulator's telemetry fed straight to the pure engines
// (detection, dependency graph, incidents, root cause, impact over in-memory spans) in event
// time, as the pipeline drives them, without HTTP or a store. Tests and benches use it to replay
// hours of a shop in seconds; `vigil drill` remains the end-to-end check over OTLP.

import { assembleContext, impactFromContext, InMemoryContextQueries } from '../context/index.js';
import { DetectionEngine } from '../detect/index.js';
import type { DetectionConfigInput } from '../detect/index.js';
import { IncidentEngine } from '../incidents/index.js';
import type { Incident, IncidentConfigInput, IncidentUpdate } from '../incidents/index.js';
import type { ChangeEvent, Signal, Span } from '../model/index.js';
import { concernedByChange, DependencyGraph, RankRefresh, rankIncident, withDeclaredEdges } from '../rca/index.js';
import type { DeclaredEdge, MergedGraph } from '../rca/index.js';
import { simulateShop } from '../sim/index.js';
import type { SimBatch, SimOptions } from '../sim/index.js';

export interface EngineReplayOptions extends SimOptions {
  detect?: DetectionConfigInput;
  incidents?: IncidentConfigInput;
  /** vigil.yaml's `topology.edges`: merged with the learned graph as the pipeline does, for correlation and ranking alike. */
  declaredEdges?: readonly DeclaredEdge[];
  /** Measure impact from the replayed spans as the pipeline does from the store (default true). */
  impact?: boolean;
  /** Called after each batch with the engines' time, to stop early or watch progress. */
  onBatch?: (nowMs: number, incidents: IncidentEngine) => boolean | void;
}

export interface EngineReplayResult {
  incidents: Incident[];
  signals: Signal[];
  updates: Array<{ atMs: number; event: IncidentUpdate['event']; id: string; title: string; severity: string }>;
  spans: number;
  /** The graph correlation and the ranking read: learned from the spans, plus the declared edges. */
  graph: MergedGraph;
}

/** Event clock: windows close one bucket behind the newest event time, as in the pipeline. */
const LATENESS_MS = 10_000;
/** Spans kept for impact: the context reads 30 min before an onset and up to 60 min after it. */
const SPAN_MEMORY_MS = 95 * 60_000;
const SIGNAL_MEMORY_MS = 2 * 3_600_000;
const IMPACT_EVERY_MS = 30_000;

export async function replayEngines(o: EngineReplayOptions): Promise<EngineReplayResult> {
  const detection = new DetectionEngine(o.detect ?? {});
  const learned = new DependencyGraph({});
  // One merged graph for incidents and ranking, as the pipeline builds it (none declared: the learned graph).
  const graph = withDeclaredEdges(learned, o.declaredEdges ?? []);
  const incidents = new IncidentEngine({ retainResolved: 100_000, ...o.incidents });
  const entryConfig = incidents.config.entryServices;
  const signals: Signal[] = [];
  const updates: EngineReplayResult['updates'] = [];
  const changes: ChangeEvent[] = [];
  let recent: Signal[] = [];
  // Open incidents are ranked again when later evidence concerns them, as the pipeline does.
  const rankRefresh = new RankRefresh();
  const rank = (incident: Incident, nowMs: number): void => {
    const rc = incidents.setRootCauses(
      incident.id,
      rankIncident(
        incident,
        { recentSignals: recent, elevated: detection.elevatedShifts(), changes, graph, options: { correlationWindowMs: incidents.config.correlationWindowMs } },
        nowMs,
      ),
      nowMs,
    );
    if (rc) record([rc], nowMs);
  };
  let spans: Span[] = [];
  let spanCount = 0;
  let watermark = 0;

  const record = (list: IncidentUpdate[], atMs: number): void => {
    for (const u of list) updates.push({ atMs, event: u.event, id: u.incident.id, title: u.incident.title, severity: u.incident.severity });
  };
  // Impact is re-measured at most every 30 s of event time per incident: over in-memory spans each
  // measurement scans them all, and a busy incident is touched by many signals in a row.
  const measuredAt = new Map<string, number>();
  let queries: InMemoryContextQueries | undefined;
  const enrich = async (id: string, nowMs: number): Promise<void> => {
    const incident = incidents.get(id);
    if (!incident) return;
    rank(incident, nowMs);
    if (o.impact === false || nowMs - (measuredAt.get(id) ?? -Infinity) < IMPACT_EVERY_MS) return;
    measuredAt.set(id, nowMs);
    const entries = entryConfig.length
      ? entryConfig
      : graph
          .nodes()
          .filter((n) => n.kind === 'service' && graph.isEntry(n.name))
          .map((n) => n.name);
    queries ??= new InMemoryContextQueries({ spans, logs: [], changes });
    const context = await assembleContext(incidents.get(id) ?? incident, queries, { nowMs, entryServices: entries.length ? entries : incident.services });
    incidents.setContext(id, context);
    const impact = incidents.setImpact(id, impactFromContext(context), nowMs);
    if (impact) record([impact], nowMs);
  };
  const advance = async (nowMs: number): Promise<void> => {
    const fired = detection.advance(nowMs);
    signals.push(...fired);
    recent.push(...fired);
    recent = recent.filter((s) => (s.endedAtMs ?? nowMs) >= nowMs - SIGNAL_MEMORY_MS);
    const list = [...incidents.onSignals(fired, nowMs, graph), ...incidents.tick(nowMs)];
    record(list, nowMs);
    const touched = new Set(list.filter((u) => ['opened', 'signal-added', 'reopened'].includes(u.event)).map((u) => u.incident.id));
    queries = undefined;
    for (const id of touched) await enrich(id, nowMs);
    for (const incident of rankRefresh.due(fired, detection.elevatedShifts(), nowMs, () => incidents.list({ status: 'open' }), touched)) rank(incident, nowMs);
  };

  for (const batch of simulateShop(o)) {
    for (const c of batch.changes) {
      changes.push(c);
      detection.observeChange(c);
      record(incidents.onChange(c, watermark), watermark);
      for (const incident of concernedByChange(c, incidents.list({ status: 'open' }))) rank(incident, watermark);
    }
    detection.observeSpans(batch.spans);
    detection.observeLogs(batch.logs);
    detection.observeMetrics(batch.metrics);
    learned.observeSpans(batch.spans);
    spanCount += batch.spans.length;
    if (o.impact !== false) {
      spans.push(...batch.spans);
      if (spans.length > 0 && (spans[0]?.startTimeMs ?? 0) < batch.timeMs - SPAN_MEMORY_MS - 60_000)
        spans = spans.filter((s) => s.startTimeMs >= batch.timeMs - SPAN_MEMORY_MS);
    }
    const t = maxEventTime(batch);
    if (t > watermark) {
      watermark = t;
      await advance(t - LATENESS_MS);
    }
    if (o.onBatch?.(watermark, incidents) === true) break;
  }
  return { incidents: incidents.list({ status: 'all' }).reverse(), signals, updates, spans: spanCount, graph };
}

function maxEventTime(batch: SimBatch): number {
  let t = 0;
  for (const s of batch.spans) t = Math.max(t, s.startTimeMs + s.durationMs);
  for (const l of batch.logs) t = Math.max(t, l.timeMs);
  for (const m of batch.metrics) t = Math.max(t, m.timeMs);
  return t;
}
