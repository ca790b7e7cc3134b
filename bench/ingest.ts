// bench:ingest — OTLP protobuf ingest end to end. A separate process sends SDK-shaped requests
// (512 spans or log records each) at increasing rates to a real `vigil start`; we report the
// acknowledged rate, the rate until every acknowledged row is queryable (acknowledgement follows
// the write-ahead-log append, the insert comes after), p99 request latency, the server's peak RSS,
// and, in the same run, the rate of a raw chDB insert of the same rows (the store's own limit
// here) with the ratio between them. The goal is judged on the queryable rate.
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VigilClient, type IngestQueueView } from '../src/client/index.js';
import { decodeLogs, decodeTraces } from '../src/ingest/index.js';
import { compactRows, logRow, migrate, openStore, spanRow } from '../src/store/index.js';
import { logPayloads, tracePayloads, type LoadPhase, type LoadResult } from './ingest-load.js';
import { machineLine, percentile } from './machine.js';

const KEY = 'bench-ingest-key-0123456789abcdef';
const here = fileURLToPath(new URL('.', import.meta.url));
const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
const root = join(here, ext === 'ts' ? '..' : '../..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const spanRates = (process.env.BENCH_SPAN_RATES ?? '25000,50000,65000,80000,100000,150000').split(',').map(Number);
const logRates = (process.env.BENCH_LOG_RATES ?? '50000,75000,100000,150000,200000,300000').split(',').map(Number);

const freePort = (): Promise<number> =>
  new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => res(typeof a === 'object' && a ? a.port : 0));
    });
  });

const rssOf = (pid: number): number => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
};

console.log(machineLine());
console.log(`workload: OTLP/HTTP protobuf, 512 items per request (SDK serializer), ${SECONDS} s per rate step`);

// The load generator: built first so its payloads also feed the raw-insert baseline.
const loader = fork(join(here, `ingest-load.${ext}`), [], { execArgv: ext === 'ts' ? ['--import', 'tsx'] : [], stdio: 'inherit' });
await new Promise<void>((res) => loader.once('message', () => res()));
const runLoad = (phase: LoadPhase): Promise<LoadResult> =>
  new Promise((res) => {
    loader.once('message', (m) => res(m as LoadResult));
    loader.send(phase);
  });

// 1. Raw insert baseline: decode the same SDK payloads, insert their rows directly in big batches.
const rawDir = mkdtempSync(join(tmpdir(), 'vigil-bench-raw-'));
const store = await openStore({ dataDir: rawDir });
await migrate(store);
// The baseline inserts the same rows again and again: without a token the engine would drop each
// repeat as a duplicate block (migration 3), so deduplication is off for this scratch store.
for (const t of ['spans', 'logs', 'trace_index', 'red_1m'])
  await store.ch.command({ query: `ALTER TABLE ${store.database}.${t} MODIFY SETTING non_replicated_deduplication_window = 0` });
async function rawRate(kind: 'spans' | 'logs', via: 'client' | 'store'): Promise<number> {
  const rows: Array<Record<string, unknown>> = [];
  if (kind === 'spans') for (const p of tracePayloads()) rows.push(...decodeTraces(Buffer.from(p), 'protobuf').spans.map(spanRow));
  else for (const p of logPayloads()) rows.push(...decodeLogs(Buffer.from(p), 'protobuf').logs.map(logRow));
  const table = `${store.database}.${kind}`;
  const target = 400_000;
  const start = performance.now();
  let written = 0;
  while (written < target) {
    if (via === 'client') await store.ch.insert({ table, values: rows, format: 'JSONEachRow' });
    else {
      // The writer's own work per insert: serialise the rows, then the engine's buffer insert.
      const { columns, body } = compactRows(rows);
      await store.insertBody(table, columns, Buffer.from(body), {});
    }
    written += rows.length;
  }
  return written / ((performance.now() - start) / 1000);
}
// Two raw figures: JSONEachRow through @clickhouse/client (the original baseline) and the store's
// own insert path (what the writer uses); end-to-end is judged against the faster one.
const clientSpans = await rawRate('spans', 'client');
const clientLogs = await rawRate('logs', 'client');
const storeSpans = await rawRate('spans', 'store');
const storeLogs = await rawRate('logs', 'store');
const rawSpans = Math.max(clientSpans, storeSpans);
const rawLogs = Math.max(clientLogs, storeLogs);
await store.close();
rmSync(rawDir, { recursive: true, force: true });
const perS = (n: number): string => `${Math.round(n).toLocaleString()}/s`;
console.log(`raw chDB insert (same rows, ${'≥'}12k-row inserts), JSONEachRow via @clickhouse/client: spans ${perS(clientSpans)}, logs ${perS(clientLogs)}`);
console.log(`raw chDB insert (same rows, ${'≥'}12k-row inserts), store insert path (writer's): spans ${perS(storeSpans)}, logs ${perS(storeLogs)}`);

