// bench:query — explore latency on a loaded store: 10M spans and 10M log lines (generated inside
// the engine with INSERT … SELECT so loading is quick), then p50/p99 of trace-by-id, log token
// search and RED per route over one hour, through the same query functions the API uses.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectCoverageFacts } from '../src/coverage/index.js';
import { getTrace, migrate, openStore, redSeries, searchLogs } from '../src/store/index.js';
import { machineLine, percentile } from './machine.js';

const SPANS = Number(process.env.BENCH_SPANS ?? 10_000_000);
const LOGS = Number(process.env.BENCH_LOGS ?? 10_000_000);
const RUNS = 60;
const DAY_US = 86_400_000_000;
const T0_US = 1_764_000_000_000_000;

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-query-'));
const store = await openStore({ dataDir: dir });
await migrate(store);
const db = store.database;
console.log(machineLine());
console.log(`workload: ${SPANS.toLocaleString()} spans (20 services × 30 routes, 8 spans per trace, 24 h) and ${LOGS.toLocaleString()} log lines`);

let t = performance.now();
// Eight spans share a trace id; trace ids are hex of a hash of the trace number.
await store.ch.command({
  query: `INSERT INTO ${db}.spans (start_time, trace_id, span_id, parent_span_id, name, kind, duration_ms, status_code, service, service_version,
      http_method, http_route, http_status_code, user_id, attributes)
    SELECT fromUnixTimestamp64Micro(toInt64(${T0_US} + intDiv(number, 8) * ${Math.floor(DAY_US / (SPANS / 8))} + (number % 8) * 1000)),
      lower(hex(cityHash64(intDiv(number, 8)))) || lower(hex(cityHash64(intDiv(number, 8), 1))),
      lower(hex(cityHash64(number, 2))),
      if(number % 8 = 0, '', lower(hex(cityHash64(intDiv(number, 8) * 8, 2)))),
      concat('GET /route/', toString(number % 30)),
      if(number % 8 = 0, 'server', 'client'),
      10 + (cityHash64(number, 3) % 5000) / 10.0,
      if(cityHash64(number, 4) % 100 = 0, 'error', 'unset'),
      concat('service-', toString(intDiv(number, 8) % 20)),
      concat('1.', toString(intDiv(number, 1000000))),
      'GET', concat('/route/', toString(number % 30)), if(cityHash64(number, 4) % 100 = 0, 500, 200),
      concat('user-', toString(cityHash64(number, 5) % 50000)),
      map('tenant.id', concat('t', toString(number % 97)))
    FROM numbers(${SPANS})`,
  clickhouse_settings: { max_insert_threads: '2' },
});
const spansLoad = (performance.now() - t) / 1000;
t = performance.now();
await store.ch.command({
  query: `INSERT INTO ${db}.logs (time, observed_time, service, severity_number, severity_text, body, trace_id, span_id)
    SELECT fromUnixTimestamp64Micro(toInt64(${T0_US} + number * ${Math.floor(DAY_US / LOGS)})) AS t, t,
      concat('service-', toString(number % 20)),
      if(number % 50 = 0, 17, 9), if(number % 50 = 0, 'ERROR', 'INFO'),
      concat(arrayElement(['user', 'order', 'payment', 'cart', 'session', 'item', 'stock', 'price'], 1 + number % 8), ' ',
        arrayElement(['created', 'updated', 'failed', 'retrying', 'expired', 'loaded', 'saved'], 1 + intDiv(number, 8) % 7),
        ' id=', toString(cityHash64(number) % 1000000), ' took ', toString(number % 997), 'ms',
        if(number % 100000 = 7, ' deadlock detected on table orders', '')),
      lower(hex(cityHash64(number, 9))) || lower(hex(cityHash64(number, 10))), lower(hex(cityHash64(number, 11)))
    FROM numbers(${LOGS})`,
});
const logsLoad = (performance.now() - t) / 1000;
console.log(`loaded: spans in ${spansLoad.toFixed(1)} s, logs in ${logsLoad.toFixed(1)} s`);

async function measure(name: string, goalMs: number, run: (i: number) => Promise<number>): Promise<void> {
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    found += await run(i);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 0.5);
  const p99 = percentile(times, 0.99);
  console.log(
    `${name.padEnd(28)} p50 ${p50.toFixed(1).padStart(7)} ms   p99 ${p99.toFixed(1).padStart(7)} ms   goal < ${goalMs} ms  ${p50 < goalMs ? 'OK' : 'MISSED'}   (${(found / RUNS).toFixed(1)} rows/query)`,
  );
}

const traceIdOf = async (n: number): Promise<string> => {
  const rs = await store.ch.query({ query: `SELECT lower(hex(cityHash64(${n}))) || lower(hex(cityHash64(${n}, 1))) AS id`, format: 'JSONEachRow' });
  return (await rs.json<{ id: string }>())[0]!.id;
};
const traceIds = await Promise.all(Array.from({ length: RUNS }, (_v, i) => traceIdOf(Math.floor(((i * 7919) % RUNS) * (SPANS / 8 / RUNS)))));
await measure('trace by id', 50, async (i) => (await getTrace(store, traceIds[i]!)).length);
const dayMs = DAY_US / 1000;
const t0 = T0_US / 1000;
await measure('log token search (1 h)', 300, async (i) => {
  const from = t0 + ((i * 3_600_000) % (dayMs - 3_600_000));
  return (await searchLogs(store, { fromMs: from, toMs: from + 3_600_000, text: i % 2 ? 'deadlock' : 'payment failed', limit: 100 })).items.length;
});
await measure(
  'log token search (24 h)',
  300,
  async (i) => (await searchLogs(store, { fromMs: t0, toMs: t0 + dayMs, text: i % 2 ? 'deadlock orders' : 'stock expired', limit: 100 })).items.length,
);
await measure('RED per route, 1 h, 1 min', 200, async (i) => {
  const from = t0 + ((i * 3_600_000) % (dayMs - 3_600_000));
  const series = await redSeries(store, {
    fromMs: from,
    toMs: from + 3_600_000,
    stepMs: 60_000,
    service: `service-${i % 20}`,
    groupBy: 'route',
    maxSeries: 100,
  });
  return series.length;
});
await measure('RED per route, 1 h, 10 s raw', 200, async (i) => {
  const from = t0 + ((i * 3_600_000) % (dayMs - 3_600_000));
  return (await redSeries(store, { fromMs: from, toMs: from + 3_600_000, stepMs: 10_000, service: `service-${i % 20}`, groupBy: 'route', maxSeries: 100 }))
    .length;
});
// The coverage report over its default window, a whole day: its logs-to-route join holds the day's
// server spans in a hash table, so beside the latency the process's RSS is sampled while it runs.
{
  const rssBefore = process.memoryUsage.rss();
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 20);
  const times: number[] = [];
  let services = 0;
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    services = (await collectCoverageFacts(store, { fromMs: t0, toMs: t0 + dayMs })).services.length;
    times.push(performance.now() - s);
  }
  clearInterval(sampler);
  times.sort((a, b) => a - b);
  const mb = (b: number): string => `${Math.round(b / 2 ** 20)} MB`;
  console.log(
    `${'coverage facts (24 h)'.padEnd(28)} p50 ${percentile(times, 0.5).toFixed(1).padStart(7)} ms   max ${times.at(-1)!.toFixed(1).padStart(7)} ms   (${services} services; process RSS ${mb(rssBefore)} before, peak ${mb(rssPeak)} while it ran)`,
  );
}
await store.close();
rmSync(dir, { recursive: true, force: true });
