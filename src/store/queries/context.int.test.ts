// The ContextQueries port's shared contract: the ClickHouse implementation must answer what the
// in-memory reference answers, on the same simulated shop data with the seed fault injected.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InMemoryContextQueries, type ContextQueries, type ErrorGroup } from '../../context/index.js';
import type { ChangeEvent, LogRecord, Span } from '../../model/index.js';
import { simulateShop } from '../../sim/index.js';
import { insertChanges, TelemetryWriter, type StoreClient } from '../index.js';
import { ClickHouseContextQueries } from './context.js';
import { ScratchStore } from '../testing/scratch-store.js';

const T0 = Date.UTC(2026, 10, 2, 14, 0, 0);
const onset = T0 + 10 * 60_000;
const range = { fromMs: T0, toMs: T0 + 20 * 60_000, limit: 50 };

describe('ContextQueries: ClickHouse answers like the in-memory reference', () => {
  let dir: string;
  let store: StoreClient;
  let scratch: ScratchStore;
  let ch: ContextQueries;
  let mem: ContextQueries;
  const spans: Span[] = [];
  const logs: LogRecord[] = [];
  const changes: ChangeEvent[] = [];

  before(async () => {
    for (const b of simulateShop({
      seed: 7,
      startMs: T0,
      durationMs: 20 * 60_000,
      rps: 4,
      faults: [{ name: 'pool-exhaustion-deploy', atMs: onset }],
      deployEveryMs: 0,
    })) {
      spans.push(...b.spans);
      logs.push(...b.logs);
      changes.push(...b.changes);
    }
    scratch = await ScratchStore.open('vigil-ctx-');
    ({ dir, store } = scratch);
    const writer = await TelemetryWriter.open(store, { maxQueuedRows: 10_000_000, maxRowsPerFlush: 100_000, walDir: join(dir, 'wal') });
    await writer.write({ spans, logs, metrics: [] });
    await writer.stop();
    await insertChanges(store, changes);
    ch = new ClickHouseContextQueries(store);
    mem = new InMemoryContextQueries({ spans, logs, changes });
  });
  after(async () => {
    await scratch.close();
  });

  it('endpoint stats: same endpoints, requests and errors', async () => {
    const q = { ...range, services: ['payment', 'checkout'] };
    const key = (e: { service: string; method: string; route: string; requests: number; errors: number }): string =>
      `${e.service} ${e.method} ${e.route} ${e.requests} ${e.errors}`;
    const [a, b] = [await ch.endpointStats(q), await mem.endpointStats(q)];
    assert.ok(a.length > 0);
    assert.deepEqual(a.map(key).sort(), b.map(key).sort());
  });

  it('error groups: the same total count of failing spans, the pool timeout among the largest', async () => {
    const q = { ...range, fromMs: onset, services: ['payment'] };
    const [a, b] = [await ch.errorGroups(q), await mem.errorGroups(q)];
    assert.equal(
      a.reduce((s, g) => s + g.count, 0),
      b.reduce((s, g) => s + g.count, 0),
    );
    assert.ok(a.length > 0);
    assert.match(a[0]!.message.toLowerCase(), /timeout|pool/);
  });

  it('error groups: the same groups, fingerprints, trace counts and first occurrences, in the same order', async () => {
    const q = { ...range, services: ['payment', 'checkout', 'frontend'] };
    const key = (g: ErrorGroup): string => [g.service, g.fingerprint, g.exceptionType, g.message, g.count, g.sampleTraceId, g.firstSeenVersion].join(' | ');
    const [a, b] = [await ch.errorGroups(q), await mem.errorGroups(q)];
    // Untyped groups and groups a typed client span shares with its untyped server span both occur.
    assert.ok(b.some((g) => g.exceptionType === '') && b.some((g) => g.exceptionType !== ''));
    assert.deepEqual(a.map(key), b.map(key));
    a.forEach((g, i) => assert.ok(Math.abs(g.firstSeenMs - b[i]!.firstSeenMs) < 0.001));
  });

  it('affected users and entry traffic match', async () => {
    const q = { ...range, fromMs: onset, services: ['payment'], userAttribute: 'enduser.id' };
    assert.deepEqual({ ...(await ch.affectedUsers(q)), sample: [] }, { ...(await mem.affectedUsers(q)), sample: [] });
    const e = { ...range, fromMs: onset, services: ['frontend'], slowMs: 1000, usual: [], minRequests: 20 };
    assert.deepEqual(await ch.entryTraffic(e), await mem.entryTraffic(e));
    // Every endpoint judged by its own usual p95 from before the onset, as context assembly does.
    const usual = (await mem.endpointStats({ ...range, toMs: onset, services: ['frontend'] })).map((s) => ({ ...s, p95Ms: s.p95Ms / 2 }));
    const judged = { ...e, usual };
    const [fromStore, reference] = [await ch.entryTraffic(judged), await mem.entryTraffic(judged)];
    assert.ok(reference.slowed > 0 && reference.slow > 0, JSON.stringify(reference));
    assert.deepEqual(fromStore, reference);
  });

  it('example traces are real failing traces of the services', async () => {
    const failing = await ch.exampleTraces({ ...range, fromMs: onset, services: ['payment'], kind: 'failing', limit: 3 });
    assert.equal(failing.length, 3);
    for (const t of failing)
      assert.ok(spans.some((s) => s.traceId === t.traceId && s.service === 'payment' && (s.statusCode === 'error' || s.httpStatusCode >= 500)));
  });

  const failed = (s: Span): boolean => s.statusCode === 'error' || s.httpStatusCode >= 500;
  type Examples = Awaited<ReturnType<ContextQueries['exampleTraces']>>;
  // Stored times are whole microseconds, so the start is compared to within one.
  const sameExamples = (a: Examples, b: Examples): void => {
    assert.deepEqual(
      a.map((e) => ({ ...e, startTimeMs: 0 })),
      b.map((e) => ({ ...e, startTimeMs: 0 })),
    );
    a.forEach((e, i) => assert.ok(Math.abs(e.startTimeMs - b[i]!.startTimeMs) < 0.001));
  };

  it('failing examples: the same traces, failing server spans first, with the same detail', async () => {
    const q = { ...range, fromMs: onset, services: ['checkout', 'payment'], kind: 'failing' as const, limit: 20 };
    const a = await ch.exampleTraces(q);
    assert.equal(a.length, 20);
    sameExamples(a, await mem.exampleTraces(q));
  });

  it('slow examples: the same slowest successful server spans, never a failing one', async () => {
    const q = { ...range, fromMs: onset, services: ['checkout', 'payment'], kind: 'slow' as const, minDurationMs: 500, limit: 30 };
    // The window has failing requests slower than the threshold, which must not be shown as slow.
    assert.ok(spans.some((s) => q.services.includes(s.service) && s.kind === 'server' && s.startTimeMs >= onset && failed(s) && s.durationMs >= 500));
    const a = await ch.exampleTraces(q);
    assert.equal(a.length, 30);
    sameExamples(a, await mem.exampleTraces(q));
  });

  it('healthy examples skip traces with an error span in any service, across several pages of candidates', async () => {
    const q = { ...range, fromMs: onset, services: ['cart', 'shipping', 'payment'], kind: 'healthy' as const, maxDurationMs: 10_000, limit: 1000 };
    // Successful server spans of the services whose traces fail elsewhere: the case a span filter misses.
    const failingTraces = new Set(spans.filter(failed).map((s) => s.traceId));
    assert.ok(spans.some((s) => q.services.includes(s.service) && s.kind === 'server' && s.startTimeMs >= onset && !failed(s) && failingTraces.has(s.traceId)));
    const a = await ch.exampleTraces(q);
    assert.equal(a.length, 1000);
    assert.ok(a.every((e) => !failingTraces.has(e.traceId)));
    sameExamples(a, await mem.exampleTraces(q));
  });

  it('log templates: same templates with the same before/after counts', async () => {
    const q = { ...range, services: ['payment'], onsetMs: onset, limit: 100_000 };
    const key = (t: { service: string; template: string; before: number; after: number }): string => `${t.service}|${t.template}|${t.before}|${t.after}`;
    assert.deepEqual((await ch.logTemplates(q)).map(key).sort(), (await mem.logTemplates(q)).map(key).sort());
  });

  it('changes of the services in the range, oldest first', async () => {
    const q = { ...range, services: ['payment'] };
    assert.deepEqual(
      (await ch.changes(q)).map((c) => c.id),
      (await mem.changes(q)).map((c) => c.id),
    );
  });
});
