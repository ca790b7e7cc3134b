// What the store's engine holds in memory, for /api/v1/health. Embedded, it is part of Vigil's own
// RSS, and most of the native part of it: the engine's accounting (MemoryTracking) covers queries,
// merges and caches; its allocator (jemalloc) also keeps freed pages for reuse until they decay,
// which is what makes the process's RSS swing during bursts of queries.
import type { StoreClient } from './client.js';

export interface EngineAllocator {
  /** Bytes in live allocations. */
  allocatedBytes: number;
  /** Bytes in pages the allocator keeps mapped and touched: live, cached for reuse, its own metadata. */
  residentBytes: number;
  /** How long freed pages stay before they go back to the system (jemalloc's dirty_decay_ms). */
  dirtyDecayMs: number;
}

export interface EngineMemory {
  /** ClickHouse's MemoryTracking; null when the store did not answer in time. */
  trackedBytes: number | null;
  /** The engine's allocator; null when the store did not answer in time or has no jemalloc. */
  allocator: EngineAllocator | null;
}

/** Health must answer even when the store hangs: each figure gets this long, then it is null. */
const ANSWER_WITHIN_MS = 2_000;

export async function readEngineMemory(store: StoreClient, answerWithinMs = ANSWER_WITHIN_MS): Promise<EngineMemory> {
  const [tracked, stats] = await Promise.all([
    withinTime(scalar(store, `SELECT value FROM system.metrics WHERE metric = 'MemoryTracking'`), answerWithinMs),
    withinTime(scalar(store, `SELECT stats FROM system.jemalloc_stats`), answerWithinMs),
  ]);
  return { trackedBytes: tracked === null ? null : Number(tracked), allocator: typeof stats === 'string' ? parseJemallocStats(stats) : null };
}

/**
 * The totals line and the decay setting of jemalloc's malloc_stats_print text, e.g.
 * `Allocated: 26717752, active: 27267072, metadata: 5426928 (…), resident: 37404672, mapped: …` and
 * `opt.dirty_decay_ms: 5000 (arenas.dirty_decay_ms: 5000)`; null when either is missing.
 */
export function parseJemallocStats(text: string): EngineAllocator | null {
  const totals = /^Allocated: (\d+), active: \d+, metadata: \d+ .*?, resident: (\d+),/m.exec(text);
  // The arenas' value is the one in force (the engine may change it at run time).
  const decay = /^\s*opt\.dirty_decay_ms: -?\d+ \(arenas\.dirty_decay_ms: (-?\d+)\)/m.exec(text);
  if (!totals || !decay) return null;
  return { allocatedBytes: Number(totals[1]), residentBytes: Number(totals[2]), dirtyDecayMs: Number(decay[1]) };
}

async function scalar(store: StoreClient, query: string): Promise<unknown> {
  const rs = await store.ch.query({ query, format: 'JSONCompactEachRow' });
  const rows = await rs.json<unknown[]>();
  return rows[0]?.[0] ?? null;
}

/** The value, or null when it fails or takes longer than `ms` (the query is left to finish on its own). */
async function withinTime<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([work.catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}
