// Telemetry writes through a write-ahead log. A batch is acknowledged once it is appended to the
// log (group commit: every write of one event-loop turn goes in one append), and a background
// inserter drains the log into the store in big inserts, each recorded as an intent in the
// checkpoint and tagged with a deduplication token, so a crash replays it exactly once. Rows
// acknowledged but not yet inserted are bounded in rows and bytes: past either bound new batches
// are refused (the ingest edge answers 429 with Retry-After). `sync()` is the read-your-writes
// barrier. Nothing the rows hold ever stops the log: what the store refuses for its data is
// quarantined (wal/refusal.ts decides), and logs name counts and reasons, never row contents.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogRecord, MetricPoint, Span } from '../model/index.js';
import type { StoreClient } from './client.js';
import { compactRows, logRow, metricRow, spanRow } from './rows.js';
import type { WalRange } from './wal/checkpoint.js';
import { storeBodyInserter, type BodyInserter } from './wal/insert.js';
import { WriteAheadLog } from './wal/log.js';
import { quarantineInsert } from './wal/quarantine.js';
import { describeFailures, planRange, RangeInsertError, runInserts } from './wal/range-insert.js';
import { encodeRecord, type TableChunk, type TelemetryTable } from './wal/record.js';
import { classifyRefusal } from './wal/refusal.js';
import { daySpan, partitionColumn } from './wal/split.js';

export interface TelemetryRows {
  spans: readonly Span[];
  logs: readonly LogRecord[];
  metrics: readonly MetricPoint[];
}

export class QueueFullError extends Error {
  constructor(
    readonly queued: number,
    readonly limit: number,
    readonly unit: 'rows' | 'bytes' = 'rows',
  ) {
    super(`ingest queue full: ${queued} ${unit} waiting (limit ${limit})`);
  }
}

export interface WriterLog {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface WriterOptions {
  /** Rows acknowledged but not yet inserted allowed before new batches are refused. */
  maxQueuedRows: number;
  /** Bytes of those rows (as logged) allowed before new batches are refused; they are held in memory. */
  maxQueuedBytes?: number;
  /** Upper bound of rows in one insert (bounds the memory of one insert). */
  maxRowsPerFlush: number;
  /** Directory of the write-ahead log, normally <dataDir>/wal. */
  walDir: string;
  /**
   * fdatasync each append and checkpoint. Off by default: the store's own inserts do not fsync
   * their parts either, so what the log protects by default is a process crash (kill -9, OOM);
   * with fsync on, a machine crash too, at the cost of one disk flush per group commit.
   */
  walFsync?: boolean;
  /** A new log segment starts past this size; segments are deleted once fully inserted. */
  walSegmentBytes?: number;
  log?: WriterLog;
  /** How a range reaches the store (tests and benchmarks swap it). */
  inserter?: BodyInserter;
}

export interface WriterStats {
  /** Inserts into the store (one per table per drained range). */
  flushes: number;
  rowsWritten: number;
  /** Rows acknowledged or being appended, not yet inserted: what counts against maxQueuedRows. */
  queuedRows: number;
  /** Their bytes as logged: what counts against maxQueuedBytes. */
  queuedBytes: number;
  /** Rows in the write-ahead log not yet inserted (acknowledged, not yet queryable). */
  walBacklogRows: number;
  walAppends: number;
  walSegments: number;
  walBytes: number;
  /**
   * Failed attempts at the insert now at the head of the log (0 while inserts go through). While it
   * grows nothing newer is inserted: the log fills and, at maxQueuedRows, ingest answers 429. The
   * store's reasons are in the log only (health answers without a key).
   */
  insertFailures: number;
  /** Inserts the store refused for their data, moved to <walDir>/quarantine. */
  quarantinedInserts: number;
  /** Rows in those inserts. */
  quarantinedRows: number;
}

interface TablePart {
  columns: string;
  lines: string[];
  rows: number;
  days: { min: number; max: number };
}

/** Writes of one event-loop turn, appended together. */
interface Group {
  firstSeq: number;
  rows: number;
  bytes: number;
  parts: Map<TelemetryTable, TablePart>;
  acks: Array<{ resolve: () => void; reject: (err: unknown) => void }>;
}

/** A record in the log, not yet in the store. Its bodies stay in memory (bounded by maxQueuedRows). */
interface Entry extends WalRange {
  firstSeq: number;
  rows: number;
  bytes: number;
  chunks: TableChunk[];
}

const defaultSegmentBytes = 64 * 2 ** 20;
const defaultMaxQueuedBytes = 256 * 2 ** 20;
const retryMinMs = 100;
const retryMaxMs = 5_000;
/** Refusals of the same data (≈ 1.5 s of retries) before it is quarantined; at open and stop, the first. */
const quarantineAfter = 5;

export class TelemetryWriter {
  private seq = 0;
  private pending: Group | undefined;
  /** The group whose append is under way. */
  private appendingGroup: Group | undefined;
  private appending: Promise<void> | undefined;
  private entries: Entry[] = [];
  /** The range whose insert failed: retried as it was, never regrouped, so its token stays valid. */
  private retryBatch: Entry[] | undefined;
  private inserting: Promise<void> | undefined;
  private queuedRows = 0;
  private queuedBytes = 0;
  private walRows = 0;
  private waiters: Array<{ target: number; resolve: () => void; reject: (err: unknown) => void }> = [];
  /** Set while replaying at open: the first range must be exactly the crashed intent. */
  private replayIntent: WalRange | null = null;
  /** At open and at stop an insert failure ends the drain instead of being retried forever. */
  private giveUpOnFailure = false;
  private stopped = false;
  private stopping: Promise<void> | undefined;
  private readonly stats = { flushes: 0, rowsWritten: 0, walAppends: 0, quarantinedInserts: 0, quarantinedRows: 0 };
  private insertFailures = 0;
  private readonly inserter: BodyInserter;

