// SLOs as the API manages them: vigil.yaml's (read-only here) beside those created through the
// API, which are versioned and stored in the engine-state table so they survive a restart.
import type { Logger } from '../logger.js';
import type { SloDefinition, SloStatus } from '../slo/index.js';
import { loadSnapshot, saveSnapshot, type StoreClient } from '../store/index.js';
import type { Pipeline } from './pipeline.js';
import { ChangeRefused } from './refused.js';

const storedName = 'slo-definitions';

/** An SLO as listed: its state now, where it is defined and its version. */
export type SloView = SloStatus & { source: 'config' | 'api'; version: number };

interface StoredSlo {
  definition: SloDefinition;
  version: number;
  createdAtMs: number;
  updatedAtMs: number;
}

export class SloService {
  private lastSavedAt = 0;
  /** Changes one at a time: two creates racing would each store a set without the other's SLO. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly store: StoreClient,
    private readonly fromConfig: readonly SloDefinition[],
    private readonly fromApi: Map<string, StoredSlo>,
    private readonly pipeline: Pipeline,
    private readonly log: Logger,
  ) {}

  static async open(store: StoreClient, fromConfig: readonly SloDefinition[], pipeline: Pipeline, log: Logger): Promise<SloService> {
    const stored = (await loadSnapshot<{ slos: StoredSlo[] }>(store, storedName))?.slos ?? [];
    const configured = new Set(fromConfig.map((s) => s.name));
    // vigil.yaml wins a name clash: the file is the reviewed source of truth.
    const fromApi = new Map(stored.filter((s) => !configured.has(s.definition.name)).map((s) => [s.definition.name, s]));
    for (const s of stored)
      if (configured.has(s.definition.name))
        log.warn({ slo: s.definition.name }, 'an SLO created through the API is shadowed by one of the same name in vigil.yaml');
    const service = new SloService(store, fromConfig, fromApi, pipeline, log);
    await pipeline.defineSlos(service.definitions());
    return service;
  }

  /** Every SLO, for coverage: what it watches. */
  definitions(): SloDefinition[] {
    return [...this.fromConfig, ...[...this.fromApi.values()].map((s) => s.definition)];
  }

  list(): SloView[] {
    const meta = new Map<string, { source: 'config' | 'api'; version: number }>(this.fromConfig.map((d) => [d.name, { source: 'config', version: 1 }]));
    for (const [name, s] of this.fromApi) meta.set(name, { source: 'api' as const, version: s.version });
    return this.pipeline.sloStatuses().map((status) => ({ ...status, ...meta.get(status.name)! }));
  }

  create(definition: SloDefinition, replace: boolean): Promise<SloView> {
    return this.serially(() => this.createNow(definition, replace));
  }

  remove(name: string): Promise<void> {
    return this.serially(() => this.removeNow(name));
  }

  private serially<T>(change: () => Promise<T>): Promise<T> {
    const run = this.queue.then(change, change);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async createNow(definition: SloDefinition, replace: boolean): Promise<SloView> {
    if (this.fromConfig.some((d) => d.name === definition.name))
      throw new ChangeRefused('VIGIL_CONFLICT', `SLO "${definition.name}" is defined in vigil.yaml; change it there`);
    const old = this.fromApi.get(definition.name);
    if (old && !replace) throw new ChangeRefused('VIGIL_CONFLICT', `an SLO named "${definition.name}" exists; PUT /api/v1/slos/{name} replaces it`);
    if (!old && replace) throw new ChangeRefused('VIGIL_NOT_FOUND', `no SLO named "${definition.name}" was created through the API`);
    const now = Date.now();
    const next = new Map(this.fromApi);
    next.set(definition.name, { definition, version: (old?.version ?? 0) + 1, createdAtMs: old?.createdAtMs ?? now, updatedAtMs: now });
    await this.commit(next);
    return this.list().find((s) => s.name === definition.name)!;
  }

  private async removeNow(name: string): Promise<void> {
    if (this.fromConfig.some((d) => d.name === name)) throw new ChangeRefused('VIGIL_CONFLICT', `SLO "${name}" is defined in vigil.yaml; remove it there`);
    if (!this.fromApi.has(name)) throw new ChangeRefused('VIGIL_NOT_FOUND', `no SLO named "${name}"`);
    const next = new Map(this.fromApi);
    next.delete(name);
    await this.commit(next);
  }

  /** Stored first: an SLO the API acknowledged is never lost, and a failed save changes nothing. */
  private async commit(next: Map<string, StoredSlo>): Promise<void> {
    // Snapshots are read back by the newest saved_at: two saves in one millisecond must still order.
    this.lastSavedAt = Math.max(Date.now(), this.lastSavedAt + 1);
    await saveSnapshot(this.store, storedName, { slos: [...next.values()] }, this.lastSavedAt);
    this.fromApi.clear();
    for (const [k, v] of next) this.fromApi.set(k, v);
    await this.pipeline.defineSlos(this.definitions());
    this.log.info({ slos: this.fromApi.size }, 'SLOs changed through the API');
  }
}
