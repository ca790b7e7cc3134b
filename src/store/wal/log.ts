// The write-ahead log's files: numbered append-only segments under one directory plus the
// checkpoint. Opening it recovers: a torn or corrupt tail (never acknowledged) is truncated with
// a warning, and every record the checkpoint has not passed is handed back for replay. Once every
// record of the active segment is inserted it is rolled, so a drained log holds no disk space.
import { mkdir, open, readdir, readFile, truncate, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { newCheckpoint, readCheckpoint, syncDirectory, writeCheckpoint, type Checkpoint, type WalRange } from './checkpoint.js';
import { scanRecords, type EncodedRecord, type TableChunk } from './record.js';

export interface WalOptions {
  dir: string;
  /** fdatasync every append (and the checkpoint): survives a machine crash, not only a process crash. */
  fsync: boolean;
  /** A segment is closed and a new one started once it reaches this size. */
  segmentBytes: number;
  warn: (message: string, details: Record<string, unknown>) => void;
}

export interface RecoveredRecord extends WalRange {
  chunks: TableChunk[];
}

export interface WalPosition {
  segment: number;
  offset: number;
}

export interface OpenedWal {
  wal: WriteAheadLog;
  /** Records not yet known to be in the store, in log order. */
  recovered: RecoveredRecord[];
  /** The range being inserted at the crash: replay it exactly, with the same token. */
  intent: WalRange | null;
}

const segmentName = (n: number): string => `${String(n).padStart(20, '0')}.wal`;
/** A drained active segment is rolled (deleted) past this size: small ones are not worth a new file each insert. */
const rollDrainedBytes = 1 << 20;
const segmentPattern = /^(\d{20})\.wal$/;

export class WriteAheadLog {
  private handle: FileHandle | undefined;
  private activeSize = 0;
  /** Closed segments still on disk, with their sizes. */
  private readonly sealed = new Map<number, number>();
  /** Appends and rolls run one at a time: a roll swaps the handle an append writes through. */
  private exclusive: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly o: WalOptions,
    private checkpointState: Checkpoint,
    private active: number,
  ) {}

  static async open(o: WalOptions): Promise<OpenedWal> {
    await mkdir(o.dir, { recursive: true, mode: 0o700 });
    const segments = (await readdir(o.dir))
      .map((f) => segmentPattern.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    let checkpoint = await readCheckpoint(o.dir);
    if (!checkpoint) {
      // Without a checkpoint every segment is replayed under a new log id: rows inserted before
      // the checkpoint was lost may then appear twice. Only a deleted checkpoint gets here.
      if (segments.length) o.warn('WAL checkpoint missing: replaying every segment', { dir: o.dir, segments: segments.length });
      checkpoint = newCheckpoint(segments[0] ?? 1);
    }
    const recovered: RecoveredRecord[] = [];
    const wal = new WriteAheadLog(o, checkpoint, Math.max(checkpoint.segment, ...segments) + 1);
    for (const n of segments) {
      const path = join(o.dir, segmentName(n));
      if (n < checkpoint.segment) {
        await unlink(path);
        continue;
      }
      const data = await readFile(path);
      const from = n === checkpoint.segment ? checkpoint.offset : 0;
      const scan = scanRecords(data, Math.min(from, data.length));
      if (scan.problem) {
        // Appends are acknowledged only after their write returned, so a bad tail of the last
        // segment was never acknowledged. A bad record inside a closed segment means the disk lost
        // data: what follows it was acknowledged, so it is kept beside the log for an operator.
        const torn = n === segments[segments.length - 1];
        const keptAt = torn ? undefined : `${path}.corrupt-at-${scan.validEnd}`;
        if (keptAt) await writeFile(keptAt, data.subarray(scan.validEnd), { mode: 0o600 });
        o.warn(
          torn ? 'WAL: truncating a torn tail (never acknowledged)' : 'WAL: corrupt record inside a closed segment; the rest of the segment is moved aside',
          {
            segment: n,
            problem: scan.problem,
            droppedBytes: data.length - scan.validEnd,
            ...(keptAt ? { keptAt } : {}),
          },
        );
        await truncate(path, scan.validEnd);
      }
      wal.sealed.set(n, scan.validEnd);
      for (const r of scan.records) recovered.push({ segment: n, start: r.start, end: r.end, chunks: r.chunks });
    }
    const intent = wal.matchingIntent(recovered, o);
    await wal.startSegment();
    // Segments holding nothing left to insert (e.g. emptied by the last run) go once the checkpoint
    // points past them.
    const first = recovered[0];
    wal.checkpointState = first
      ? { ...checkpoint, segment: first.segment, offset: first.start, intent }
      : { ...checkpoint, segment: wal.active, offset: 0, intent: null };
    await writeCheckpoint(o.dir, wal.checkpointState, o.fsync);
    await wal.deleteSegmentsBefore(wal.checkpointState.segment);
    return { wal, recovered, intent };
  }

  get segments(): number {
    return this.sealed.size + 1;
  }

  get bytes(): number {
    let total = this.activeSize;
    for (const size of this.sealed.values()) total += size;
    return total;
  }

  get walId(): string {
    return this.checkpointState.walId;
  }

  /** Appends one record; resolves with where it landed once the write (and fsync, if on) returned. */
  append(record: EncodedRecord): Promise<WalRange> {
    return this.serialized(() => this.appendNow(record));
  }

  private async appendNow(record: EncodedRecord): Promise<WalRange> {
    if (this.activeSize >= this.o.segmentBytes) await this.rotate();
    const handle = this.handle!;
    const start = this.activeSize;
    try {
      const { bytesWritten } = await handle.writev(record.parts, start);
      if (bytesWritten !== record.bytes) throw new Error(`short WAL write: ${bytesWritten} of ${record.bytes} bytes`);
      if (this.o.fsync) await handle.datasync();
    } catch (err) {
      // The next record is written at `start` again; a partial write must not look like a record.
      await handle.truncate(start).catch(() => undefined);
      throw err;
    }
    this.activeSize += record.bytes;
    return { segment: this.active, start, end: this.activeSize };
  }

  /** Records that a range is about to be inserted (and everything before it is in the store). */
  markIntent(range: WalRange): Promise<void> {
    this.checkpointState = { ...this.checkpointState, segment: range.segment, offset: range.start, intent: range };
    return writeCheckpoint(this.o.dir, this.checkpointState, this.o.fsync);
  }

  /** Records that everything up to the end of `range` is in the store, then deletes passed segments. */
  async markInserted(range: WalRange): Promise<void> {
    const sealedSize = this.sealed.get(range.segment);
    const position: WalPosition =
      sealedSize !== undefined && range.end >= sealedSize
        ? { segment: this.nextSegmentAfter(range.segment), offset: 0 }
        : { segment: range.segment, offset: range.end };
    this.checkpointState = { ...this.checkpointState, ...position, intent: null };
    await writeCheckpoint(this.o.dir, this.checkpointState, this.o.fsync);
    await this.deleteSegmentsBefore(position.segment);
    if (range.segment === this.active && range.end >= Math.min(rollDrainedBytes, this.o.segmentBytes)) await this.serialized(() => this.rollDrained(range));
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }

  private async deleteSegmentsBefore(segment: number): Promise<void> {
    for (const n of [...this.sealed.keys()]) {
      if (n >= segment) continue;
      await unlink(join(this.o.dir, segmentName(n)));
      this.sealed.delete(n);
    }
  }

  private nextSegmentAfter(n: number): number {
    let next = this.active;
    for (const s of this.sealed.keys()) if (s > n && s < next) next = s;
    return next;
  }

  /**
   * Starts a new segment, the new file opened before the old one is closed: when it cannot be
   * created (disk full) the log goes on in the current one.
   */
  private async rotate(): Promise<void> {
    const next = await open(join(this.o.dir, segmentName(this.active + 1)), 'wx', 0o600);
    await this.handle?.close();
    this.sealed.set(this.active, this.activeSize);
    this.active++;
    this.handle = next;
    this.activeSize = 0;
    if (this.o.fsync) await syncDirectory(this.o.dir);
  }

  /**
   * Everything in the active segment is inserted (nothing was appended after `range`): starts a new
   * one and deletes it, releasing its space without waiting for the segment to fill. Failing here
   * loses nothing (the checkpoint already passed these rows), so it only warns.
   */
  private async rollDrained(range: WalRange): Promise<void> {
    if (range.segment !== this.active || range.end !== this.activeSize) return;
    try {
      await this.rotate();
      this.checkpointState = { ...this.checkpointState, segment: this.active, offset: 0, intent: null };
      await writeCheckpoint(this.o.dir, this.checkpointState, this.o.fsync);
      await this.deleteSegmentsBefore(this.active);
    } catch (err) {
      this.o.warn('WAL: could not roll the drained segment; its space is released once it fills', { segment: range.segment, error: (err as Error).message });
    }
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.exclusive.then(fn, fn);
    this.exclusive = run.catch(() => undefined);
    return run;
  }

  private async startSegment(): Promise<void> {
    this.handle = await open(join(this.o.dir, segmentName(this.active)), 'wx', 0o600);
    this.activeSize = 0;
    if (this.o.fsync) await syncDirectory(this.o.dir);
  }

  /** The checkpoint's intent if the log still holds exactly that range, else null (with a warning). */
  private matchingIntent(recovered: readonly RecoveredRecord[], o: WalOptions): WalRange | null {
    const intent = this.checkpointState.intent;
    if (!intent) return null;
    const inRange = recovered.filter((r) => r.segment === intent.segment && r.start >= intent.start && r.end <= intent.end);
    if (inRange[0]?.start === intent.start && inRange[inRange.length - 1]?.end === intent.end) return intent;
    // Only a machine crash without walFsync loses a range that was already being inserted.
    o.warn('WAL: the range being inserted at the crash is no longer complete; replaying what is left under a new token', { intent });
    return null;
  }
}
