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

  /** Closes the store and removes its directory. */
  async close(): Promise<void> {
    await this.store.close();
    await removeStoreDir(this.dir);
  }
}

/**
 * The embedded engine can still be finishing a merge in its directory after close (ENOTEMPTY while
 * removing it, seen in full runs on a busy machine): retry for up to 5 s before calling it a failure.
 */
export async function removeStoreDir(dir: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch (err) {
      if (attempt >= 20) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
