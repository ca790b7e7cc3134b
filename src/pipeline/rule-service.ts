// User-defined alert rules in a running Vigil: vigil.yaml's (read-only here) beside those created
// through the API (stored as versions). Fed every acknowledged batch after the pipeline, judged on
// the engine's clock (each 10 s of event time, or every 2 s on the wall clock), and their signals
// go through the pipeline like synthetic checks' so they join incidents. Rule state (windows,
// pending/firing and since when, anomaly history) is snapshotted at each firing or recovery, every
// 30 s and at stop: after a restart a firing rule stays firing and does not page again.
import type { TelemetryBatch } from '../ingest/index.js';
import type { Logger } from '../logger.js';
import type { Signal } from '../model/index.js';
import { RuleEngine, type AlertRule, type RuleEngineSnapshot, type RuleWithStatus } from '../rules/index.js';
import { loadSnapshot, loadVersioned, saveSnapshot, saveVersioned, type StoreClient } from '../store/index.js';
// Windows close as far behind the clock as the detectors' do, so late spans of a trace still count.
import { ChangeRefused } from './refused.js';
import { lateness } from './watermark.js';

const evaluateEveryMs = 10_000;
const wallTickMs = 2_000;
/** The pipeline's snapshot cadence: at most this much of the windows' data is lost in a crash. */
const snapshotEveryMs = 30_000;
const snapshotName = 'rules';

interface RuleServiceSnapshot {
  evaluatedAtMs: number;
  engine: RuleEngineSnapshot;
}

export interface RuleServiceOptions {
  store: StoreClient;
  fromConfig: readonly AlertRule[];
  eventClock: boolean;
  now: () => number;
  report: (signals: readonly Signal[]) => Promise<void>;
  log: Logger;
}

export class RuleService {
  private readonly engine: RuleEngine;
  private lastEvaluatedMs = 0;
  private version = Date.now() * 1000;
  private readonly timers: NodeJS.Timeout[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  /** Data or state changed since the last snapshot. */
  private dirty = false;

  private constructor(
    private readonly o: RuleServiceOptions,
    private readonly fromApi: Map<string, AlertRule>,
  ) {
    this.engine = new RuleEngine(this.definitions());
  }

  static async open(o: RuleServiceOptions): Promise<RuleService> {
    const configured = new Set(o.fromConfig.map((r) => r.name));
    const stored = (await loadVersioned<AlertRule>(o.store, 'alert_rules')).filter((r) => !configured.has(r.body.name));
    const s = new RuleService(o, new Map(stored.map((r) => [r.body.name, r.body])));
    s.version = Math.max(s.version, ...stored.map((r) => r.version + 1));
    const saved = await loadSnapshot<RuleServiceSnapshot>(o.store, snapshotName);
    if (saved) {
      s.lastEvaluatedMs = saved.evaluatedAtMs;
      // A rule that fired before the restart and is gone or changed since recovers now.
      const recovered = s.engine.restore(saved.engine);
      if (recovered.length) await o.report(recovered);
    }
    return s;
  }

  start(): void {
    const every = (ms: number, work: () => Promise<void>): void => {
      const timer = setInterval(() => void this.serially(work).catch(() => undefined), ms);
      timer.unref();
      this.timers.push(timer);
    };
    if (!this.o.eventClock) every(wallTickMs, () => this.evaluate(Date.now() - lateness.wallMs));
    every(snapshotEveryMs, () => this.saveState());
  }

  /** Stops the clock and saves the state (call once no batch is being observed any more). */
  stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    return this.serially(() => this.saveState());
  }

  /** Every acknowledged batch, after the pipeline took it (so the engine clock already moved). */
  observe(batch: TelemetryBatch): Promise<void> {
    this.dirty = true;
    this.engine.observeSpans(batch.spans);
    this.engine.observeMetrics(batch.metrics);
    if (!this.o.eventClock) return Promise.resolve();
    const nowMs = this.o.now() - lateness.eventMs;
    if (nowMs - this.lastEvaluatedMs < evaluateEveryMs) return Promise.resolve();
    return this.serially(() => this.evaluate(nowMs));
  }

  definitions(): AlertRule[] {
    return [...this.o.fromConfig, ...this.fromApi.values()];
  }

  list(): RuleWithStatus[] {
    const status = new Map(this.engine.statuses().map((s) => [s.name, s]));
    const configured = new Set(this.o.fromConfig.map((r) => r.name));
    return this.definitions().map((rule) => ({
      ...rule,
      source: configured.has(rule.name) ? 'config' : 'api',
      status: status.get(rule.name)!,
    }));
  }

  create(rule: AlertRule): Promise<RuleWithStatus> {
    return this.serially(async () => {
      if (this.o.fromConfig.some((r) => r.name === rule.name))
        throw new ChangeRefused('VIGIL_CONFLICT', `rule "${rule.name}" is defined in vigil.yaml; change it there`);
      if (this.fromApi.has(rule.name)) throw new ChangeRefused('VIGIL_CONFLICT', `a rule named "${rule.name}" exists; delete it first`);
      await saveVersioned(this.o.store, 'alert_rules', [{ id: rule.name, version: this.nextVersion(), body: rule }]);
      this.fromApi.set(rule.name, rule);
      await this.redefine();
      return this.list().find((r) => r.name === rule.name)!;
    });
  }

  remove(name: string): Promise<void> {
    return this.serially(async () => {
      if (this.o.fromConfig.some((r) => r.name === name)) throw new ChangeRefused('VIGIL_CONFLICT', `rule "${name}" is defined in vigil.yaml; remove it there`);
      const rule = this.fromApi.get(name);
      if (!rule) throw new ChangeRefused('VIGIL_NOT_FOUND', `no rule named "${name}"`);
      await saveVersioned(this.o.store, 'alert_rules', [{ id: name, version: this.nextVersion(), deleted: true, body: rule }]);
      this.fromApi.delete(name);
      await this.redefine();
    });
  }

  private async redefine(): Promise<void> {
    const recovered = this.engine.define(this.definitions());
    if (recovered.length) await this.o.report(recovered);
    this.dirty = true;
    await this.saveState();
  }

  private async evaluate(nowMs: number): Promise<void> {
    if (nowMs <= this.lastEvaluatedMs) return;
    this.lastEvaluatedMs = nowMs;
    const signals = this.engine.evaluate(nowMs);
    this.dirty = true;
    if (!signals.length) return;
    await this.o.report(signals);
    // A firing or recovery is saved at once: a restart right after must not page it again.
    await this.saveState();
  }

  private async saveState(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const state: RuleServiceSnapshot = { evaluatedAtMs: this.lastEvaluatedMs, engine: this.engine.snapshot() };
    await saveSnapshot(this.o.store, snapshotName, state, Date.now());
  }

  private nextVersion(): number {
    this.version = Math.max(Date.now() * 1000, this.version + 1);
    return this.version;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch((err: unknown) => this.o.log.error({ err }, 'alert rules: a change or evaluation failed'));
    return run;
  }
}
