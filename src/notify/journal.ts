// The outbox's append-only JSON-lines journal. Appends are group-committed (one write + fdatasync
// for every record queued meanwhile), so an acknowledged append survives a crash. Rewrites and
// compactions replace the file atomically (temp file, fsync, rename, fsync of the directory) and
// run in the same serial chain as appends, so no record is lost in between.
import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface JournalReadResult<T> {
  records: T[];
  /** Lines that were not valid JSON: a torn last line after a crash, or damage. */
  skippedLines: number;
}

interface PendingAppend {
  line: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class Journal<T> {
  private handle: FileHandle | undefined;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  /** True between the first rewrite and close; appends are accepted (and queued) meanwhile. */
  private accepting = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  /** Every record in the file, in order; unparseable lines are counted and skipped. */
  async read(): Promise<JournalReadResult<T>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skippedLines: 0 };
      throw err;
    }
    const records: T[] = [];
    let skippedLines = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        records.push(JSON.parse(line) as T);
      } catch {
        skippedLines += 1;
      }
    }
    return { records, skippedLines };
  }

  /** Atomically replaces the journal with `records` and opens it for appends. */
  rewrite(records: readonly T[]): Promise<void> {
    this.accepting = true;
    return this.serial(() => this.replaceFile(records));
  }

  /** Rewrites the journal as `fold` of what is on disk now; appends wait meanwhile. */
  compact(fold: (records: T[]) => T[]): Promise<void> {
    return this.serial(async () => {
      const { records } = await this.read();
      await this.replaceFile(fold(records));
    });
  }

  /** Resolves once the record is on disk. */
  append(record: T): Promise<void> {
    if (!this.accepting) return Promise.reject(new Error('journal is not open'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line: `${JSON.stringify(record)}\n`, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        void this.serial(() => this.flushQueue());
      }
    });
  }

  close(): Promise<void> {
    this.accepting = false;
    return this.serial(async () => {
      await this.handle?.close();
      this.handle = undefined;
    });
  }

  /** Runs operations one at a time, in call order; a failed one does not stop the next. */
  private serial(op: () => Promise<void>): Promise<void> {
    const run = this.chain.then(op);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async flushQueue(): Promise<void> {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    try {
      if (!this.handle) throw new Error('journal is closed');
      await this.handle.write(batch.map((p) => p.line).join(''));
      await this.handle.datasync();
      for (const p of batch) p.resolve();
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  private async replaceFile(records: readonly T[]): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      const text = records.map((r) => `${JSON.stringify(r)}\n`).join('');
      if (text) await fh.write(text);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.path);
    const dir = await open(dirname(this.path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    this.handle = await open(this.path, 'a', 0o600);
  }
}
