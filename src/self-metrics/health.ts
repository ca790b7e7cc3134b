// Why Vigil is degraded, in words an operator acts on: the store not answering, inserts failing,
// the ingest queue nearly full, notifications failing. Health says "degraded" with these reasons
// instead of a constant "ok".

import type { EngineAllocator } from '../store/index.js';

/** Bytes the process holds (JS heap; embedded, the engine's native memory is rss − heap) and what the engine holds. */
export interface MemoryStatus {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  /** ClickHouse's MemoryTracking; null when the store did not answer in time. */
  engineTrackedBytes: number | null;
  engineAllocator: EngineAllocator | null;
}

export interface HealthFacts {
  /** False when the store did not answer a small query in time. */
  storeAnswered: boolean;
  insertFailures: number;
  queuedRows: number;
  maxQueuedRows: number;
  queuedBytes?: number;
  maxQueuedBytes?: number;
  /** Per channel: messages waiting and the last delivery error, if the last attempt failed. */
  notifications: Record<string, { pending: number; dead: number; lastError?: string }>;
}

/** Above this share of its bound the queue is about to refuse ingest (429). */
export const queueWarningShare = 0.8;

export function degradedReasons(f: HealthFacts): string[] {
  const reasons: string[] = [];
  if (!f.storeAnswered) reasons.push('the store is not answering (a query got no answer within 2 s)');
  if (f.insertFailures > 0)
    reasons.push(`inserts into the store are failing (${f.insertFailures} failed attempts at the oldest queued rows; see the server log)`);
  if (f.maxQueuedRows > 0 && f.queuedRows > queueWarningShare * f.maxQueuedRows) {
    reasons.push(
      `the ingest queue is ${Math.round((100 * f.queuedRows) / f.maxQueuedRows)}% full (${f.queuedRows} of ${f.maxQueuedRows} rows): ingest answers 429 when it is full`,
    );
  }
  if (f.maxQueuedBytes && f.queuedBytes !== undefined && f.queuedBytes > queueWarningShare * f.maxQueuedBytes) {
    reasons.push(
      `the ingest queue holds ${Math.round((100 * f.queuedBytes) / f.maxQueuedBytes)}% of its byte bound (${Math.round(f.queuedBytes / 2 ** 20)} of ${Math.round(f.maxQueuedBytes / 2 ** 20)} MiB): ingest answers 429 when it is full`,
    );
  }
  for (const [channel, s] of Object.entries(f.notifications)) {
    if (s.lastError && s.pending > 0) reasons.push(`notifications to ${channel} are failing (${s.pending} waiting; last error: ${s.lastError.slice(0, 200)})`);
  }
  return reasons;
}
