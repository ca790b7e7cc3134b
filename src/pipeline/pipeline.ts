// The pipeline adapter: feeds acknowledged telemetry and changes to the pure engines in arrival
// order, advances their clock (event-time watermark or wall clock), persists what they decide
// (signals, incidents, timeline, snapshots), enriches incidents with root causes, context and
// similar past incidents, and hands incident messages to the notifier.
import { randomUUID } from 'node:crypto';
import type { VigilConfig } from '../config/index.js';
import { DetectionEngine } from '../detect/index.js';
import type { ContextQueries } from '../context/index.js';
import { IncidentEngine, type Incident, type IncidentUpdate, type ManualTransition } from '../incidents/index.js';
import { KpiDetector, kpiAlarmFor, kpiSeries, type KpiDetectorSnapshot } from '../kpi/index.js';
import { type IngestLimits, type TelemetryBatch } from '../ingest/index.js';
import type { Logger } from '../logger.js';
import { customerSpans, type ChangeEvent, type ChangeInput, type IncidentRecord, type RootCause, type Signal } from '../model/index.js';
import type { Notifier } from '../notify/index.js';
import { SloEngine, type SloDefinition, type SloEngineSnapshot, type SloStatus } from '../slo/index.js';
import { concernedByChange, DependencyGraph, RankRefresh, rankIncident, withDeclaredEdges, type MergedGraph } from '../rca/index.js';
import { insertChanges, latestVersions, listChanges, loadSnapshot, saveSignals, saveSnapshot, saveSnapshotJson, type StoreClient } from '../store/index.js';
import { DeployInference } from './deploy-inference.js';
import type { ReleaseCompanion } from './release-service.js';
import { IncidentContextAssembly } from './context-assembly.js';
import { logIncidentUpdates } from './incident-log.js';
import { IncidentNotifications, type ChannelStats, type IncidentSilencer, type OpenActionItemsOf } from './incident-notifications.js';
import { IncidentRecorder } from './incident-recorder.js';
import type { IncidentActions } from './incident-service.js';
import { SimilarIncidentIndex } from './similar-index.js';
import { SerialQueue } from './serial.js';
import { EventWatermark, lateness } from './watermark.js';

export interface PipelineOptions {
  store: StoreClient;
  config: Readonly<VigilConfig>;
  log: Logger;
  eventClock: boolean;
  /** Resolves once acknowledged telemetry is queryable: incident context reads wait on it. */
  telemetryVisible?: () => Promise<void>;
  /** Where incident context is read from (the store's ClickHouse queries; built by the server). */
  contextQueries: ContextQueries;
  /** Delivers incident messages; absent when no channel is configured (built by the server). */
  notifier?: Notifier;
  /** Which silences cover an incident now: its notifications are then suppressed (src/silences). */
  silencer?: IncidentSilencer;
  /** Release validation, fed the same spans, deploys and signals on the same clock (src/release). */
  release?: ReleaseCompanion;
  /** Open action items of similar earlier incidents, shown in the incident's messages. */
  openActionItemsOf?: OpenActionItemsOf;
}

/** Incident updates as stored: the engine's events and the records written for them, at engine time `nowMs`. */
export type IncidentUpdatesListener = (updates: readonly IncidentUpdate[], records: readonly IncidentRecord[], nowMs: number) => void;

/** The pipeline's incident adapters, one per responsibility. */
interface IncidentParts {
  recorder: IncidentRecorder;
  contexts: IncidentContextAssembly;
  similar: SimilarIncidentIndex;
  notifications: IncidentNotifications;
}

interface PipelineSnapshot {
  watermarkMs: number;
}

const snapshotNames = { detect: 'detect', graph: 'graph', incidents: 'incidents', pipeline: 'pipeline', slo: 'slo', kpi: 'kpi' } as const;
const tickMs = 2_000;
const snapshotEveryMs = 30_000;
const changeMemoryMs = 24 * 3_600_000;
const signalMemoryMs = 2 * 3_600_000;

