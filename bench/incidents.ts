// bench:incidents — (a) wall-clock latency from the ingest() of the batch that triggers an incident
// to the moment GET /api/v1/incidents lists it, through a real in-process Vigil (event clock) fed by
// the shop simulator with faults; (b) incident context assembly time on a store holding 10M spans.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilClient } from '../src/client/index.js';
import { resolveConfig } from '../src/config/index.js';
import { assembleContext, type ContextQueries } from '../src/context/index.js';
import { ClickHouseContextQueries } from '../src/store/index.js';
import { startVigil } from '../src/server.js';
import { simulateShop, ROUTES } from '../src/sim/index.js';
import { insertChanges, migrate, openStore } from '../src/store/index.js';
import { machineLine, percentile } from './machine.js';

const KEY = 'bench-admin-key-0123456789abcdef';
const SPANS = Number(process.env.BENCH_SPANS ?? 10_000_000);
const LOGS = Number(process.env.BENCH_LOGS ?? Math.round(SPANS / 4));
const CONTEXT_RUNS = Number(process.env.BENCH_CONTEXT_RUNS ?? 20);
/** "fault:seed,fault:seed" — the scenarios of part (a). */
const SCENARIOS = (
  process.env.BENCH_SCENARIOS ?? 'pool-exhaustion-deploy:11,pool-exhaustion-deploy:23,latency-deploy:11,new-exception-deploy:11,cache-outage:11'
)
  .split(',')
  .filter(Boolean)
  .map((s) => {
    const [fault = '', seed = '1'] = s.split(':');
    return { fault, seed: Number(seed) };
  });
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MIN ?? 40) * 60_000;
const AFTER_MS = 12 * 60_000;
const T0 = Date.UTC(2026, 10, 3, 13, 0, 0);

console.log(machineLine());