  private constructor(
    private readonly store: StoreClient,
    private readonly options: WriterOptions,
    private readonly wal: WriteAheadLog,
  ) {
    this.inserter = options.inserter ?? storeBodyInserter(store);
  }

  /** Opens the log and replays what it holds beyond the checkpoint before accepting writes. */
  static async open(store: StoreClient, options: WriterOptions): Promise<TelemetryWriter> {
    const log = options.log;
    const { wal, recovered, intent } = await WriteAheadLog.open({
      dir: options.walDir,
      fsync: options.walFsync ?? false,
      segmentBytes: options.walSegmentBytes ?? defaultSegmentBytes,
      warn: (message, details) => log?.warn(details, message),
    });
    const writer = new TelemetryWriter(store, options, wal);
    for (const r of recovered) {
      const rows = r.chunks.reduce((a, c) => a + c.rows, 0);
      const bytes = r.chunks.reduce((a, c) => a + c.body.length, 0);
      writer.entries.push({ ...r, rows, bytes, firstSeq: ++writer.seq });
      writer.queuedRows += rows;
      writer.queuedBytes += bytes;
      writer.walRows += rows;
    }
    if (writer.entries.length) {
      log?.warn({ records: recovered.length, rows: writer.walRows, intent }, 'WAL: replaying acknowledged rows not yet in the store');
      writer.replayIntent = intent;
      writer.giveUpOnFailure = true;
      try {
        // Rows the store refuses for their data are quarantined at the first refusal here, so only a
        // store that fails to take rows at all (down, full) keeps Vigil from starting.
        await writer.drain();
        if (writer.entries.length)
          throw new Error(`WAL replay stopped with ${writer.walRows} rows left: the store did not take them (see the log above); they stay in the WAL`);
      } catch (err) {
        await wal.close();
        throw err;
      }
      writer.giveUpOnFailure = false;
    }
    return writer;
  }

  /** Resolves once the rows are in the write-ahead log; rejects with QueueFullError under overload. */
  write(rows: TelemetryRows): Promise<void> {
    const size = rows.spans.length + rows.logs.length + rows.metrics.length;
    if (size === 0) return Promise.resolve();
    if (this.stopped) return Promise.reject(new Error('the store writer is stopped'));
    if (this.queuedRows > 0 && this.queuedRows + size > this.options.maxQueuedRows) {
      return Promise.reject(new QueueFullError(this.queuedRows, this.options.maxQueuedRows));
    }
    const maxBytes = this.options.maxQueuedBytes ?? defaultMaxQueuedBytes;
    if (this.queuedRows > 0 && this.queuedBytes >= maxBytes) return Promise.reject(new QueueFullError(this.queuedBytes, maxBytes, 'bytes'));
    const group: Group = (this.pending ??= {
      firstSeq: this.seq + 1,
      rows: 0,
      bytes: 0,
      parts: new Map<TelemetryTable, TablePart>(),
      acks: [] as Group['acks'],
    });
    this.seq++;
    // Bytes are counted as UTF-16 length here (the bound is a memory bound, not an exact figure) and
    // the same count is taken off when the rows leave the queue.
    const bytes =
      addLines(group, 'spans', rows.spans, spanRow) + addLines(group, 'logs', rows.logs, logRow) + addLines(group, 'metric_points', rows.metrics, metricRow);
    group.rows += size;
    group.bytes += bytes;
    this.queuedRows += size;
    this.queuedBytes += bytes;
    this.kickAppend();
    return new Promise<void>((resolve, reject) => group.acks.push({ resolve, reject }));
  }