export class Pipeline implements IncidentActions {
  readonly ingestLimits: IngestLimits;
  private watermark = 0;
  /** Where event times move the watermark to, robust to a record with a broken clock. */
  private readonly eventWatermark = new EventWatermark();
  private lastAdvanceMs = 0;
  private readonly serial = new SerialQueue();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly inference = new DeployInference();
  private recentChanges: ChangeEvent[] = [];
  private recentSignals: Signal[] = [];
  /** Which open incidents evidence that arrived after their own signals concerns: their rankings are redone. */
  private readonly rankRefresh = new RankRefresh();
  private stats = { batches: 0, signals: 0, incidentsOpened: 0 };
  /** Told of every stored batch of incident updates (stakeholder updates react to them, no polling). */
  private readonly incidentListeners: IncidentUpdatesListener[] = [];
  /** Told of every deploy, recorded or inferred from a new service.version (smoke checks run on it). */
  private readonly deployListeners: Array<(deploy: ChangeEvent) => void> = [];
  /** Business KPIs (`kpis:`): their lasting drops are signals that raise incidents' severity. */
  private kpis: KpiDetector;
  /** What correlation, the ranking and the service map read: the learned graph plus vigil.yaml's `topology.edges`. */
  private readonly topology: MergedGraph;

  private constructor(
    private readonly o: PipelineOptions,
    private readonly detection: DetectionEngine,
    private readonly graph: DependencyGraph,
    private readonly incidents: IncidentEngine,
    private readonly parts: IncidentParts,
    private readonly slo: SloEngine,
  ) {
    this.ingestLimits = o.config.ingest;
    this.kpis = new KpiDetector(o.config.kpis, undefined, kpiAlarmFor(detection.config));
    this.topology = withDeclaredEdges(graph, o.config.topology.edges);
  }

  static async open(o: PipelineOptions): Promise<Pipeline> {
    const { store, config } = o;
    const [detectSnap, graphSnap, incidentSnap, own, sloSnap, kpiSnap] = await Promise.all([
      loadSnapshot<ConstructorParameters<typeof DetectionEngine>[1]>(store, snapshotNames.detect),
      loadSnapshot<ConstructorParameters<typeof DependencyGraph>[1]>(store, snapshotNames.graph),
      loadSnapshot<ConstructorParameters<typeof IncidentEngine>[1]>(store, snapshotNames.incidents),
      loadSnapshot<PipelineSnapshot>(store, snapshotNames.pipeline),
      loadSnapshot<SloEngineSnapshot>(store, snapshotNames.slo),
      loadSnapshot<KpiDetectorSnapshot>(store, snapshotNames.kpi),
    ]);
    // Declared KPIs are judged by the KPI watcher, which knows which way is bad; the generic metric
    // scorer leaves those series, so a welcome surge pages no one and a drop is one signal, not two.
    const detect = config.kpis.length
      ? { ...config.detect, metricAnomaly: { ...config.detect.metricAnomaly, skip: [...(config.detect.metricAnomaly?.skip ?? []), ...kpiSeries(config.kpis)] } }
      : config.detect;
    const detection = new DetectionEngine(detect, detectSnap);
    const graph = new DependencyGraph({}, graphSnap);
    const incidents = new IncidentEngine(config.incidents, incidentSnap);
    const parts: IncidentParts = {
      recorder: new IncidentRecorder(store),
      contexts: new IncidentContextAssembly(o.contextQueries, o.log, o.telemetryVisible ?? (() => Promise.resolve()), config.incidents.entryServices),
      similar: await SimilarIncidentIndex.load(store),
      notifications: new IncidentNotifications(o.notifier, o.log, o.silencer),
    };
    const p = new Pipeline(o, detection, graph, incidents, parts, new SloEngine(config.slos, sloSnap));
    p.watermark = own?.watermarkMs ?? 0;
    p.kpis = new KpiDetector(config.kpis, kpiSnap, kpiAlarmFor(detection.config));
    p.eventWatermark.raiseTo(p.watermark);
    for (const [service, v] of await latestVersions(store)) p.inference.know(service, v.version);
    parts.notifications.onDelivered((id, text) => void p.recordDelivery(id, text));
    const since = (o.eventClock ? p.watermark : Date.now()) - changeMemoryMs;
    p.recentChanges = (await listChanges(store, { fromMs: since, limit: 5000 })).reverse();
    return p;
  }

  /** The live dependency graph with the declared edges, for reading (the API's service map); only the pipeline feeds it. */
  dependencyGraph(): Pick<MergedGraph, 'nodes' | 'edges' | 'serviceStats' | 'isEntry'> {
    return this.topology;
  }

  /** The engine's current time. */
  now(): number {
    return this.o.eventClock ? this.watermark : Date.now();
  }

  watermarkMs(): number {
    return this.o.eventClock ? this.watermark : this.lastAdvanceMs || Date.now();
  }

  status(): Record<string, unknown> {
    return { ...this.stats, recentSignals: this.recentSignals.length, openIncidents: this.openIncidents() };
  }

  openIncidents(): number {
    return this.incidents.list({ status: 'open' }).length;
  }

