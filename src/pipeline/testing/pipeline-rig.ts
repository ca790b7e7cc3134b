// A pipeline on its event clock over a fresh on-disk store, with no telemetry to read incident
// context from: the set-up and tear-down the pipeline integration suites share, so each states
// only its config and the adapters it adds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vigilConfigSchema, type VigilConfig } from '../../config/index.js';
import { InMemoryContextQueries } from '../../context/index.js';
import { signalOf } from '../../incidents/testing/scenarios.js';
import { createLogger } from '../../logger.js';
import type { SignalSubject } from '../../model/index.js';
import { migrate, openStore, type StoreClient } from '../../store/index.js';
import { Pipeline, type PipelineOptions } from '../pipeline.js';

export interface PipelineRigOptions {
  /** Config beyond the storage directory (KPIs …), as a vigil.yaml would say it. */
  config?: Record<string, unknown>;
  /** Adapters built on the migrated store before the pipeline opens (a notifier, a writer …). */
  adapters?: (store: StoreClient, config: Readonly<VigilConfig>, dir: string) => Partial<PipelineOptions> | Promise<Partial<PipelineOptions>>;
}

export class PipelineRig {
  private constructor(
    readonly dir: string,
    readonly store: StoreClient,
    readonly pipeline: Pipeline,
  ) {}

  static async open(dirPrefix: string, options: PipelineRigOptions = {}): Promise<PipelineRig> {
    const dir = mkdtempSync(join(tmpdir(), dirPrefix));
    const store = await openStore({ dataDir: dir });
    await migrate(store);
    const config = vigilConfigSchema.parse({ storage: { dataDir: dir }, ...options.config });
    const adapters = (await options.adapters?.(store, config, dir)) ?? {};
    const pipeline = await Pipeline.open({
      store,
      config,
      log: createLogger('silent'),
      eventClock: true,
      contextQueries: new InMemoryContextQueries({ spans: [], logs: [], changes: [] }),
      ...adapters,
    });
    return new PipelineRig(dir, store, pipeline);
  }

  /** Stops the pipeline, then what writes to the store (`beforeStoreCloses`), closes the store and removes its directory. */
  async close(...beforeStoreCloses: Array<() => Promise<void>>): Promise<void> {
    await this.pipeline.stop();
    for (const stop of beforeStoreCloses) await stop();
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }

  /** The engine clock moves to `atMs` and an error-rate signal on `subject` that began a minute before is detected then. */
  async errorsDetectedAt(subject: SignalSubject, atMs: number): Promise<void> {
    await this.pipeline.flushTo(atMs);
    await this.pipeline.reportSignals([signalOf('error-rate', subject, atMs - 60_000, { detectedAtMs: atMs })]);
  }
}