  /** Resolves once everything written before the call is in the store (queryable). */
  sync(): Promise<void> {
    const target = this.seq;
    if (this.settledThrough() >= target) return Promise.resolve();
    if (this.stopping && !this.inserting) return Promise.reject(new Error('the store writer is stopped'));
    return new Promise<void>((resolve, reject) => this.waiters.push({ target, resolve, reject }));
  }

  get load(): number {
    return Math.max(this.queuedRows / this.options.maxQueuedRows, this.queuedBytes / (this.options.maxQueuedBytes ?? defaultMaxQueuedBytes));
  }

  getStats(): WriterStats {
    return {
      ...this.stats,
      queuedRows: this.queuedRows,
      queuedBytes: this.queuedBytes,
      walBacklogRows: this.walRows,
      walSegments: this.wal.segments,
      walBytes: this.wal.bytes,
      insertFailures: this.insertFailures,
    };
  }

  /** Appends and inserts everything already accepted, then refuses new batches. */
  stop(): Promise<void> {
    this.stopped = true;
    this.stopping ??= (async () => {
      while (this.appending) await this.appending;
      // What cannot be inserted now stays in the log and is replayed at the next start.
      this.giveUpOnFailure = true;
      await this.drain();
      if (this.entries.length) this.options.log?.warn({ rows: this.walRows }, 'WAL: rows left for replay at the next start');
      await this.wal.close();
      for (const w of this.waiters.splice(0)) w.reject(new Error('the store writer stopped before these rows were inserted'));
    })();
    return this.stopping;
  }

  private kickAppend(): void {
    // setImmediate: every write of this turn of the event loop joins the group first.
    this.appending ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.appendLoop())
      .finally(() => {
        this.appending = undefined;
        if (this.pending) this.kickAppend();
      });
  }

  private async appendLoop(): Promise<void> {
    while (this.pending) {
      const group = this.pending;
      this.pending = undefined;
      this.appendingGroup = group;
      const chunks = [...group.parts].map(([table, p]): TableChunk => ({
        table,
        rows: p.rows,
        columns: p.columns,
        body: Buffer.from(p.lines.join('')),
        days: p.days,
      }));
      try {
        const range = await this.wal.append(encodeRecord(chunks));
        this.stats.walAppends++;
        this.entries.push({ ...range, firstSeq: group.firstSeq, rows: group.rows, bytes: group.bytes, chunks });
        this.walRows += group.rows;
        for (const a of group.acks) a.resolve();
        this.kickInsert();
      } catch (err) {
        this.queuedRows -= group.rows;
        this.queuedBytes -= group.bytes;
        this.options.log?.error({ err }, 'WAL append failed');
        for (const a of group.acks) a.reject(err);
      } finally {
        this.appendingGroup = undefined;
        this.settleWaiters();
      }
    }
  }

  private kickInsert(): void {
    this.inserting ??= this.insertLoop().finally(() => {
      this.inserting = undefined;
      if (this.entries.length && !this.giveUpOnFailure) this.kickInsert();
    });
  }

  /** Inserts until the log is empty, or until a failure when failures end the drain. */
  private async drain(): Promise<void> {
    while (this.entries.length) {
      this.kickInsert();
      const before = this.entries.length;
      await this.inserting;
      if (this.entries.length >= before && this.giveUpOnFailure) return;
    }
  }

  private async insertLoop(): Promise<void> {
    while (this.entries.length) {
      const batch = (this.retryBatch ??= this.nextRange());
      const last = batch[batch.length - 1]!;
      const range: WalRange = { segment: last.segment, start: batch[0]!.start, end: last.end };
      let quarantinedRows = 0;
      try {
        await this.wal.markIntent(range);
        await this.insertRange(range, batch);
        await this.wal.markInserted(range);
      } catch (err) {
        const failures = ++this.insertFailures;
        const moved = await this.quarantineRefused(err, range, failures);
        if (moved === null) {
          // Never the error object: ClickHouse's messages quote the rows they choke on.
          const inserts = err instanceof RangeInsertError ? describeFailures(err.failed) : [{ reason: classifyRefusal(err).reason }];
          this.options.log?.error({ range, failures, inserts }, 'insert of acknowledged rows failed; retrying (they are safe in the WAL)');
          if (this.giveUpOnFailure) return;
          await sleep(Math.min(retryMaxMs, retryMinMs * 2 ** (failures - 1)));
          continue;
        }
        quarantinedRows = moved;
      }
      this.insertFailures = 0;
      this.retryBatch = undefined;
      const rows = batch.reduce((a, e) => a + e.rows, 0);
      this.entries.splice(0, batch.length);
      this.queuedRows -= rows;
      this.queuedBytes -= batch.reduce((a, e) => a + e.bytes, 0);
      this.walRows -= rows;
      this.stats.rowsWritten += rows - quarantinedRows;
      this.settleWaiters();
    }
  }