// ---- (a) incident open latency -------------------------------------------------------------
console.log(
  `(a) open latency: ${SCENARIOS.length} scenarios, ${WARMUP_MS / 60_000} min warm-up then up to ${AFTER_MS / 60_000} min of fault, rps 6, 5 s batches, event clock`,
);
const latencies: number[] = [];
for (const { fault, seed } of SCENARIOS) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-incidents-'));
  const vigil = await startVigil(resolveConfig({ data: dir, port: 0, otlpPort: 0, otlpGrpcPort: 0, clock: 'event', logLevel: 'warn' }, { VIGIL_API_KEY: KEY }));
  const api = new VigilClient({ url: vigil.apiUrl, apiKey: KEY });
  const listed = async (): Promise<number> => (await api.listIncidents({ status: 'all' })).incidents.length;
  const onset = T0 + WARMUP_MS;
  // Incidents open before the onset are false ones: counted, and not taken for the fault's.
  let before: number | undefined;
  let latencyMs: number | undefined;
  let batchesAfter = 0;
  let ingestMs: number;
  try {
    const t = performance.now();
    for (const b of simulateShop({ seed, startMs: T0, durationMs: WARMUP_MS + AFTER_MS, rps: 6, faults: [{ name: fault, atMs: onset }] })) {
      for (const c of b.changes) await vigil.pipeline.recordChange({ ...c, source: 'api' });
      if (b.timeMs <= onset) {
        await vigil.ingest(b);
        continue;
      }
      // After the onset: poll the API while this batch is ingested, so the figure is the time until
      // a client can see the incident, not merely until ingest() returned.
      before ??= await listed();
      batchesAfter++;
      const start = performance.now();
      let done = false;
      const ingesting = vigil.ingest(b).finally(() => (done = true));
      let seen = false;
      while (!seen) {
        seen = (await listed()) > before;
        if (seen || done) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await ingesting;
      if (!seen) seen = (await listed()) > before;
      if (seen) {
        latencyMs = performance.now() - start;
        break;
      }
    }
    ingestMs = performance.now() - t;
  } finally {
    await vigil.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  if (latencyMs !== undefined) latencies.push(latencyMs);
  const what =
    latencyMs === undefined
      ? 'no incident opened'
      : `opened ${(latencyMs / 1000).toFixed(3)} s after its batch's ingest() (batch ${batchesAfter} after onset, event time +${((batchesAfter * 5) / 60).toFixed(1)} min)`;
  console.log(
    `  ${fault.padEnd(24)} seed ${String(seed).padEnd(3)} ${what}; ${before ?? 0} incidents before the onset   [scenario ${(ingestMs / 1000).toFixed(1)} s wall]`,
  );
}
latencies.sort((a, b) => a - b);
if (latencies.length) {
  const p50 = percentile(latencies, 0.5) / 1000;
  const max = latencies[latencies.length - 1]! / 1000;
  console.log(
    `open latency: median ${p50.toFixed(3)} s   max ${max.toFixed(3)} s   (${latencies.length}/${SCENARIOS.length} opened)   goal < 5 s  ${max < 5 ? 'OK' : 'MISSED'}`,
  );
} else {
  console.log('open latency: no scenario opened an incident   goal < 5 s  MISSED');
}

// ---- (b) context assembly on a large store --------------------------------------------------
const DAY_US = 86_400_000_000;
const T0_US = 1_764_000_000_000_000; // 2025-11-24T16:00Z
const FAULT_FROM_US = T0_US + 14 * 3_600_000_000;
const FAULT_TO_US = FAULT_FROM_US + 30 * 60_000_000;
const server = ROUTES.filter((r) => r.method !== 'CONSUME');
const svcArr = `[${server.map((r) => `'${r.service}'`).join(',')}]`;
const methodArr = `[${server.map((r) => `'${r.method}'`).join(',')}]`;
const routeArr = `[${server.map((r) => `'${r.route}'`).join(',')}]`;
const R = server.length;

console.log(
  `(b) context assembly: ${SPANS.toLocaleString()} spans (shop services, ${R} routes, 8 spans per trace: 1 server + 7 client, 24 h) and ${LOGS.toLocaleString()} log lines; a 30 min fault window where payment POST /pay fails 15% with a pool timeout and checkout/frontend fail after it`,
);
const bdir = mkdtempSync(join(tmpdir(), 'vigil-bench-context-'));
const store = await openStore({ dataDir: bdir });
await migrate(store);
const db = store.database;
let t = performance.now();
// Span n belongs to trace n/8; its route is trace % R, so a trace stays on one service. In the
// fault window the payment, checkout and frontend server spans fail more.
const ts = `toInt64(${T0_US} + intDiv(number, 8) * ${Math.floor(DAY_US / Math.max(1, SPANS / 8))} + (number % 8) * 1000)`;
const ri = `(intDiv(number, 8) % ${R}) + 1`;
const inFault = `(${ts} >= ${FAULT_FROM_US} AND ${ts} < ${FAULT_TO_US})`;
const svc = `arrayElement(${svcArr}, ${ri})`;
const failing = `(number % 8 = 0 AND ((${inFault} AND ${svc} = 'payment' AND cityHash64(number, 4) % 100 < 15) OR (${inFault} AND ${svc} IN ('checkout', 'frontend') AND cityHash64(number, 4) % 100 < 6) OR cityHash64(number, 4) % 1000 = 0))`;
await store.ch.command({
  query: `INSERT INTO ${db}.spans (start_time, trace_id, span_id, parent_span_id, name, kind, duration_ms, status_code, status_message, service, service_version,
      http_method, http_route, http_status_code, peer_service, user_id, exception_type, exception_message)
    SELECT fromUnixTimestamp64Micro(${ts}),
      lower(hex(cityHash64(intDiv(number, 8)))) || lower(hex(cityHash64(intDiv(number, 8), 1))),
      lower(hex(cityHash64(number, 2))),
      if(number % 8 = 0, '', lower(hex(cityHash64(intDiv(number, 8) * 8, 2)))),
      if(number % 8 = 0, concat(arrayElement(${methodArr}, ${ri}), ' ', arrayElement(${routeArr}, ${ri})), arrayElement(['SELECT', 'INSERT', 'GET', 'SET', 'POST', 'UPDATE', 'publish'], number % 8)),
      if(number % 8 = 0, 'server', 'client'),
      if(${failing} AND ${svc} = 'payment', 3000 + cityHash64(number, 3) % 200, 5 + (cityHash64(number, 3) % 2000) / 10.0),
      if(${failing}, 'error', 'unset'),
      if(${failing} AND ${svc} != 'payment', 'upstream error: 503', ''),
      ${svc},
      if(${inFault} OR ${ts} >= ${FAULT_TO_US}, '2.3.0', '2.2.0'),
      if(number % 8 = 0, arrayElement(${methodArr}, ${ri}), ''),
      if(number % 8 = 0, arrayElement(${routeArr}, ${ri}), ''),
      if(number % 8 = 0, if(${failing}, 503, 200), 0),
      if(number % 8 = 0, '', arrayElement(['shop-db', 'payment-db', 'cache', 'catalog', 'cart', 'card-gateway', 'email-queue'], number % 8)),
      concat('user-', toString(cityHash64(intDiv(number, 8), 5) % 50000)),
      if(${failing} AND ${svc} = 'payment', 'TimeoutError', ''),
      if(${failing} AND ${svc} = 'payment', concat('connection timeout acquiring connection from pool (waited ', toString(3000 + number % 200), ' ms, 50/50 in use)'), '')
    FROM numbers(${SPANS})`,
  clickhouse_settings: { max_insert_threads: '2' },
});
const spansLoad = (performance.now() - t) / 1000;
t = performance.now();
const lts = `toInt64(${T0_US} + number * ${Math.floor(DAY_US / Math.max(1, LOGS))})`;
const linFault = `(${lts} >= ${FAULT_FROM_US} AND ${lts} < ${FAULT_TO_US})`;
await store.ch.command({
  query: `INSERT INTO ${db}.logs (time, observed_time, service, service_version, severity_number, severity_text, body, trace_id, span_id)
    SELECT fromUnixTimestamp64Micro(${lts}) AS t, t, arrayElement(${svcArr}, (number % ${R}) + 1) AS s, '2.2.0',
      if(${linFault} AND s = 'payment' AND number % 7 = 0, 17, 9), if(${linFault} AND s = 'payment' AND number % 7 = 0, 'ERROR', 'INFO'),
      if(${linFault} AND s = 'payment' AND number % 7 = 0,
        concat('Payment failed for order ord-', toString(number), ': connection timeout acquiring connection from pool (waited ', toString(3000 + number % 200), ' ms, 50/50 in use)'),
        concat(arrayElement(['order', 'payment', 'cart', 'item', 'stock', 'price'], 1 + number % 6), ' ', arrayElement(['created', 'updated', 'loaded', 'saved'], 1 + intDiv(number, 6) % 4),
          ' id=', toString(cityHash64(number) % 1000000), ' took ', toString(number % 97), 'ms')),
      lower(hex(cityHash64(number, 9))) || lower(hex(cityHash64(number, 10))), lower(hex(cityHash64(number, 11)))
    FROM numbers(${LOGS})`,
});
const logsLoad = (performance.now() - t) / 1000;
const onsetMs = FAULT_FROM_US / 1000;
await insertChanges(store, [
  {
    id: 'bench-deploy',
    service: 'payment',
    kind: 'deploy',
    timeMs: onsetMs - 60_000,
    version: '2.3.0',
    previousVersion: '2.2.0',
    environment: 'production',
    commit: 'abc123',
    description: 'raise settlement batch size',
    source: 'api',
    attributes: {},
  },
]);
console.log(`loaded: spans in ${spansLoad.toFixed(1)} s, logs in ${logsLoad.toFixed(1)} s`);

/** Wraps the queries to time each call (they run concurrently, so times overlap). */
function timed(inner: ContextQueries, into: Map<string, number[]>): ContextQueries {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      const fn = v as (...args: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        const kind = (args[0] as { kind?: string } | undefined)?.kind;
        const name = `${String(prop)}${kind ? `(${kind})` : ''}`;
        const s = performance.now();
        try {
          return await fn.apply(target, args);
        } finally {
          const list = into.get(name) ?? [];
          list.push(performance.now() - s);
          into.set(name, list);
        }
      };
    },
  });
}

