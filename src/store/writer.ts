// Group commit for telemetry: concurrent ingest requests queue their batches, one flush writes
// everything queued in at most three inserts, and each request is acknowledged only after the
// insert that carries its rows has returned. The queue is bounded by rows: past the bound new
// batches are refused (the ingest edge answers 429 with Retry-After) instead of growing memory.
import type { LogRecord, MetricPoint, Span } from '../model/index.js';
import type { StoreClient } from './client.js';
import { logRow, metricRow, spanRow } from './rows.js';

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

interface Pending {
  rows: TelemetryRows;
  size: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface WriterOptions {
  /** Rows allowed to wait for a write before new batches are refused. */
  maxQueuedRows: number;
  /** Upper bound of rows in one flush (bounds the memory of one insert). */
  maxRowsPerFlush: number;
}

export interface WriterStats {
  flushes: number;
  rowsWritten: number;
  queuedRows: number;
}

export class TelemetryWriter {
  private queue: Pending[] = [];
  private queuedRows = 0;
  private flushing: Promise<void> | null = null;
  private stopped = false;
  private readonly stats = { flushes: 0, rowsWritten: 0 };

  constructor(
    private readonly store: StoreClient,
    private readonly options: WriterOptions,
  ) {}

  /** Resolves once the rows are in the store; rejects with QueueFullError under overload. */
  write(rows: TelemetryRows): Promise<void> {
    const size = rows.spans.length + rows.logs.length + rows.metrics.length;
    if (size === 0) return Promise.resolve();
    if (this.stopped) return Promise.reject(new Error('the store writer is stopped'));
    if (this.queuedRows > 0 && this.queuedRows + size > this.options.maxQueuedRows) {
      return Promise.reject(new QueueFullError(this.queuedRows, this.options.maxQueuedRows));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows, size, resolve, reject });
      this.queuedRows += size;
      this.kick();
    });
  }

  get load(): number {
    return this.queuedRows / this.options.maxQueuedRows;
  }

  getStats(): WriterStats {
    return { ...this.stats, queuedRows: this.queuedRows };
  }

  /** Writes everything already accepted, then refuses new batches. */
  async stop(): Promise<void> {
    this.stopped = true;
    while (this.flushing || this.queue.length) {
      this.kick();
      await this.flushing;
    }
  }

  private kick(): void {
    if (this.flushing) return;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null;
      if (this.queue.length) this.kick();
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length) {
      const group: Pending[] = [];
      let rows = 0;
      while (this.queue.length && (group.length === 0 || rows + this.queue[0]!.size <= this.options.maxRowsPerFlush)) {
        const p = this.queue.shift()!;
        group.push(p);
        rows += p.size;
      }
      try {
        await this.insertGroup(group);
        this.stats.flushes++;
        this.stats.rowsWritten += rows;
        for (const p of group) p.resolve();
      } catch (err) {
        for (const p of group) p.reject(err);
      } finally {
        this.queuedRows -= rows;
      }
    }
  }

  private async insertGroup(group: Pending[]): Promise<void> {
    const { database: db } = this.store;
    const spans = group.flatMap((p) => p.rows.spans.map(spanRow));
    const logs = group.flatMap((p) => p.rows.logs.map(logRow));
    const metrics = group.flatMap((p) => p.rows.metrics.map(metricRow));
    await Promise.all([
      this.store.insertRows(`${db}.spans`, spans),
      this.store.insertRows(`${db}.logs`, logs),
      this.store.insertRows(`${db}.metric_points`, metrics),
    ]);
  }
}