  /** The entries of the next insert: one segment, at most maxRowsPerFlush rows, one column list per table. */
  private nextRange(): Entry[] {
    const first = this.entries[0]!;
    const intent = this.replayIntent;
    if (intent && intent.segment === first.segment && intent.start === first.start) {
      this.replayIntent = null;
      return this.entries.filter((e) => e.segment === intent.segment && e.end <= intent.end);
    }
    const columns = new Map(first.chunks.map((c) => [c.table, c.columns]));
    const batch = [first];
    let rows = first.rows;
    for (const e of this.entries.slice(1)) {
      if (e.segment !== first.segment || rows + e.rows > this.options.maxRowsPerFlush) break;
      if (e.chunks.some((c) => (columns.get(c.table) ?? c.columns) !== c.columns)) break;
      for (const c of e.chunks) columns.set(c.table, c.columns);
      batch.push(e);
      rows += e.rows;
    }
    return batch;
  }

  /** One insert per table, or several when its rows span more days than one insert may (wal/split.ts). */
  private async insertRange(range: WalRange, batch: readonly Entry[]): Promise<void> {
    const inserts = planRange(
      this.store.database,
      this.wal.walId,
      range,
      batch.flatMap((e) => e.chunks),
    );
    await runInserts(this.inserter, inserts);
    this.stats.flushes += inserts.length;
  }

  /**
   * When the store has refused these inserts for their data (not failed to take them) often enough,
   * moves their rows to <walDir>/quarantine and marks the range inserted; the inserts that landed
   * stay landed. The rows it moved, or null when it did not (then the range is retried).
   */
  private async quarantineRefused(err: unknown, range: WalRange, failures: number): Promise<number | null> {
    if (!(err instanceof RangeInsertError) || err.failed.some((f) => f.refusal.transient)) return null;
    if (failures < quarantineAfter && !this.giveUpOnFailure) return null;
    const dir = join(this.options.walDir, 'quarantine');
    try {
      const files: string[] = [];
      for (const { insert, err: reason } of err.failed)
        files.push(await quarantineInsert(dir, insert, reason instanceof Error ? reason.message : String(reason), new Date()));
      await this.wal.markInserted(range);
      const rows = err.failed.reduce((a, f) => a + f.insert.rows, 0);
      this.stats.quarantinedInserts += files.length;
      this.stats.quarantinedRows += rows;
      this.options.log?.error(
        { range, failures, inserts: describeFailures(err.failed), files },
        'the store refuses these acknowledged rows as they are: moved to quarantine (the .json beside each file says how to insert them once fixed)',
      );
      return rows;
    } catch (quarantineErr) {
      // Nothing is forgotten unless both the files and the checkpoint were written: retry as usual.
      this.options.log?.error({ err: quarantineErr, range }, 'could not quarantine refused rows; they stay in the WAL');
      return null;
    }
  }

  /** Every write up to this sequence number is inserted or was refused. */
  private settledThrough(): number {
    const unsettled = Math.min(this.entries[0]?.firstSeq ?? Infinity, this.appendingGroup?.firstSeq ?? Infinity, this.pending?.firstSeq ?? Infinity);
    return unsettled === Infinity ? this.seq : unsettled - 1;
  }

  private settleWaiters(): void {
    const through = this.settledThrough();
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (w.target <= through) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }
}

/** Adds the items' rows to the group's part for the table; returns the body's length. */
function addLines<T>(group: Group, table: TelemetryTable, items: readonly T[], toRow: (item: T) => Record<string, unknown>): number {
  if (!items.length) return 0;
  const rows = items.map(toRow);
  const { columns, body } = compactRows(rows);
  const days = daySpan(rows.map((r) => r[partitionColumn[table]] as number));
  const part = group.parts.get(table) ?? { columns: columns.join(','), lines: [], rows: 0, days };
  part.lines.push(body);
  part.rows += items.length;
  part.days = { min: Math.min(part.days.min, days.min), max: Math.max(part.days.max, days.max) };
  group.parts.set(table, part);
  return body.length;
}
