// The release-validation adapter: keeps the pure ReleaseEngine beside the pipeline's engines (fed
// the same acknowledged spans, deploys and signals, advanced on the same clock), stores its state
// in the engine-state table, answers the API (verdicts, reports, the canary judge from stored
// spans) and hands failed releases to the remediation runner. It also looks up what the pure engine
// cannot: the previous version at the same time of day on previous days, and the runs of the smoke
// checks a deploy triggered (stored by synthetics).
import type { Logger } from '../logger.js';
import type { ChangeEvent, IncidentRecord, MetricPoint, Signal, Span } from '../model/index.js';
import { addToSketch, emptySketch } from '../detect/index.js';
import {
  actionsFor,
  judgeCanary,
  releaseReportHtml,
  releaseReportMarkdown,
  ReleaseEngine,
  type CanaryBucket,
  type CanaryJudgement,
  type DeploymentRecord,
  type ReleaseConfig,
  type ReleaseSnapshot,
  type RemediationRun,
  type RemediationSuggestion,
  type ReleaseConfidence,
} from '../release/index.js';
import { loadSnapshot, saveSnapshot, versionLatencyQuantile, versionRequests, versionTrafficBins, type StoreClient } from '../store/index.js';
import type { RedAggregate } from '../release/index.js';
import { ChangeRefused } from './refused.js';
import type { KpiAroundReader } from './kpi-series.js';
import { RemediationRunner, type RemediationIncidents, type RemediationRunnerOptions } from './remediation-runner.js';

const snapshotName = 'release';
const snapshotEveryMs = 30_000;
/** Requests a canary judgement reads at most from the store. */
const maxJudgedRequests = 500_000;
const dayMs = 86_400_000;
/** How often the runs of pending smoke checks are read (the monitor stores runs once a second). */
const smokePollMs = 2_000;
/** A smoke check that has not run this long after its deploy is no longer polled (wall time). */
const smokeGiveUpMs = 3_600_000;

interface StoredState {
  engine: ReleaseSnapshot;
  remediations: RemediationRun[];
  /** Deployment id → wall time its smoke checks were triggered (their runs are stamped in wall time). */
  smokeSince?: Record<string, number>;
}

/** A stored run of a check, as synthetics keeps it. */
export interface CheckRunRead {
  atMs: number;
  ok: boolean;
  durationMs: number;
  error: string;
  traceId: string;
}

/** What the pipeline calls, in its serial order, beside its own engines. */
export interface ReleaseCompanion {
  observeSpans(spans: readonly Span[]): void;
  observeMetrics(points: readonly MetricPoint[]): void;
  observeChange(change: ChangeEvent, nowMs: number): void;
  /** Signals decided outside the clock advance (synthetic checks). */
  observeSignals(signals: readonly Signal[]): void;
  /** The detectors' signals of this advance in; release signals (a failed deploy, its recovery) out. */
  advance(signals: readonly Signal[], nowMs: number): Signal[];
}

export interface ReleaseServiceOptions {
  store: StoreClient;
  config: ReleaseConfig;
  log: Logger;
  audit: RemediationRunnerOptions['audit'];
  /** The engine's clock (set once the pipeline exists). */
  now: () => number;
  /** Resolves once acknowledged telemetry is queryable (the judge reads stored spans). */
  telemetryVisible?: () => Promise<void>;
  /** A check's stored runs in a wall-time window, newest first (synthetics' monitor.runs). */
  smokeRuns?: (check: string, fromMs: number, toMs: number, limit: number) => Promise<CheckRunRead[]>;
  /** Declared business KPIs around a deploy, for its report (pipeline/kpi-series.ts). */
  kpisAround?: KpiAroundReader;
}

export class ReleaseService implements ReleaseCompanion {
  readonly remediation: RemediationRunner;
  private timer?: NodeJS.Timeout;
  private smokeTimer?: NodeJS.Timeout;
  private polling = false;
  private incidents?: RemediationIncidents;
  /** Production confidence with this deployment's own verdict (set by the server from pipeline/confidence-service.ts). */
  confidenceOf?: (record: DeploymentRecord) => Promise<ReleaseConfidence | undefined> | ReleaseConfidence | undefined;