  /** How far the engines' clock is behind now (wall) or the newest event time seen (event). */
  detectionLagMs(): number {
    if (!this.lastAdvanceMs) return 0;
    return Math.max(0, (this.o.eventClock ? this.watermark : Date.now()) - this.lastAdvanceMs);
  }

  /** Replaces the SLOs judged at each clock advance (vigil.yaml's plus those created through the API). */
  defineSlos(slos: readonly SloDefinition[]): Promise<void> {
    return this.serial.run(() => Promise.resolve(this.slo.define(slos)));
  }

  /** Every SLO's attainment, budget and burn rates at the engine's current time. */
  sloStatuses(): SloStatus[] {
    return this.slo.statuses(this.now());
  }

  /** Calls `listener` after each batch of incident updates is stored; it must not throw or block (queue work). */
  onIncidentUpdates(listener: IncidentUpdatesListener): void {
    this.incidentListeners.push(listener);
  }

  /** Calls `listener` with each deploy once it is applied, recorded or inferred; it must not throw or block. */
  onDeploy(listener: (deploy: ChangeEvent) => void): void {
    this.deployListeners.push(listener);
  }

  notificationStats(): ChannelStats {
    return this.parts.notifications.stats();
  }

  ingest(batch: TelemetryBatch): Promise<void> {
    return this.serial.run(async () => {
      this.stats.batches++;
      const inferred = this.inference.infer(identities(batch), randomUUID);
      if (inferred.length) {
        await insertChanges(this.o.store, inferred);
        for (const c of inferred) await this.applyChange(c);
      }
      // A synthetic check's traffic is not customers': detection, release comparisons and SLOs
      // count without its traces (its own failures are signals of their own); the graph learns its calls.
      const spans = customerSpans(batch.spans);
      this.detection.observeSpans(spans);
      this.o.release?.observeSpans(spans);
      this.detection.observeLogs(batch.logs);
      this.detection.observeMetrics(batch.metrics);
      this.o.release?.observeMetrics(batch.metrics);
      this.kpis.observe(batch.metrics);
      this.slo.observeSpans(spans);
      this.slo.observeMetrics(batch.metrics);
      this.graph.observeSpans(batch.spans);
      if (this.o.eventClock) {
        const t = this.eventWatermark.observe(eventTimes(batch));
        if (t > this.watermark) {
          this.watermark = t;
          await this.advanceTo(t - lateness.eventMs);
        }
      }
    });
  }

  recordChange(input: ChangeInput): Promise<ChangeEvent> {
    return this.serial.run(async () => {
      const change: ChangeEvent = {
        id: randomUUID(),
        service: input.service,
        kind: input.kind,
        timeMs: input.timeMs ?? this.now(),
        version: input.version ?? '',
        previousVersion: input.kind === 'deploy' ? this.inferencePrevious(input.service) : '',
        environment: input.environment ?? '',
        commit: input.commit ?? '',
        description: input.description ?? '',
        source: input.source,
        attributes: input.attributes ?? {},
      };
      await insertChanges(this.o.store, [change]);
      if (change.kind === 'deploy') this.inference.know(change.service, change.version);
      await this.applyChange(change);
      return change;
    });
  }

  /** Throws the engine's coded errors (an unknown incident, an illegal transition); the API maps them. */
  transitionIncident(id: string, to: ManualTransition, actor: string, note?: string): Promise<void> {
    return this.serial.run(async () => {
      const update = this.incidents.transition(id, to, actor, this.now(), note);
      await this.persist([update], this.now());
    });
  }

  noteIncident(id: string, actor: string, text: string): Promise<void> {
    return this.serial.run(async () => {
      const update = this.incidents.addNote(id, actor, text, this.now());
      await this.persist([update], this.now());
    });
  }

  start(): void {
    if (!this.o.eventClock) {
      this.timers.push(
        setInterval(
          () =>
            void this.serial.run(() => this.advanceTo(Date.now() - lateness.wallMs)).catch((err: unknown) => this.o.log.error({ err }, 'clock tick failed')),
          tickMs,
        ),
      );
    }
    this.timers.push(
      setInterval(
        () => void this.serial.run(() => this.saveSnapshots({ final: false })).catch((err: unknown) => this.o.log.error({ err }, 'snapshot failed')),
        snapshotEveryMs,
      ),
    );
    this.parts.notifications.start();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.serial.run(() => this.saveSnapshots({ final: true }));
    await this.parts.notifications.stop();
  }

