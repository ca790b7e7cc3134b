// Reading the engine's memory for /api/v1/health: jemalloc's statistics text, and an answer in
// bounded time when the store hangs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoreClient } from './client.js';
import { parseJemallocStats, readEngineMemory } from './engine-memory.js';

// Lines as chDB's system.jemalloc_stats prints them (jemalloc 5.3), trimmed.
const STATS = [
  '___ Begin jemalloc statistics ___',
  '  opt.dirty_decay_ms: 5000 (arenas.dirty_decay_ms: 0)',
  '  opt.muzzy_decay_ms: 0 (arenas.muzzy_decay_ms: 0)',
  'Arenas: 4',
  'Allocated: 26717752, active: 27267072, metadata: 5426928 (n_thp 0, edata 141568, rtree 4194304), resident: 37404672, mapped: 49127424, retained: 2777088',
  'Background threads: 3, num_runs: 5, run_interval: 12989730 ns',
  'arenas[0]:',
  'assigned threads: 5',
  '   dirty:  5000           17            0            0            0',
].join('\n');

void describe('engine memory', () => {
  void it('reads the totals and the decay in force from jemalloc statistics', () => {
    assert.deepEqual(parseJemallocStats(STATS), { allocatedBytes: 26_717_752, residentBytes: 37_404_672, dirtyDecayMs: 0 });
  });

  void it('gives null for text that is not jemalloc statistics', () => {
    assert.equal(parseJemallocStats(''), null);
    assert.equal(parseJemallocStats(STATS.replace(/^Allocated.*$/m, '')), null);
    assert.equal(parseJemallocStats(STATS.replace(/^.*opt\.dirty_decay_ms.*$/m, '')), null);
  });

  void it('answers with nulls in bounded time when the store hangs or fails', async () => {
    const hanging = { ch: { query: () => new Promise(() => undefined) } } as unknown as StoreClient;
    const t0 = Date.now();
    assert.deepEqual(await readEngineMemory(hanging, 50), { trackedBytes: null, allocator: null });
    assert.ok(Date.now() - t0 < 1_000, `took ${Date.now() - t0} ms`);
    const failing = { ch: { query: () => Promise.reject(new Error('store down')) } } as unknown as StoreClient;
    assert.deepEqual(await readEngineMemory(failing, 50), { trackedBytes: null, allocator: null });
  });
});
