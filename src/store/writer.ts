// Telemetry writes through a write-ahead log. A batch is acknowledged once it is appended to the
// log (group commit: every write of one event-loop turn goes in one append), and a background
// inserter drains the log into the store in big inserts, each recorded as an intent in the
// checkpoint and tagged with a deduplication token, so a crash replays it exactly once. Rows
// acknowledged but not yet inserted are bounded: past the bound new batches are refused (the
// ingest edge answers 429 with Retry-After). `sync()` is the read-your-writes barrier.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogRecord, MetricPoint, Span } from '../model/index.js';
import type { StoreClient } from './client.js';
import { compactRows, logRow, metricRow, spanRow } from './rows.js';
import type { WalRange } from './wal/checkpoint.js';
import { deduplicationToken, storeBodyInserter, type BodyInsert, type BodyInserter } from './wal/insert.js';
import { WriteAheadLog } from './wal/log.js';
import { quarantineInsert, refusedDataCode } from './wal/quarantine.js';
import { encodeRecord, telemetryTables, type TableChunk, type TelemetryTable } from './wal/record.js';

export interface TelemetryRows {
  spans: readonly Span[];
  logs: readonly LogRecord[];
  metrics: readonly MetricPoint[];
}

export class QueueFullError extends Error {
  constructor(
    readonly queuedRows: number,
    readonly limit: number,
  ) {
    super(`ingest queue full: ${queuedRows} rows waiting (limit ${limit})`);
  }
}