const perQuery = new Map<string, number[]>();
const queries = timed(new ClickHouseContextQueries(store), perQuery);
const incident = { id: 'bench', services: ['payment', 'checkout', 'frontend'], startedAtMs: onsetMs };
const times: number[] = [];
let sample = '';
for (let i = 0; i < CONTEXT_RUNS + 1; i++) {
  const s = performance.now();
  const ctx = await assembleContext(incident, queries, { nowMs: onsetMs + 5 * 60_000 + i * 10_000, entryServices: ['frontend'] });
  const ms = performance.now() - s;
  if (i === 0) {
    // The first run warms the caches (marks, parts); it is reported apart.
    console.log(`first (cold) assembly: ${ms.toFixed(0)} ms`);
    perQuery.clear();
    continue;
  }
  times.push(ms);
  sample = `${ctx.affectedEndpoints.length} affected endpoints, ${ctx.errorGroups.length} error groups (top: ${ctx.errorGroups[0]?.fingerprint.slice(0, 60) ?? '-'}), ${ctx.exampleTraces.length} traces, ${ctx.logs.length} log lines, ${ctx.changes.length} changes, ${ctx.affectedUsers.count}/${ctx.affectedUsers.total} users`;
}
times.sort((a, b) => a - b);
const p50 = percentile(times, 0.5);
const p99 = percentile(times, 0.99);
console.log(`context: ${sample}`);
console.log(
  `context assembly (${times.length} runs)   p50 ${p50.toFixed(0)} ms   p99 ${p99.toFixed(0)} ms   goal < 1000 ms  ${p99 < 1000 ? 'OK' : p50 < 1000 ? 'OK at p50, MISSED at p99' : 'MISSED'}`,
);
const ranked = [...perQuery.entries()]
  .map(([name, ts]) => ({ name, mean: ts.reduce((a, b) => a + b, 0) / ts.length, calls: ts.length / times.length }))
  .sort((a, b) => b.mean - a.mean);
console.log('per query (mean ms per call; they run concurrently in two waves, so the slowest of each wave sets the total):');
for (const q of ranked) console.log(`  ${q.name.padEnd(26)} ${q.mean.toFixed(0).padStart(6)} ms  × ${q.calls} per assembly`);
console.log(`dominant: ${ranked[0]?.name ?? '-'}`);
await store.close();
rmSync(bdir, { recursive: true, force: true });
