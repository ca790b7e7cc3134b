// The release-validation adapter: keeps the pure ReleaseEngine beside the pipeline's engines (fed
// the same acknowledged spans, deploys and signals, advanced on the same clock), stores its state
// in the engine-state table, answers the API (verdicts, reports, the canary judge from stored
// spans) and hands failed releases to the remediation runner.
import type { Logger } from '../logger.js';
import type { ChangeEvent, IncidentRecord, Signal, Span } from '../model/index.js';
import { addToSketch, emptySketch } from '../detect/index.js';
import { actionsFor, judgeCanary, releaseReportHtml, releaseReportMarkdown, ReleaseEngine, type CanaryBucket, type CanaryJudgement, type DeploymentRecord, type ReleaseConfig, type ReleaseSnapshot, type RemediationRun } from '../release/index.js';
import { loadSnapshot, saveSnapshot, versionLatencyQuantile, versionRequests, type StoreClient } from '../store/index.js';
import { ChangeRefused } from './refused.js';
import { RemediationRunner, type RemediationIncidents, type RemediationRunnerOptions } from './remediation-runner.js';

const snapshotName = 'release';
const snapshotEveryMs = 30_000;
/** Requests a canary judgement reads at most from the store. */
const maxJudgedRequests = 500_000;

interface StoredState {
  engine: ReleaseSnapshot;
  remediations: RemediationRun[];
}

/** What the pipeline calls, in its serial order, beside its own engines. */
export interface ReleaseCompanion {
  observeSpans(spans: readonly Span[]): void;
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
}

export class ReleaseService implements ReleaseCompanion {
  readonly remediation: RemediationRunner;
  private timer?: NodeJS.Timeout;
  private incidents?: RemediationIncidents;
  confidenceOf?: (record: DeploymentRecord) => unknown;

  private constructor(
    private readonly o: ReleaseServiceOptions,
    private readonly engine: ReleaseEngine,
    history: RemediationRun[],
  ) {
    this.remediation = new RemediationRunner({ config: o.config.remediation, log: o.log, audit: o.audit, now: () => o.now(), releaseRecovered: (id) => engine.recovered(id), history });
  }

  static async open(o: ReleaseServiceOptions): Promise<ReleaseService> {
    const stored = await loadSnapshot<StoredState>(o.store, snapshotName);
    return new ReleaseService(o, new ReleaseEngine(o.config, stored?.engine), stored?.remediations ?? []);
  }

  /** Incident lookups and timeline notes for remediation (the incident service exists after the pipeline). */
  attachIncidents(incidents: RemediationIncidents): void {
    this.incidents = incidents;
    this.remediation.attachIncidents(incidents);
  }

  start(): void {
    this.timer = setInterval(() => void this.save().catch((err: unknown) => this.o.log.error({ err }, 'release snapshot failed')), snapshotEveryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.remediation.stop();
    await this.save();
  }

  // ── companion ──
  observeSpans(spans: readonly Span[]): void {
    this.engine.observeSpans(spans);
  }

  observeChange(change: ChangeEvent, nowMs: number): void {
    if (change.kind !== 'deploy' || !change.version) return;
    this.engine.observeDeploy({ id: change.id, service: change.service, version: change.version, previousVersion: change.previousVersion, timeMs: change.timeMs }, nowMs);
  }

  observeSignals(signals: readonly Signal[]): void {
    this.engine.observeSignals(signals);
  }

  advance(signals: readonly Signal[], nowMs: number): Signal[] {
    this.engine.observeSignals(signals);
    const update = this.engine.advance(nowMs);
    for (const r of update.decided) {
      this.o.log.info({ deployment: r.deployment.id, service: r.deployment.service, version: r.deployment.version, verdict: r.verdict.status }, 'release verdict');
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

  report(record: DeploymentRecord, format: 'md' | 'html'): string {
    return format === 'html' ? releaseReportHtml(record) : releaseReportMarkdown(record);
  }

  async judge(q: { service: string; baselineVersion: string; canaryVersion: string; fromMs: number; toMs: number }): Promise<CanaryJudgement> {
    await this.o.telemetryVisible?.();
    const config = this.o.config;
    // The threshold comes from before the window, so the window's data is judged against a fixed line.
    const before = await versionLatencyQuantile(this.o.store, { service: q.service, version: q.baselineVersion, fromMs: q.fromMs - config.baselineMs, toMs: q.fromMs, quantile: config.latencyQuantile });
    const rows = await versionRequests(this.o.store, { service: q.service, versions: [q.baselineVersion, q.canaryVersion], fromMs: q.fromMs, toMs: q.toMs, limit: maxJudgedRequests });
    const buckets = new Map<number, CanaryBucket>();
    for (const r of rows) {
      const b = buckets.get(r.bucketMs) ?? {};
      const arm = r.version === q.canaryVersion ? 'candidate' : 'baseline';
      const agg = (b[arm] ??= { requests: 0, errors: 0, latency: emptySketch() });
      agg.requests++;
      if (r.failed) agg.errors++;
      addToSketch(agg.latency, r.durationMs);
      buckets.set(r.bucketMs, b);
    }
    const ordered = [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
    return judgeCanary(ordered, config, before.requests >= 50 ? before.quantileMs : undefined);
  }

  async remediations(incidentId: string): Promise<{ actions: Array<Record<string, unknown>>; runs: RemediationRun[] }> {
    const incident = await this.requireIncident(incidentId);
    const services = new Set([...incident.services, ...incident.rootCauses.map((c) => c.service)]);
    const blamed = new Map(incident.rootCauses.map((c) => [c.service, c] as const));
    const actions = [...services].flatMap((s) =>
      actionsFor(this.o.config.remediation, s).map((a) => {
        const cause = blamed.get(s);
        return { name: a.name, service: a.service, kind: a.kind, auto: a.auto, ...(cause ? { besideRootCause: { service: cause.service, kind: cause.kind, score: cause.score } } : {}) };
      }),
    );
    return { actions, runs: this.remediation.runs.filter((r) => r.incidentId === incidentId) };
  }

  async runRemediation(incidentId: string, actionName: string, actor: string): Promise<RemediationRun> {
    const incident = await this.requireIncident(incidentId);
    const action = this.o.config.remediation.actions.find((a) => a.name === actionName);
    if (!action) throw new ChangeRefused('VIGIL_NOT_FOUND', `no remediation action named "${actionName}" in vigil.yaml release.remediation.actions`);
    const services = new Set([...incident.services, ...incident.rootCauses.map((c) => c.service)]);
    if (!services.has(action.service)) throw new ChangeRefused('VIGIL_BAD_REQUEST', `action "${actionName}" acts on ${action.service}, which is not part of incident ${incidentId}`);
    const deploy = incident.signals.find((s) => s.key.startsWith(`release:${action.service}:`))?.evidence.deploymentId;
    return this.remediation.run(action, { trigger: 'approval', actor, incidentId, reason: incident.title, ...(typeof deploy === 'string' ? { deploymentId: deploy } : {}) });
  }

  private async requireIncident(id: string): Promise<IncidentRecord> {
    const found = await this.incidents?.get(id);
    if (!found) throw new ChangeRefused('VIGIL_NOT_FOUND', `no incident ${id}`);
    return found.record;
  }

  private save(): Promise<void> {
    const state: StoredState = { engine: this.engine.snapshot(), remediations: [...this.remediation.runs] };
    return saveSnapshot(this.o.store, snapshotName, state, Date.now());
  }
}

