// Synthetic monitoring inside `vigil start`: loads the checks directory (and reloads it when a file
// changes: an invalid edit keeps the previous checks and logs every problem), schedules the runs,
// stores each run, sends its spans through ingest, and turns confirmed failures and latency
// regressions into signals.
import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../logger.js';
import type { Signal, Span } from '../model/index.js';
import { insertCheckRuns, latestCheckRuns, listCheckRuns, type StoreClient, type StoredCheckRun } from '../store/index.js';
import { checkService, confirmationFromHistory, confirmRun, initialCheckState, removedCheckSignal, type CheckState, type CheckStatus } from './confirm.js';
import { heartbeatClock } from './kinds/heartbeat.js';
import { initialLatencyState, latencyPolicy, latencyStateFromHistory, observeRunLatency, type LatencyState } from './latency.js';
import { ChecksInvalidError, formatProblem, loadChecks, type LoadedCheck } from './load.js';
import type { RunDetails, RunResult } from './result.js';
import { runCheck } from './run.js';
import { CheckScheduler } from './scheduler.js';
import type { CheckDefinition } from './schema.js';
import { runSpans } from './spans.js';

export interface MonitorOptions {
  store: StoreClient;
  log: Logger;
  dir: string;
  env: NodeJS.ProcessEnv;
  concurrency: number;
  /** Browser runs in flight at most (each is a Chromium on Vigil's machine); `browserRunsAtOnce` by default. */
  browserConcurrency?: number;
  chromiumPath: string;
  artifactsDir: string;
  /** The engine's clock (event time in --clock event): signal times follow it. */
  engineNow(): number;
  reportSignals(signals: Signal[]): Promise<void>;
  ingestSpans(spans: Span[]): Promise<void>;
}

/** Browser runs in flight at most by default: a Chromium takes a few hundred MB and a core while it runs. */
export const browserRunsAtOnce = 2;

export interface CheckSummary {
  name: string;
  kind: string;
  service?: string;
  critical: boolean;
  smoke: boolean;
  everyMs: number;
  status: CheckStatus;
  lastRun?: { atMs: number; ok: boolean; durationMs: number; error?: string; traceId?: string };
}

