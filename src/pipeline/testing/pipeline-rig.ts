// A pipeline on its event clock over a fresh on-disk store, with no telemetry to read incident
// context from: the set-up and tear-down the pipeline integration suites share, so each states
// only its config and the adapters it adds.
import { vigilConfigSchema, type VigilConfig } from '../../config/index.js';
import { InMemoryContextQueries } from '../../context/index.js';
import { signalOf } from '../../incidents/testing/scenarios.js';
import { createLogger } from '../../logger.js';
import type { SignalSubject } from '../../model/index.js';
import type { StoreClient } from '../../store/index.js';
import { ScratchStore } from '../../store/testing/scratch-store.js';
import { Pipeline, type PipelineOptions } from '../pipeline.js';

export interface PipelineRigOptions {
  /** Config beyond the storage directory (KPIs …), as a vigil.yaml would say it. */
  config?: Record<string, unknown>;
  /** Adapters built on the migrated store before the pipeline opens (a notifier, a writer …). */
  adapters?: (store: StoreClient, config: Readonly<VigilConfig>, dir: string) => Partial<PipelineOptions> | Promise<Partial<PipelineOptions>>;
}

export class PipelineRig {
  readonly store: StoreClient;

  private constructor(
    private readonly scratch: ScratchStore,
    readonly pipeline: Pipeline,
  ) {
    this.store = scratch.store;
  }

  static async open(dirPrefix: string, options: PipelineRigOptions = {}): Promise<PipelineRig> {
    const scratch = await ScratchStore.open(dirPrefix);
    const config = vigilConfigSchema.parse({ storage: { dataDir: scratch.dir }, ...options.config });
    const adapters = (await options.adapters?.(scratch.store, config, scratch.dir)) ?? {};
    const pipeline = await Pipeline.open({
      store: scratch.store,
      config,
      log: createLogger('silent'),
      eventClock: true,
      contextQueries: new InMemoryContextQueries({ spans: [], logs: [], changes: [] }),
      ...adapters,
    });
    return new PipelineRig(scratch, pipeline);
  }

  /** Stops the pipeline, then what writes to the store (`beforeStoreCloses`), closes the store and removes its directory. */
  async close(...beforeStoreCloses: Array<() => Promise<void>>): Promise<void> {
    await this.pipeline.stop();
    for (const stop of beforeStoreCloses) await stop();
    await this.scratch.close();
  }

  /** The engine clock moves to `atMs` and an error-rate signal on `subject` that began a minute before is detected then. */
  async errorsDetectedAt(subject: SignalSubject, atMs: number): Promise<void> {
    await this.pipeline.flushTo(atMs);
    await this.pipeline.reportSignals([signalOf('error-rate', subject, atMs - 60_000, { detectedAtMs: atMs })]);
  }
}