  private constructor(
    private readonly o: ReleaseServiceOptions,
    private readonly engine: ReleaseEngine,
    history: RemediationRun[],
    private readonly smokeSince: Record<string, number>,
  ) {
    this.remediation = new RemediationRunner({
      config: o.config.remediation,
      log: o.log,
      audit: o.audit,
      now: () => o.now(),
      releaseRecovered: (id) => engine.recovered(id),
      history,
    });
  }

  /** Restores the watches (a restart continues them) and re-asks what was being looked up when it stopped. */
  static async open(o: ReleaseServiceOptions): Promise<ReleaseService> {
    const stored = await loadSnapshot<StoredState>(o.store, snapshotName);
    const service = new ReleaseService(o, new ReleaseEngine(o.config, stored?.engine), stored?.remediations ?? [], stored?.smokeSince ?? {});
    for (const r of service.engine.list()) if (r.reference?.awaiting) void service.lookUpReference(r.deployment.id);
    return service;
  }

  /** Incident lookups and timeline notes for remediation (the incident service exists after the pipeline). */
  attachIncidents(incidents: RemediationIncidents): void {
    this.incidents = incidents;
    this.remediation.attachIncidents(incidents);
  }

  start(): void {
    this.timer = setInterval(() => void this.save().catch((err: unknown) => this.o.log.error({ err }, 'release snapshot failed')), snapshotEveryMs);
    this.timer.unref();
    this.smokeTimer = setInterval(() => void this.pollSmoke(), smokePollMs);
    this.smokeTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.smokeTimer) clearInterval(this.smokeTimer);
    await this.remediation.stop();
    await this.save();
  }

  // ── companion ──
  observeSpans(spans: readonly Span[]): void {
    this.engine.observeSpans(spans);
  }

  observeMetrics(points: readonly MetricPoint[]): void {
    this.engine.observeMetrics(points);
  }

  observeChange(change: ChangeEvent, nowMs: number): void {
    if (change.kind !== 'deploy' || !change.version) return;
    const awaitReference = this.o.config.sameTimeOfDayDays > 0;
    this.engine.observeDeploy(
      { id: change.id, service: change.service, version: change.version, previousVersion: change.previousVersion, timeMs: change.timeMs },
      nowMs,
      { awaitReference },
    );
    if (awaitReference && this.engine.get(change.id)?.reference?.awaiting) void this.lookUpReference(change.id);
  }

  /** The smoke checks a deploy triggered (synthetics ran them at once): their runs join its verdict. */
  expectSmoke(deploymentId: string, checks: readonly string[]): void {
    if (!checks.length || !this.engine.get(deploymentId)) return;
    this.engine.expectSmoke(deploymentId, checks);
    // A second of slack: the monitor stamps a run with its start, which may precede this call by a tick.
    this.smokeSince[deploymentId] ??= Date.now() - 1000;
  }

  observeSignals(signals: readonly Signal[]): void {
    this.engine.observeSignals(signals);
  }

  advance(signals: readonly Signal[], nowMs: number): Signal[] {
    this.engine.observeSignals(signals);
    const update = this.engine.advance(nowMs);
    for (const r of update.decided) {
      this.o.log.info(
        { deployment: r.deployment.id, service: r.deployment.service, version: r.deployment.version, verdict: r.verdict.status },
        'release verdict',
      );
      if (r.verdict.status === 'fail') this.remediation.onFailedRelease(r);
    }
    return update.signals;
  }

  // ── API port ──
  record(deploymentId: string): DeploymentRecord | undefined {
    return this.engine.get(deploymentId);
  }

  list(service?: string): DeploymentRecord[] {
    return this.engine.list(service);
  }

  /** The confidence indicator's view of a service's latest deployment (pipeline/confidence-service.ts). */
  latestVerdict(service: string): { version: string; status: DeploymentRecord['verdict']['status']; summary: string } | undefined {
    const r = this.engine.list(service)[0];
    return r ? { version: r.deployment.version, status: r.verdict.status, summary: r.verdict.summary } : undefined;
  }

  async report(record: DeploymentRecord, format: 'md' | 'html'): Promise<string> {
    const kpis = (await this.o.kpisAround?.({ startMs: record.deployment.timeMs, endMs: record.windowEndMs }, this.o.now())) ?? [];
    const confidence = await this.confidenceOf?.(record);
    return format === 'html' ? releaseReportHtml(record, kpis, confidence) : releaseReportMarkdown(record, kpis, confidence);
  }

  /** The canary side by side, as a whole and per route (or only `route`): the worst decides. */
  async judge(q: { service: string; baselineVersion: string; canaryVersion: string; fromMs: number; toMs: number; route?: string }): Promise<CanaryJudgement> {
    await this.o.telemetryVisible?.();
    const config = this.o.config;
    // The threshold comes from before the window, so the window's data is judged against a fixed line.
    const before = await versionLatencyQuantile(this.o.store, {
      service: q.service,
      version: q.baselineVersion,
      fromMs: q.fromMs - config.baselineMs,
      toMs: q.fromMs,
      quantile: config.latencyQuantile,
    });
    const rows = await versionRequests(this.o.store, {
      service: q.service,
      versions: [q.baselineVersion, q.canaryVersion],
      fromMs: q.fromMs,
      toMs: q.toMs,
      limit: maxJudgedRequests,
    });
    const buckets = new Map<number, CanaryBucket>();
    for (const r of rows) {
      if (q.route !== undefined && r.route !== q.route) continue;
      const b = buckets.get(r.bucketMs) ?? {};
      const arm = r.version === q.canaryVersion ? 'candidate' : 'baseline';
      for (const arms of [b, ((b.routes ??= {})[r.route] ??= {})]) {
        const agg = (arms[arm] ??= { requests: 0, errors: 0, latency: emptySketch() });
        agg.requests++;
        if (r.failed) agg.errors++;
        addToSketch(agg.latency, r.durationMs);
      }
      buckets.set(r.bucketMs, b);
    }
    const ordered = [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
    // The service's percentile before the window is no line for one route: its first baseline requests set it.
    return judgeCanary(ordered, config, before.requests >= 50 && q.route === undefined ? before.quantileMs : undefined);
  }

  async remediations(incidentId: string): Promise<{ actions: RemediationSuggestion[]; runs: RemediationRun[] }> {
    return this.remediationsFor(await this.requireIncident(incidentId));
  }

  /** The actions configured for the incident's services, those of blamed services first, and the runs so far. */
  remediationsFor(incident: IncidentRecord): { actions: RemediationSuggestion[]; runs: RemediationRun[] } {
    const services = new Set([...incident.rootCauses.map((c) => c.service), ...incident.services]);
    const blamed = new Map(incident.rootCauses.map((c) => [c.service, c] as const));
    const actions = [...services].flatMap((s) =>
      actionsFor(this.o.config.remediation, s).map((a): RemediationSuggestion => {
        const cause = blamed.get(s);
        const run = { method: 'POST' as const, path: `/api/v1/incidents/${encodeURIComponent(incident.id)}/remediations/${encodeURIComponent(a.name)}/run` };
        return {
          id: a.name,
          name: a.name,
          service: a.service,
          kind: a.kind,
          auto: a.auto,
          ...(cause ? { besideRootCause: { service: cause.service, kind: cause.kind, score: cause.score } } : {}),
          run,
        };
      }),
    );
    return { actions, runs: this.remediation.runs.filter((r) => r.incidentId === incident.id) };
  }

  async runRemediation(incidentId: string, actionName: string, actor: string): Promise<RemediationRun> {
    const incident = await this.requireIncident(incidentId);
    const action = this.o.config.remediation.actions.find((a) => a.name === actionName);
    if (!action) throw new ChangeRefused('VIGIL_NOT_FOUND', `no remediation action named "${actionName}" in vigil.yaml release.remediation.actions`);
    const services = new Set([...incident.services, ...incident.rootCauses.map((c) => c.service)]);
    if (!services.has(action.service))
      throw new ChangeRefused('VIGIL_BAD_REQUEST', `action "${actionName}" acts on ${action.service}, which is not part of incident ${incidentId}`);
    const deploy = incident.signals.find((s) => s.key.startsWith(`release:${action.service}:`))?.evidence.deploymentId;
    return this.remediation.run(action, {
      trigger: 'approval',
      actor,
      incidentId,
      reason: incident.title,
      ...(typeof deploy === 'string' ? { deploymentId: deploy } : {}),
    });
  }

  private async requireIncident(id: string): Promise<IncidentRecord> {
    const found = await this.incidents?.get(id);
    if (!found) throw new ChangeRefused('VIGIL_NOT_FOUND', `no incident ${id}`);
    return found.record;
  }

  /** The previous version's requests in the watch's time-of-day window on each of the previous days. */
  private async lookUpReference(id: string): Promise<void> {
    const d = this.engine.get(id)?.deployment;
    if (!d) return;
    try {
      // Not awaited by the pipeline: this waits for acknowledged rows to be queryable without holding ingest.
      await this.o.telemetryVisible?.();
      const { windowMs, sameTimeOfDayDays } = this.o.config;
      const windows = Array.from({ length: sameTimeOfDayDays }, (_, i) => ({
        fromMs: d.timeMs - (i + 1) * dayMs,
        toMs: Math.min(d.timeMs, d.timeMs - (i + 1) * dayMs + windowMs),
      }));
      const bins = d.previousVersion ? await versionTrafficBins(this.o.store, { service: d.service, version: d.previousVersion, windows }) : [];
      const routes: Record<string, RedAggregate> = {};
      const days = new Set<number>();
      for (const b of bins.sort((x, y) => x.bin - y.bin)) {
        if (b.window < 0) continue;
        days.add(b.window);
        for (const route of [b.route, '']) addBin((routes[route] ??= { requests: 0, errors: 0, latency: emptySketch() }), b.bin, b.requests, b.errors);
      }
      this.engine.setReference(id, days.size ? { routes, days: days.size } : undefined);
    } catch (err) {
      this.o.log.warn({ deployment: id, reason: (err as Error).message }, 'release: could not read the same time of day; judging against the hour before');
      this.engine.setReference(id, undefined);
    }
  }

  /** Reads the runs of the smoke checks still pending and hands the new ones to the engine. */
  private async pollSmoke(): Promise<void> {
    if (this.polling || !this.o.smokeRuns) return;
    this.polling = true;
    try {
      const wallNow = Date.now();
      for (const [id, since] of Object.entries(this.smokeSince)) {
        const r = this.engine.get(id);
        const pending = r?.verdict.status === 'watching' ? (r.smoke ?? []).filter((x) => x.status === 'pending') : [];
        if (!pending.length || wallNow - since > smokeGiveUpMs) {
          delete this.smokeSince[id];
          continue;
        }
        for (const x of pending) {
          const runs = await this.o.smokeRuns(x.check, since, wallNow + smokePollMs, 5);
          for (const run of runs.reverse())
            this.engine.observeSmokeRun(id, {
              check: x.check,
              atMs: run.atMs,
              ok: run.ok,
              durationMs: run.durationMs,
              ...(run.traceId ? { traceId: run.traceId } : {}),
              ...(run.error ? { error: run.error } : {}),
            });
        }
      }
    } catch (err) {
      this.o.log.warn({ reason: (err as Error).message }, 'release: could not read smoke check runs');
    } finally {
      this.polling = false;
    }
  }

  private save(): Promise<void> {
    const state: StoredState = { engine: this.engine.snapshot(), remediations: [...this.remediation.runs], smokeSince: this.smokeSince };
    return saveSnapshot(this.o.store, snapshotName, state, Date.now());
  }
}

/** Requests of one latency bin into a sketch (bins arrive in ascending order per route). */
function addBin(agg: RedAggregate, bin: number, requests: number, errors: number): void {
  agg.requests += requests;
  agg.errors += errors;
  const sketch = agg.latency;
  if (!sketch.counts.length) sketch.offset = bin;
  while (sketch.offset + sketch.counts.length <= bin) sketch.counts.push(0);
  sketch.counts[bin - sketch.offset]! += requests;
  sketch.count += requests;
}