export class SyntheticMonitor {
  private checks = new Map<string, LoadedCheck>();
  private states = new Map<string, CheckState>();
  private latency = new Map<string, LatencyState>();
  private lastRuns = new Map<string, CheckSummary['lastRun']>();
  private pings = new Map<string, number>();
  private watchedSince = new Map<string, number>();
  /** Heartbeats whose clock was read back from their latest stored run (once, at their first run). */
  private heartbeatsRestored = new Set<string>();
  /** Checks whose confirmation state was read back from their stored runs (once, at their first run). */
  private confirmationRestored = new Set<string>();
  private readonly scheduler: CheckScheduler;
  private watcher: FSWatcher | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;
  /** Runs waiting to be stored: one insert a second, not one per run (1,000 checks a minute). */
  private unstored: StoredCheckRun[] = [];
  private storeTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: MonitorOptions) {
    this.scheduler = new CheckScheduler({
      concurrency: o.concurrency,
      now: Date.now,
      random: Math.random,
      run: (name) => this.runScheduled(name),
      heavy: { concurrency: o.browserConcurrency ?? browserRunsAtOnce, is: (name) => this.checks.get(name)?.check.kind === 'browser' },
    });
  }

  /** Loads the directory; invalid check files stop the start with every problem listed. */
  async start(): Promise<void> {
    const loaded = await loadChecks(this.o.dir, this.o.env);
    if (loaded.problems.length) throw new ChecksInvalidError(loaded.problems);
    for (const run of await latestCheckRuns(this.o.store).catch(() => [])) this.lastRuns.set(run.name, summaryOf(run));
    this.apply(loaded.checks);
    try {
      this.watcher = watch(this.o.dir, { recursive: true }, () => this.scheduleReload());
      this.watcher.on('error', (err) => this.o.log.warn({ dir: this.o.dir, reason: err.message }, 'checks: cannot watch the directory; restart to reload'));
    } catch (err) {
      this.o.log.warn({ dir: this.o.dir, reason: (err as Error).message }, 'checks: cannot watch the directory; restart to reload');
    }
    this.o.log.info({ dir: this.o.dir, checks: this.checks.size }, 'synthetic checks loaded');
  }

  async stop(): Promise<void> {
    this.watcher?.close();
    clearTimeout(this.reloadTimer);
    this.scheduler.stop();
    await this.storeRuns();
  }

  list(): CheckSummary[] {
    return [...this.checks.values()].map(({ check }) => ({
      name: check.name,
      kind: check.kind,
      ...(check.service ? { service: check.service } : {}),
      critical: check.critical,
      smoke: check.smoke,
      everyMs: check.every,
      status: this.states.get(check.name)?.status ?? 'pending',
      ...(this.lastRuns.get(check.name) ? { lastRun: this.lastRuns.get(check.name) } : {}),
    }));
  }

  has(name: string): boolean {
    return this.checks.has(name);
  }

  /** A check's runs, newest first (the last second's runs are stored first, so reads see them). */
  async runs(name: string, fromMs: number, toMs: number, limit: number): Promise<StoredCheckRun[]> {
    await this.storeRuns();
    return listCheckRuns(this.o.store, { name, fromMs, toMs, limit });
  }

  /** A heartbeat ping from a job; false when no heartbeat check has that name. */
  ping(name: string): boolean {
    if (this.checks.get(name)?.check.kind !== 'heartbeat') return false;
    this.pings.set(name, Date.now());
    return true;
  }

  /** A deployment of `service`: its smoke checks run now. Returns the checks started. */
  onDeploy(service: string): string[] {
    const smoke = [...this.checks.values()].filter(({ check }) => check.smoke && checkService(check) === service).map(({ check }) => check.name);
    for (const name of smoke) this.scheduler.runNow(name);
    if (smoke.length) this.o.log.info({ service, checks: smoke }, 'deployment: running smoke checks');
    return smoke;
  }

  /** Scheduling drift so far (ms): for the benchmark and /metrics. */
  drifts(): readonly number[] {
    return this.scheduler.drifts;
  }

  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    // Editors write a file in several steps: wait for them to settle.
    this.reloadTimer = setTimeout(() => void this.reload(), 300);
    this.reloadTimer.unref();
  }

  private async reload(): Promise<void> {
    const loaded = await loadChecks(this.o.dir, this.o.env).catch((err: unknown) => ({
      checks: [],
      problems: [{ file: this.o.dir, line: 0, key: '', message: (err as Error).message }],
    }));
    if (loaded.problems.length) {
      this.o.log.error(
        { dir: this.o.dir, problems: loaded.problems.map(formatProblem) },
        'checks: the changed files are invalid; the previous checks keep running',
      );
      return;
    }
    this.apply(loaded.checks);
    this.o.log.info({ dir: this.o.dir, checks: this.checks.size }, 'synthetic checks reloaded');
  }

  private apply(next: LoadedCheck[]): void {
    const names = new Set(next.map((c) => c.check.name));
    const gone: Signal[] = [];
    for (const name of this.checks.keys()) {
      if (names.has(name)) continue;
      this.scheduler.unschedule(name);
      // A removed check's open signals recover: nothing will ever run it again to say so.
      for (const signal of [this.states.get(name)?.signal, this.latency.get(name)?.signal])
        if (signal) gone.push(removedCheckSignal(signal, this.o.engineNow()));
      this.checks.delete(name);
      this.states.delete(name);
      this.latency.delete(name);
    }
    if (gone.length)
      void this.o.reportSignals(gone).catch((err: unknown) => this.o.log.error({ reason: (err as Error).message }, 'checks: could not report a signal'));
    for (const loaded of next) {
      const prev = this.checks.get(loaded.check.name)?.check;
      this.checks.set(loaded.check.name, loaded);
      if (!this.watchedSince.has(loaded.check.name)) this.watchedSince.set(loaded.check.name, Date.now());
      if (!prev || prev.every !== loaded.check.every) this.scheduler.schedule(loaded.check.name, loaded.check.every);
    }
  }

  private async runScheduled(name: string): Promise<void> {
    const loaded = this.checks.get(name);
    if (!loaded) return;
    const check = loaded.check;
    if (check.kind === 'heartbeat' && !this.heartbeatsRestored.has(name)) await this.restoreHeartbeat(name);
    const result = await runCheck(check, {
      secrets: loaded.secrets,
      heartbeat: (n) => ({ lastPingMs: this.pings.get(n), watchedSinceMs: this.watchedSince.get(n) ?? Date.now() }),
      artifactsDir: this.o.artifactsDir,
      chromiumPath: this.o.chromiumPath,
    });
    this.lastRuns.set(name, summaryOf(result));
    await this.record(check, result);
    const decision = confirmRun(check, this.states.get(name) ?? (await this.storedConfirmation(check, result.atMs)), result, this.o.engineNow());
    this.states.set(name, decision.state);
    if (decision.retrySoon) this.scheduler.retrySoon(name);
    const slower = observeRunLatency(check, this.latency.get(name) ?? (await this.storedLatency(check, result.atMs)), result, this.o.engineNow());
    this.latency.set(name, slower.state);
    if (decision.signal)
      this.o.log.info(
        { check: name, status: decision.signal.status, reason: result.error ?? null },
        decision.signal.status === 'firing' ? 'synthetic check failing' : 'synthetic check passes again',
      );
    if (slower.signal)
      this.o.log.info(
        { check: name, status: slower.signal.status, reason: slower.signal.summary },
        slower.signal.status === 'firing' ? 'synthetic check slower than usual' : 'synthetic check back to its usual duration',
      );
    const signals = [decision.signal, slower.signal].filter((s): s is Signal => s !== undefined);
    if (signals.length)
      await this.o
        .reportSignals(signals)
        .catch((err: unknown) => this.o.log.error({ check: name, reason: (err as Error).message }, 'checks: could not report a signal'));
  }

  /**
   * The latency baselines of a check's first run since start, from its stored runs of the last day:
   * read at its first run, so a restart's queries are spread like the runs themselves.
   */
  private async storedLatency(check: CheckDefinition, beforeMs: number): Promise<LatencyState> {
    const runs = await listCheckRuns(this.o.store, {
      name: check.name,
      fromMs: beforeMs - 86_400_000,
      toMs: beforeMs - 1,
      limit: latencyPolicy.baselineRuns * 2,
    }).catch(() => []);
    return runs.length ? latencyStateFromHistory(runs, check) : initialLatencyState();
  }

  /** Where a check's confirmation stood before a restart, from its runs stored before this one. */
  private async storedConfirmation(check: CheckDefinition, beforeMs: number): Promise<CheckState> {
    if (this.confirmationRestored.has(check.name)) return initialCheckState();
    this.confirmationRestored.add(check.name);
    const runs = await listCheckRuns(this.o.store, { name: check.name, fromMs: beforeMs - 86_400_000, toMs: beforeMs - 1, limit: check.confirm }).catch(
      () => [],
    );
    return confirmationFromHistory(
      check,
      runs.map((r) => ({
        ...r,
        error: r.error || undefined,
        traceId: r.traceId || undefined,
        steps: r.steps as RunResult['steps'],
        details: r.details as RunDetails,
      })),
      this.o.engineNow(),
    );
  }

  /** A heartbeat's last ping, or since when it has been silent, as its latest stored run (before a restart) left it. */
  private async restoreHeartbeat(name: string): Promise<void> {
    this.heartbeatsRestored.add(name);
    const now = Date.now();
    const [last] = await listCheckRuns(this.o.store, { name, fromMs: now - 30 * 86_400_000, toMs: now, limit: 1 }).catch(() => []);
    if (!last) return;
    const { lastPingMs, watchedSinceMs } = heartbeatClock(last.details);
    // A ping since the restart is newer than any stored one.
    if (lastPingMs !== undefined && !this.pings.has(name)) this.pings.set(name, lastPingMs);
    if (watchedSinceMs !== undefined) this.watchedSince.set(name, Math.min(this.watchedSince.get(name) ?? now, watchedSinceMs));
  }

  /** Stores the runs waiting; a failed insert is logged and those runs are dropped (the next ones are not). */
  private async storeRuns(): Promise<void> {
    clearTimeout(this.storeTimer);
    this.storeTimer = undefined;
    const runs = this.unstored.splice(0);
    if (!runs.length) return;
    await insertCheckRuns(this.o.store, runs).catch((err: unknown) =>
      this.o.log.error({ runs: runs.length, reason: (err as Error).message }, 'checks: could not store runs'),
    );
  }

  private async record(check: CheckDefinition, r: RunResult & { rootSpanId: string }): Promise<void> {
    this.unstored.push({
      name: r.name,
      kind: r.kind,
      atMs: r.atMs,
      ok: r.ok,
      durationMs: r.durationMs,
      error: r.error ?? '',
      traceId: r.traceId ?? '',
      steps: r.steps,
      details: r.details,
    });
    if (!this.storeTimer) {
      this.storeTimer = setTimeout(() => void this.storeRuns(), 1000);
      this.storeTimer.unref();
    }
    const spans = runSpans(r, r.rootSpanId, checkService(check));
    if (spans.length)
      await this.o
        .ingestSpans(spans)
        .catch((err: unknown) => this.o.log.warn({ check: r.name, reason: (err as Error).message }, 'checks: could not ingest the run spans'));
  }
}

function summaryOf(r: { atMs: number; ok: boolean; durationMs: number; error?: string; traceId?: string }): CheckSummary['lastRun'] {
  return { atMs: r.atMs, ok: r.ok, durationMs: Math.round(r.durationMs), ...(r.error ? { error: r.error } : {}), ...(r.traceId ? { traceId: r.traceId } : {}) };
}
