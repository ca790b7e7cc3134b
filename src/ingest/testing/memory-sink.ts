// An in-memory IngestSink for the receiver tests: keeps every accepted batch and can be switched
// to refuse with IngestOverloadedError, like a full store queue, or to fail like a broken store.
import type { IngestOverloadedError } from '../errors.js';
import type { IngestSink, TelemetryBatch } from '../types.js';

export class MemorySink implements IngestSink {
  readonly batches: TelemetryBatch[] = [];
  overloaded: IngestOverloadedError | undefined;
  /** Any other failure (not overload): the receivers must answer it as an internal error. */
  broken: Error | undefined;

  accept(batch: TelemetryBatch): Promise<void> {
    if (this.overloaded) return Promise.reject(this.overloaded);
    if (this.broken) return Promise.reject(this.broken);
    this.batches.push(batch);
    return Promise.resolve();
  }

  take(): TelemetryBatch {
    const all: TelemetryBatch = { spans: [], logs: [], metrics: [] };
    for (const b of this.batches.splice(0)) {
      all.spans.push(...b.spans);
      all.logs.push(...b.logs);
      all.metrics.push(...b.metrics);
    }
    return all;
  }
}

export const TEST_KEY = 'test-ingest-key';
export const testAuthenticate = (header: string | undefined): Promise<boolean> => Promise.resolve(header === `Bearer ${TEST_KEY}`);

/** An IngestErrorLog that keeps what it was told, for asserting that failures are logged. */
export class RecordingErrorLog {
  readonly entries: Array<{ message: string; signal: string; transport: string; err: unknown }> = [];
  error(details: { err: unknown; signal: string; transport: string }, message: string): void {
    this.entries.push({ message, ...details });
  }
}
