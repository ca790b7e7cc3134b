// Answers about the server itself: health (readiness, the engine clock, why it is degraded) and
// who the caller is (the web UI asks after login).
import { z } from 'zod';
import type { WriterStats } from '../../store/index.js';
import type { MemoryStatus } from '../../self-metrics/index.js';
import { isoTime, type Documents } from './common.js';

const count = z.number().int().nonnegative();

/** The write path: what is acknowledged but not yet queryable, and whether inserts go through. */
export const ingestQueueSchema = z.object({
  flushes: count.describe('inserts into the store (one per table per drained range)'),
  rowsWritten: count,
  queuedRows: count.describe('rows acknowledged or being appended, not yet inserted (counts against storage.maxQueuedRows)'),
  queuedBytes: count.describe('their bytes as logged (counts against storage.maxQueuedBytes)'),
  walBacklogRows: count.describe('rows in the write-ahead log not yet inserted'),
  walAppends: count,
  walSegments: count,
  walBytes: count,
  insertFailures: count.describe('failed attempts at the insert at the head of the log; the reasons are in the server log'),
  quarantinedInserts: count.describe('inserts the store refused for their data, moved to <data>/wal/quarantine'),
  quarantinedRows: count,
});

const engineAllocatorSchema = z.object({
  allocatedBytes: z.number(),
  residentBytes: z.number(),
  dirtyDecayMs: z.number().describe("how long freed pages stay before going back to the system (jemalloc's dirty_decay_ms)"),
});

/** Bytes the process holds and what the store's engine holds (embedded, part of rssBytes). */
export const memorySchema = z.object({
  rssBytes: z.number(),
  heapUsedBytes: z.number(),
  heapTotalBytes: z.number(),
  externalBytes: z.number(),
  engineTrackedBytes: z.number().nullable().describe("the engine's MemoryTracking; null when the store did not answer within 2 s"),
  engineAllocator: engineAllocatorSchema.nullable().describe("the engine's allocator; null when it did not answer or has none"),
});

export const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    reasons: z.array(z.string()).optional().describe('why it is degraded'),
    clock: z.enum(['wall', 'event']),
    watermark: isoTime.nullable().describe('event time up to which every accepted OTLP request has been processed'),
    watermarkMs: z.number(),
    ingestQueue: ingestQueueSchema.optional(),
    memory: memorySchema.optional(),
  })
  .catchall(z.unknown())
  .describe('plus open sections about the running server (pipeline, notifications)');

export const sessionSchema = z.object({
  name: z.string().describe('the name of the key the caller holds'),
  scopes: z.array(z.enum(['ingest', 'read', 'write', 'admin'])),
  via: z.enum(['bearer', 'session']),
});

export type IngestQueueDocumented = Documents<typeof ingestQueueSchema, WriterStats>;
export type MemoryDocumented = Documents<typeof memorySchema, MemoryStatus>;