// 2. End to end through a real `vigil start` in its own process.
const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-ingest-'));
const [port, otlpPort, grpcPort] = [await freePort(), await freePort(), await freePort()];
const server = spawn(
  process.execPath,
  [
    join(root, 'bin/vigil.js'),
    'start',
    '--data',
    dataDir,
    '--port',
    String(port),
    '--otlp-port',
    String(otlpPort),
    '--otlp-grpc-port',
    String(grpcPort),
    '--log-level',
    'warn',
  ],
  {
    env: { ...process.env, VIGIL_API_KEY: KEY },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
const api = new VigilClient({ url: `http://127.0.0.1:${port}`, apiKey: KEY });
for (let i = 0; i < 200; i++) {
  const ok = await api.health().then(
    () => true,
    () => false,
  );
  if (ok) break;
  await new Promise((r) => setTimeout(r, 250));
}
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(server.pid!))), 100);

const ingestQueue = (): Promise<IngestQueueView> => api.ingestQueue();

/** Polls the server until every acknowledged row is inserted; returns when that was (ms) and the largest backlog seen. */
async function untilQueryable(): Promise<{ atMs: number; peakBacklog: number }> {
  let peakBacklog = 0;
  for (;;) {
    const q = await ingestQueue();
    peakBacklog = Math.max(peakBacklog, q.walBacklogRows);
    if (q.queuedRows === 0) return { atMs: Date.now(), peakBacklog };
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function ladder(kind: 'traces' | 'logs', rates: number[], raw: number, goal: number): Promise<void> {
  let best = 0;
  for (const rate of rates) {
    const r = await runLoad({
      url: `http://127.0.0.1:${otlpPort}`,
      key: KEY,
      kind,
      itemsPerSecond: rate,
      seconds: SECONDS,
      concurrency: Number(process.env.INGEST_CONCURRENCY ?? 8),
    });
    const done = await untilQueryable();
    const lat = r.latenciesMs.sort((a, b) => a - b);
    const acked = r.acceptedItems / Math.max(0.001, (r.lastAckMs - r.firstSendMs) / 1000);
    const queryable = r.acceptedItems / Math.max(0.001, (done.atMs - r.firstSendMs) / 1000);
    const sustained = r.acceptedItems >= 0.98 * r.sentItems && r.failedRequests === 0;
    if (sustained) best = Math.max(best, queryable);
    console.log(
      `  ${kind} target ${rate.toLocaleString().padStart(8)}/s: acked ${Math.round(acked).toLocaleString().padStart(8)}/s  queryable ${Math.round(queryable).toLocaleString().padStart(8)}/s (+${done.atMs - r.lastAckMs} ms after the last ack, backlog ≤ ${done.peakBacklog.toLocaleString()} rows)  p50 ${percentile(lat, 0.5).toFixed(0).padStart(5)} ms  p99 ${percentile(lat, 0.99).toFixed(0).padStart(5)} ms  429/503 ${r.rejectedRequests}  failed ${r.failedRequests}  peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB${sustained ? '' : '  (not sustained)'}`,
    );
  }
  console.log(
    `${kind}: sustained ${Math.round(best).toLocaleString()}/s first send → all queryable = ${((100 * best) / raw).toFixed(0)}% of raw insert (goal ≥ ${goal.toLocaleString()}/s and ≥ 70%)  ${best >= goal && best >= 0.7 * raw ? 'OK' : 'MISSED'}`,
  );
}
await ladder('traces', spanRates, rawSpans, 100_000);
await ladder('logs', logRates, rawLogs, 200_000);
// API reads wait for the write-ahead log's backlog: every accepted server span is counted in the RED rollup.
const services = await api.listServices({ from: Date.now() - 3_600_000 });
console.log(
  `queryable through the API right after the last ack: ${services.services.reduce((a, s) => a + s.requests, 0).toLocaleString()} server spans in the RED rollup`,
);
console.log(`server peak RSS: ${(peakRss / 2 ** 20).toFixed(0)} MiB (goal < 1024 MiB) ${peakRss < 2 ** 30 ? 'OK' : 'MISSED'}`);
clearInterval(sampler);
loader.send('exit');
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
rmSync(dataDir, { recursive: true, force: true });