  /**
   * Signals decided outside the detection engine (synthetic checks): stored, then correlated into
   * incidents like any detector's, at the engine's current time.
   */
  reportSignals(signals: readonly Signal[]): Promise<void> {
    if (!signals.length) return Promise.resolve();
    return this.serial.run(async () => {
      const nowMs = this.now();
      this.o.release?.observeSignals(signals);
      this.stats.signals += signals.length;
      await saveSignals(this.o.store, [...signals], nowMs);
      this.recentSignals.push(...signals.filter((s) => s.status === 'firing'));
      await this.settle(this.incidents.onSignals([...signals], nowMs, this.topology), nowMs, signals);
    });
  }

  /** Event-time replays: close every window up to `nowMs` (used at the end of a replay). */
  flushTo(nowMs: number): Promise<void> {
    return this.serial.run(async () => {
      if (nowMs > this.watermark) this.watermark = nowMs;
      this.eventWatermark.raiseTo(nowMs);
      await this.advanceTo(nowMs);
    });
  }

  /** A delivered notification goes on the incident's timeline like any other event. */
  private recordDelivery(id: string, text: string): Promise<void> {
    return this.serial
      .run(async () => {
        const incident = this.incidents.get(id);
        if (!incident) return;
        this.incidents.recordNotification(id, text, this.now());
        const updated = this.incidents.get(id)!;
        await this.persist([{ incident: updated, event: 'notification', newTimeline: updated.timeline.slice(-1) }], this.now());
      })
      .catch((err: unknown) => this.o.log.error({ err }, 'could not record a notification'));
  }

  private inferencePrevious(service: string): string {
    const deploys = this.recentChanges.filter((c) => c.service === service && c.kind === 'deploy');
    return deploys[deploys.length - 1]?.version ?? '';
  }

  private async applyChange(change: ChangeEvent): Promise<void> {
    this.detection.observeChange(change);
    this.o.release?.observeChange(change, this.now());
    this.recentChanges.push(change);
    const updates = this.incidents.onChange(change, this.now());
    for (const incident of concernedByChange(change, this.incidents.list({ status: 'open' }))) updates.push(...this.rerank(incident, this.now()));
    if (updates.length) await this.persist(updates, this.now());
    if (change.kind === 'deploy') for (const listener of this.deployListeners) listener(change);
  }

  private async advanceTo(nowMs: number): Promise<void> {
    // When the clock advances next: the wall clock every tickMs; event time is expected one step
    // (its last one) ahead, so a burst due before then is not held back a whole batch gap.
    const stepMs = this.o.eventClock ? nowMs - this.lastAdvanceMs : tickMs;
    this.lastAdvanceMs = nowMs;
    // SLOs burn on the same clock as detection, so their pages join the same incidents in replays too.
    const signals = [...this.detection.advance(nowMs), ...this.slo.evaluate(nowMs), ...this.kpis.advance(nowMs)];
    // A failed release is a signal too, naming its deploy; it reads the detectors' new exceptions first.
    if (this.o.release) signals.push(...this.o.release.advance(signals, nowMs));
    if (signals.length) {
      this.stats.signals += signals.length;
      await saveSignals(this.o.store, signals, nowMs);
      this.recentSignals.push(...signals);
    }
    this.recentSignals = this.recentSignals.filter((s) => (s.endedAtMs ?? nowMs) >= nowMs - signalMemoryMs);
    this.recentChanges = this.recentChanges.filter((c) => c.timeMs >= nowMs - changeMemoryMs);
    // An SLO ticket (the slow 3 d / 6 h burn) is recorded and shown, never paged: it stays out of incidents.
    const paging = signals.filter((s) => s.kind !== 'slo-ticket');
    await this.settle([...this.incidents.onSignals(paging, nowMs, this.topology), ...this.incidents.tick(nowMs)], nowMs, signals);
    // Escalations and coalesced openings fall due on the engine clock, also while incidents are quiet.
    await this.parts.notifications.clockAdvanced(nowMs, nowMs + stepMs, (id) => this.incidents.get(id));
  }

  /**
   * Enriches the incidents the updates opened or grew, ranks again the other open incidents whose
   * minutes the new evidence (`fired`, new sub-threshold moves) falls in, then persists and notifies them all.
   */
  private async settle(updates: IncidentUpdate[], nowMs: number, fired: readonly Signal[]): Promise<void> {
    const touched = new Set(updates.filter((u) => ['opened', 'signal-added', 'reopened'].includes(u.event)).map((u) => u.incident.id));
    this.stats.incidentsOpened += updates.filter((u) => u.event === 'opened').length;
    for (const id of touched) updates.push(...(await this.enrich(id, nowMs)));
    const stale = this.rankRefresh.due(fired, this.detection.elevatedShifts(), nowMs, () => this.incidents.list({ status: 'open' }), touched);
    for (const incident of stale) updates.push(...this.rerank(incident, nowMs));
    if (updates.length) await this.persist(updates, nowMs);
  }

