// RED (rate, errors, duration) series and the services list. Steps that are whole minutes read
// the per-minute rollup; finer steps read raw entry spans.
import type { StoreClient } from '../client.js';
import { toMicros } from '../rows.js';
import { SqlFilter } from './filters.js';
import { failedSpanSql } from './span-outcome.js';

export type RedGroupBy = 'service' | 'route' | 'version';

export interface RedQuery {
  fromMs: number;
  toMs: number;
  stepMs: number;
  service?: string;
  route?: string;
  version?: string;
  groupBy: RedGroupBy;
  maxSeries: number;
}

export interface RedPoint {
  timeMs: number;
  requests: number;
  errors: number;
  ratePerSecond: number;
  errorRate: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface RedSeries {
  service: string;
  route?: string;
  version?: string;
  points: RedPoint[];
}

interface RedRow {
  service: string;
  route: string;
  version: string;
  step_ms: number;
  requests: number;
  errors: number;
  q: number[];
}

export async function redSeries(store: StoreClient, q: RedQuery): Promise<RedSeries[]> {
  const { ch, database: db } = store;
  const rollup = q.stepMs >= 60_000 && q.stepMs % 60_000 === 0;
  const timeCol = rollup ? 'minute' : 'start_time';
  const routeCol = rollup ? 'route' : "if(http_route != '', http_route, name)";
  const f = new SqlFilter()
    .add(`${timeCol} >= fromUnixTimestamp64Micro(?) AND ${timeCol} < fromUnixTimestamp64Micro(?)`, [
      { type: 'Int64', value: toMicros(rollup ? Math.floor(q.fromMs / 60_000) * 60_000 : q.fromMs) },
      { type: 'Int64', value: toMicros(q.toMs) },
    ])
    .eq('service', q.service)
    .eq(routeCol, q.route)
    .eq('service_version', q.version);
  if (!rollup) f.add("kind IN ('server', 'consumer')", []);
  const keys =
    q.groupBy === 'service'
      ? `service, '' AS route, '' AS version`
      : q.groupBy === 'route'
        ? `service, ${routeCol} AS route, '' AS version`
        : `service, '' AS route, service_version AS version`;
  const stepExpr = rollup
    ? `intDiv(toUnixTimestamp(minute) * 1000, {step:UInt64}) * {step:UInt64}`
    : `intDiv(toUnixTimestamp64Milli(start_time), {step:UInt64}) * {step:UInt64}`;
  const measures = rollup
    ? `sum(requests) AS requests, sum(errors) AS errors, quantilesTDigestMerge(0.5, 0.95, 0.99)(duration) AS q`
    : `count() AS requests, countIf(${failedSpanSql}) AS errors, quantilesTDigest(0.5, 0.95, 0.99)(duration_ms) AS q`;
  const rs = await ch.query({
    query: `SELECT ${keys}, ${stepExpr} AS step_ms, ${measures}
      FROM ${db}.${rollup ? 'red_1m' : 'spans'} ${f.where()}
      GROUP BY service, route, version, step_ms ORDER BY service, route, version, step_ms`,
    query_params: { ...f.params, step: q.stepMs },
    format: 'JSONEachRow',
  });
  const bySeries = new Map<string, RedSeries>();
  for (const r of await rs.json<RedRow>()) {
    const key = `${r.service}\u0000${r.route}\u0000${r.version}`;
    let s = bySeries.get(key);
    if (!s) {
      if (bySeries.size >= q.maxSeries) continue;
      s = { service: r.service, ...(q.groupBy === 'route' ? { route: r.route } : {}), ...(q.groupBy === 'version' ? { version: r.version } : {}), points: [] };
      bySeries.set(key, s);
    }
    const requests = Number(r.requests);
    const errors = Number(r.errors);
    const finite = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(Number(v)) ? Number(v) : null);
    s.points.push({
      timeMs: Number(r.step_ms),
      requests,
      errors,
      ratePerSecond: requests / (q.stepMs / 1000),
      errorRate: requests ? errors / requests : 0,
      p50: finite(r.q[0]),
      p95: finite(r.q[1]),
      p99: finite(r.q[2]),
    });
  }
  return [...bySeries.values()];
}

export interface ServiceSummary {
  service: string;
  requests: number;
  errors: number;
  errorRate: number;
  ratePerSecond: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  versions: string[];
  lastSeenMs: number | null;
  signals: { spans: boolean; logs: boolean; metrics: boolean };
}

export async function listServices(store: StoreClient, fromMs: number, toMs: number): Promise<ServiceSummary[]> {
  const { ch, database: db } = store;
  const params = { from: toMicros(Math.floor(fromMs / 60_000) * 60_000), to: toMicros(toMs) };
  const range = `BETWEEN fromUnixTimestamp64Micro({from:Int64}) AND fromUnixTimestamp64Micro({to:Int64})`;
  const [red, logs, metrics] = await Promise.all([
    ch.query({
      query: `SELECT service, sum(requests) AS requests, sum(errors) AS errors, quantilesTDigestMerge(0.5, 0.95, 0.99)(duration) AS q,
          groupUniqArray(service_version) AS versions, toUnixTimestamp(max(minute)) * 1000 AS last_ms
        FROM ${db}.red_1m WHERE minute ${range} GROUP BY service`,
      query_params: params,
      format: 'JSONEachRow',
    }),
    ch.query({
      query: `SELECT service, toUnixTimestamp64Milli(max(time)) AS last_ms FROM ${db}.logs WHERE time ${range} GROUP BY service`,
      query_params: params,
      format: 'JSONEachRow',
    }),
    ch.query({
      query: `SELECT service, toUnixTimestamp64Milli(max(time)) AS last_ms FROM ${db}.metric_points WHERE time ${range} GROUP BY service`,
      query_params: params,
      format: 'JSONEachRow',
    }),
  ]);
  const out = new Map<string, ServiceSummary>();
  const entry = (service: string): ServiceSummary => {
    let s = out.get(service);
    if (!s) {
      s = {
        service,
        requests: 0,
        errors: 0,
        errorRate: 0,
        ratePerSecond: 0,
        p50: null,
        p95: null,
        p99: null,
        versions: [],
        lastSeenMs: null,
        signals: { spans: false, logs: false, metrics: false },
      };
      out.set(service, s);
    }
    return s;
  };
  const seconds = Math.max(1, (toMs - fromMs) / 1000);
  for (const r of await red.json<{ service: string; requests: number; errors: number; q: number[]; versions: string[]; last_ms: number }>()) {
    const s = entry(r.service);
    s.requests = Number(r.requests);
    s.errors = Number(r.errors);
    s.errorRate = s.requests ? s.errors / s.requests : 0;
    s.ratePerSecond = s.requests / seconds;
    [s.p50, s.p95, s.p99] = [0, 1, 2].map((i) => (Number.isFinite(Number(r.q[i])) ? Number(r.q[i]) : null)) as [number | null, number | null, number | null];
    s.versions = r.versions.filter(Boolean).sort();
    s.lastSeenMs = Number(r.last_ms);
    s.signals.spans = true;
  }
  for (const [rs, kind] of [
    [logs, 'logs'],
    [metrics, 'metrics'],
  ] as const) {
    for (const r of await rs.json<{ service: string; last_ms: number }>()) {
      const s = entry(r.service);
      s.signals[kind] = true;
      s.lastSeenMs = Math.max(s.lastSeenMs ?? 0, Number(r.last_ms));
    }
  }
  return [...out.values()].sort((a, b) => a.service.localeCompare(b.service));
}
