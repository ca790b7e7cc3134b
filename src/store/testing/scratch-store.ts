// A migrated embedded store in a fresh temporary directory, for the suites that need a real store:
// opening it and, after the suite, closing it and removing the directory are the same everywhere.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openStore, type StoreClient } from '../index.js';

export class ScratchStore {
  private constructor(
    readonly dir: string,
    readonly store: StoreClient,
  ) {}

  static async open(dirPrefix: string): Promise<ScratchStore> {
    const dir = mkdtempSync(join(tmpdir(), dirPrefix));
    const store = await openStore({ dataDir: dir });
    await migrate(store);
    return new ScratchStore(dir, store);
  }

  /** Closes the store and removes its directory, with retries: the engine can still be finishing a write after close. */
  async close(): Promise<void> {
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}