  private rank(incident: Incident, nowMs: number): RootCause[] {
    const evidence = {
      recentSignals: this.recentSignals,
      elevated: this.detection.elevatedShifts(),
      changes: this.recentChanges,
      graph: this.topology,
      options: { correlationWindowMs: this.incidents.config.correlationWindowMs },
    };
    return rankIncident(incident, evidence, nowMs);
  }

  /**
   * Ranks an incident again on later evidence. Only a new top cause is an update (news for the
   * responder); context does not read the ranking, so it is not assembled again, but the similar
   * past incidents follow the top cause.
   */
  private rerank(incident: Incident, nowMs: number): IncidentUpdate[] {
    const rc = this.incidents.setRootCauses(incident.id, this.rank(incident, nowMs), nowMs);
    if (!rc) return [];
    this.parts.similar.find(rc.incident);
    return [rc];
  }

  /** Root causes, customer impact (from stored telemetry) and similar past incidents. */
  private async enrich(id: string, nowMs: number): Promise<IncidentUpdate[]> {
    const out: IncidentUpdate[] = [];
    const incident = this.incidents.get(id);
    if (!incident) return out;
    const rc = this.incidents.setRootCauses(id, this.rank(incident, nowMs), nowMs);
    if (rc) out.push(rc);
    const context = await this.parts.contexts.assemble(this.incidents.get(id) ?? incident, nowMs, this.topology);
    if (context) {
      this.incidents.setContext(id, context.context);
      const impact = this.incidents.setImpact(id, context.impact, nowMs);
      if (impact) out.push(impact);
    }
    this.parts.similar.find(this.incidents.get(id) ?? incident);
    return out;
  }

  /** Stores the records and timeline of every incident touched, indexes resolved ones, notifies. */
  private async persist(updates: readonly IncidentUpdate[], nowMs: number): Promise<void> {
    const { recorder, contexts, similar, notifications } = this.parts;
    const enrichment = { contextOf: (id: string) => contexts.latestFor(id), similarTo: (id: string) => similar.similarTo(id) };
    const records = await recorder.record(updates, enrichment);
    for (const record of records) similar.remember(record);
    logIncidentUpdates(this.o.log, updates);
    for (const listener of this.incidentListeners) listener(updates, records, nowMs);
    await notifications.send(updates, nowMs, { ...enrichment, ...(this.o.openActionItemsOf ? { openActionItemsOf: this.o.openActionItemsOf } : {}) });
  }

  /** Periodic saves skip the graph's short-lived pairing buffer (megabytes); the final one keeps it. */
  private async saveSnapshots(o: { final: boolean }): Promise<void> {
    const at = Date.now();
    await Promise.all([
      saveSnapshot(this.o.store, snapshotNames.detect, this.detection.snapshot(), at),
      saveSnapshotJson(this.o.store, snapshotNames.graph, this.graph.snapshotJson({ withPairingBuffer: o.final }), at),
      saveSnapshot(this.o.store, snapshotNames.incidents, this.incidents.snapshot(), at),
      saveSnapshot(this.o.store, snapshotNames.pipeline, { watermarkMs: this.watermark } satisfies PipelineSnapshot, at),
      saveSnapshot(this.o.store, snapshotNames.slo, this.slo.snapshot(), at),
      saveSnapshot(this.o.store, snapshotNames.kpi, this.kpis.snapshot(), at),
    ]);
  }
}

function* identities(batch: TelemetryBatch): Iterable<{ service: string; serviceVersion: string; environment: string; timeMs: number }> {
  for (const s of batch.spans) yield { service: s.service, serviceVersion: s.serviceVersion, environment: s.environment, timeMs: s.startTimeMs };
  for (const l of batch.logs) yield { service: l.service, serviceVersion: l.serviceVersion, environment: l.environment, timeMs: l.timeMs };
  for (const m of batch.metrics) yield { service: m.service, serviceVersion: m.serviceVersion, environment: m.environment, timeMs: m.timeMs };
}

function eventTimes(batch: TelemetryBatch): number[] {
  const out: number[] = [];
  for (const s of batch.spans) out.push(s.startTimeMs + s.durationMs);
  for (const l of batch.logs) out.push(l.timeMs);
  for (const m of batch.metrics) out.push(m.timeMs);
  return out;
}
