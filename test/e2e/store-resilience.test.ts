// Nothing in the data stops the store (issue 17): spans given straight to RunningVigil.ingest
// (bypassing the decoder's own repairs) with a lone UTF-16 surrogate, on 150 days in one request,
// or with a value the engine refuses, are quarantined or split, never retried forever; normal spans
// sent after each are queryable through the API; a restart on the same data directory comes up; and
// in --clock event one span ten years ahead moves the watermark for nobody.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { VigilClient, type IngestQueueView } from '../../src/client/index.js';
import { resolveConfig } from '../../src/config/index.js';
import type { Span } from '../../src/model/index.js';
import { startVigil, type RunningVigil } from '../../src/server.js';
import { makeSpan } from '../support/records.js';
import { TEST_KEY } from '../support/vigil-process.js';

const T0 = Date.UTC(2026, 4, 4, 9, 0, 0);
const DAY = 86_400_000;
const FAR = T0 + 10 * 365 * DAY;

let dir: string;
let vigil: RunningVigil;
let traceN = 0;
const start = (): Promise<RunningVigil> =>
  startVigil(resolveConfig({ data: dir, port: 0, otlpPort: 0, otlpGrpcPort: 0, clock: 'event', logLevel: 'silent' }, { VIGIL_API_KEY: TEST_KEY }));
const api = (): VigilClient => new VigilClient({ url: vigil.apiUrl, apiKey: TEST_KEY, timeoutMs: 60_000 });
/** One trace of `n` normal server spans at `atMs`; returns its id. */
const normalTrace = async (atMs: number, n = 3): Promise<string> => {
  const traceId = (0xe2e000 + ++traceN).toString(16).padStart(32, '0');
  const spans: Span[] = Array.from({ length: n }, (_v, i) => makeSpan({ traceId, service: 'after-svc', kind: 'server', startTimeMs: atMs + i * 100 }));
  await vigil.ingest({ spans, logs: [], metrics: [] });
  return traceId;
};
const spansOf = async (traceId: string): Promise<number> => (await api().getTrace(traceId)).spans.length;
/** The health answer's engine clock and its ingest queue section. */
const health = async (): Promise<{ watermarkMs: number; ingestQueue: IngestQueueView }> => {
  const h = await api().health();
  if (!h.ingestQueue) throw new Error('health has no ingestQueue section');
  return { watermarkMs: h.watermarkMs, ingestQueue: h.ingestQueue };
};

void describe('the store is never stopped by data', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-resilience-'));
    vigil = await start();
    assert.equal(await spansOf(await normalTrace(T0)), 3);
  });
  after(async () => {
    await vigil.stop();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  void it('a span with a lone surrogate is quarantined and the spans after it are queryable', async () => {
    await vigil.ingest({ spans: [makeSpan({ service: 'surrogate-svc', name: 'GET /\ud83d', startTimeMs: T0 + 1000 })], logs: [], metrics: [] });
    assert.equal(await spansOf(await normalTrace(T0 + 2000)), 3);
    const h = await health();
    assert.deepEqual(
      [h.ingestQueue.quarantinedInserts, h.ingestQueue.quarantinedRows, h.ingestQueue.insertFailures, h.ingestQueue.walBacklogRows],
      [1, 1, 0, 0],
    );
  });

  void it('one request with spans on 150 days is stored whole, and the spans after it are queryable', async () => {
    const traceId = 'b'.repeat(32);
    await vigil.ingest({
      spans: Array.from({ length: 150 }, (_v, i) => makeSpan({ traceId, service: 'backfill-svc', startTimeMs: T0 - i * DAY })),
      logs: [],
      metrics: [],
    });
    assert.equal(await spansOf(await normalTrace(T0 + 3000)), 3);
    assert.equal(await spansOf(traceId), 150);
    assert.equal((await health()).ingestQueue.quarantinedInserts, 1, 'nothing more quarantined');
  });

  void it('a range the engine refuses for its data (a negative status code) is quarantined and the log moves on', async () => {
    await vigil.ingest({ spans: [makeSpan({ service: 'refused-svc', httpStatusCode: -1, startTimeMs: T0 + 4000 })], logs: [], metrics: [] });
    assert.equal(await spansOf(await normalTrace(T0 + 5000)), 3);
    const h = await health();
    assert.deepEqual([h.ingestQueue.quarantinedInserts, h.ingestQueue.insertFailures], [2, 0]);
    assert.equal(readdirSync(join(dir, 'wal', 'quarantine')).filter((f) => f.endsWith('.rows')).length, 2);
  });

  void it('one span ten years ahead moves the watermark for nobody; later spans still count', async () => {
    const before = (await health()).watermarkMs;
    assert.ok(before >= T0 && before < T0 + DAY, new Date(before).toISOString());
    await vigil.ingest({ spans: [makeSpan({ service: 'skewed-svc', startTimeMs: FAR })], logs: [], metrics: [] });
    const traceId = await normalTrace(T0 + 60_000);
    assert.equal(await spansOf(traceId), 3);
    const w = (await health()).watermarkMs;
    assert.ok(w >= T0 + 60_000 && w < T0 + DAY, `watermark ${new Date(w).toISOString()}`);
  });

  void it('a restart on the same data directory comes up with everything in place', async () => {
    const traceId = await normalTrace(T0 + 120_000);
    await vigil.stop();
    vigil = await start();
    assert.equal(await spansOf(traceId), 3);
    assert.equal(await spansOf('b'.repeat(32)), 150);
    assert.equal(await spansOf(await normalTrace(T0 + 180_000)), 3);
    const w = (await health()).watermarkMs;
    assert.ok(w < T0 + DAY, `watermark after restart ${new Date(w).toISOString()}`);
  });
});