export interface WriterLog {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface WriterOptions {
  /** Rows acknowledged but not yet inserted allowed before new batches are refused. */
  maxQueuedRows: number;
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
  /** Per-table inserts the store refused for their data, moved to <walDir>/quarantine. */
  quarantinedInserts: number;
}

interface TablePart {
  columns: string;
  lines: string[];
  rows: number;
}

/** Writes of one event-loop turn, appended together. */
interface Group {
  firstSeq: number;
  rows: number;
  parts: Map<TelemetryTable, TablePart>;
  acks: Array<{ resolve: () => void; reject: (err: unknown) => void }>;
}

/** A record in the log, not yet in the store. Its bodies stay in memory (bounded by maxQueuedRows). */
interface Entry extends WalRange {
  firstSeq: number;
  rows: number;
  chunks: TableChunk[];
}

const defaultSegmentBytes = 64 * 2 ** 20;
const retryMinMs = 100;
const retryMaxMs = 5_000;
/** Refusals of the same data (≈ 1.5 s of retries) before it is quarantined; at open and stop, the first. */
const quarantineAfter = 5;

/** Some of a range's per-table inserts failed (the others landed under their tokens). */
class RangeInsertError extends Error {
  constructor(readonly failed: ReadonlyArray<{ insert: BodyInsert; err: unknown }>) {
    const first = failed[0]!.err;
    super(`insert into ${failed.map((f) => f.insert.table).join(', ')} failed: ${first instanceof Error ? first.message : String(first)}`, { cause: first });
  }
}

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
  private walRows = 0;
  private waiters: Array<{ target: number; resolve: () => void; reject: (err: unknown) => void }> = [];
  /** Set while replaying at open: the first range must be exactly the crashed intent. */
  private replayIntent: WalRange | null = null;
  /** At open and at stop an insert failure ends the drain instead of being retried forever. */
  private giveUpOnFailure = false;
  private stopped = false;
  private stopping: Promise<void> | undefined;
  private readonly stats = { flushes: 0, rowsWritten: 0, walAppends: 0, quarantinedInserts: 0 };
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
      writer.entries.push({ ...r, rows, firstSeq: ++writer.seq });
      writer.queuedRows += rows;
      writer.walRows += rows;
    }
    if (writer.entries.length) {
      log?.warn({ records: recovered.length, rows: writer.walRows, intent }, 'WAL: replaying acknowledged rows not yet in the store');
      writer.replayIntent = intent;
      writer.giveUpOnFailure = true;
      try {
        await writer.drain();
        if (writer.entries.length) throw new Error(`WAL replay stopped with ${writer.walRows} rows left; see the log above`);
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
    const group: Group = (this.pending ??= { firstSeq: this.seq + 1, rows: 0, parts: new Map<TelemetryTable, TablePart>(), acks: [] as Group['acks'] });
    this.seq++;
    addLines(group, 'spans', rows.spans, spanRow);
    addLines(group, 'logs', rows.logs, logRow);
    addLines(group, 'metric_points', rows.metrics, metricRow);
    group.rows += size;
    this.queuedRows += size;
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
    return this.queuedRows / this.options.maxQueuedRows;
  }

  getStats(): WriterStats {
    return {
      ...this.stats,
      queuedRows: this.queuedRows,
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
      const chunks = [...group.parts].map(([table, p]): TableChunk => ({ table, rows: p.rows, columns: p.columns, body: Buffer.from(p.lines.join('')) }));
      try {
        const range = await this.wal.append(encodeRecord(chunks));
        this.stats.walAppends++;
        this.entries.push({ ...range, firstSeq: group.firstSeq, rows: group.rows, chunks });
        this.walRows += group.rows;
        for (const a of group.acks) a.resolve();
        this.kickInsert();
      } catch (err) {
        this.queuedRows -= group.rows;
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
        const moved = await this.quarantineRefused(err, range, batch, failures);
        if (moved === null) {
          this.options.log?.error({ err, range, failures }, 'insert of acknowledged rows failed; retrying (they are safe in the WAL)');
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

  private async insertRange(range: WalRange, batch: readonly Entry[]): Promise<void> {
    const inserts = telemetryTables.flatMap((table): BodyInsert[] => {
      const chunks = batch.flatMap((e) => e.chunks.filter((c) => c.table === table && c.rows > 0));
      if (!chunks.length) return [];
      return [{ table: `${this.store.database}.${table}`, columns: chunks[0]!.columns.split(','), bodies: chunks.map((c) => c.body), token: deduplicationToken(this.wal.walId, range, table) }];
    });
    const results = await Promise.allSettled(inserts.map((i) => this.inserter(i)));
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [{ insert: inserts[i]!, err: r.reason as unknown }] : []));
    if (failed.length) throw new RangeInsertError(failed);
    this.stats.flushes += inserts.length;
  }

  /**
   * When the store has refused this range's data itself (not failed to take it) often enough, moves
   * the refused tables' rows to <walDir>/quarantine and marks the range inserted; the tables that
   * landed stay landed. The rows it moved, or null when it did not (then the range is retried).
   */
  private async quarantineRefused(err: unknown, range: WalRange, batch: readonly Entry[], failures: number): Promise<number | null> {
    if (!(err instanceof RangeInsertError) || !err.failed.every((f) => refusedDataCode(f.err) !== null)) return null;
    if (failures < quarantineAfter && !this.giveUpOnFailure) return null;
    const dir = join(this.options.walDir, 'quarantine');
    try {
      const files: string[] = [];
      let rows = 0;
      for (const { insert, err: reason } of err.failed) {
        files.push(await quarantineInsert(dir, insert, reason instanceof Error ? reason.message : String(reason), new Date()));
        rows += batch.flatMap((e) => e.chunks).reduce((a, c) => a + (`${this.store.database}.${c.table}` === insert.table ? c.rows : 0), 0);
      }
      await this.wal.markInserted(range);
      this.stats.quarantinedInserts += files.length;
      this.options.log?.error({ err, range, failures, files }, 'the store refuses these acknowledged rows as they are: moved to quarantine (the .json beside each file says how to insert them once fixed)');
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

function addLines<T>(group: Group, table: TelemetryTable, items: readonly T[], toRow: (item: T) => Record<string, unknown>): void {
  if (!items.length) return;
  const { columns, body } = compactRows(items.map(toRow));
  const part = group.parts.get(table) ?? { columns: columns.join(','), lines: [], rows: 0 };
  part.lines.push(body);
  part.rows += items.length;
  group.parts.set(table, part);
}
