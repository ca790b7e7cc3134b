// What the canary judge reads: the entry requests of two versions of a service in a window, in
// 10 s buckets (duration and outcome per request, so the judge builds the same sketches the live
// verdicts use), and the baseline version's latency percentile just before the window.
import type { StoreClient } from '../client.js';
import { toMicros } from '../rows.js';
import { failedSpanSql } from './span-outcome.js';

export interface VersionRequest {
  bucketMs: number;
  version: string;
  /** http.route, else the span name (the detectors' route). */
  route: string;
  durationMs: number;
  failed: boolean;
}

/** At most `limit` requests (newest buckets kept when a window holds more). */
export async function versionRequests(
  store: StoreClient,
  q: { service: string; versions: string[]; fromMs: number; toMs: number; limit: number },
): Promise<VersionRequest[]> {
  const rs = await store.ch.query({
    query: `SELECT intDiv(toUnixTimestamp64Milli(start_time), 10000) * 10000 AS b, service_version AS v, if(http_route != '', http_route, name) AS r, duration_ms AS d, ${failedSpanSql} AS f
      FROM ${store.database}.spans
      WHERE service = {service:String} AND service_version IN {versions:Array(String)} AND kind IN ('server', 'consumer')
        AND start_time >= fromUnixTimestamp64Micro({from:Int64}) AND start_time < fromUnixTimestamp64Micro({to:Int64})
      ORDER BY start_time DESC LIMIT {limit:UInt32}`,
    query_params: { service: q.service, versions: q.versions, from: toMicros(q.fromMs), to: toMicros(q.toMs), limit: q.limit },
    format: 'JSONEachRow',
  });
  const rows = await rs.json<{ b: number | string; v: string; r: string; d: number; f: number | boolean }>();
  return rows.map((r) => ({ bucketMs: Number(r.b), version: r.v, route: r.r, durationMs: Number(r.d), failed: Boolean(Number(r.f)) }));
}

/** The version's latency `quantile` over a period (0 when it served nothing then). */
export async function versionLatencyQuantile(
  store: StoreClient,
  q: { service: string; version: string; fromMs: number; toMs: number; quantile: number },
): Promise<{ requests: number; quantileMs: number }> {
  const rs = await store.ch.query({
    query: `SELECT count() AS n, quantile({q:Float64})(duration_ms) AS p FROM ${store.database}.spans
      WHERE service = {service:String} AND service_version = {version:String} AND kind IN ('server', 'consumer')
        AND start_time >= fromUnixTimestamp64Micro({from:Int64}) AND start_time < fromUnixTimestamp64Micro({to:Int64})`,
    query_params: { service: q.service, version: q.version, from: toMicros(q.fromMs), to: toMicros(q.toMs), q: q.quantile },
    format: 'JSONEachRow',
  });
  const row = (await rs.json<{ n: number | string; p: number | null }>())[0];
  return { requests: Number(row?.n ?? 0), quantileMs: Number(row?.p ?? 0) || 0 };
}

/** One route's requests of a version in one latency bin of the detectors' sketch (ceil(ln d / ln 1.04)). */
export interface VersionTrafficBin {
  route: string;
  /** Index of the window (of `windows`) the requests fell in. */
  window: number;
  bin: number;
  requests: number;
  errors: number;
}

/**
 * A version's entry requests in several windows (the same time of day on previous days), per route
 * and latency bin: a few thousand rows however many requests, from which the caller rebuilds the
 * sketches the live verdicts use.
 */
export async function versionTrafficBins(
  store: StoreClient,
  q: { service: string; version: string; windows: ReadonlyArray<{ fromMs: number; toMs: number }> },
): Promise<VersionTrafficBin[]> {
  if (!q.windows.length) return [];
  const params: Record<string, unknown> = { service: q.service, version: q.version };
  const cases = q.windows.map((w, i) => {
    params[`f${i}`] = toMicros(w.fromMs);
    params[`t${i}`] = toMicros(w.toMs);
    return `(start_time >= fromUnixTimestamp64Micro({f${i}:Int64}) AND start_time < fromUnixTimestamp64Micro({t${i}:Int64}))`;
  });
  const rs = await store.ch.query({
    query: `SELECT if(http_route != '', http_route, name) AS r, multiIf(${cases.map((c, i) => `${c}, ${i}`).join(', ')}, -1) AS w,
        toInt32(ceil(log(greatest(duration_ms, 0.001)) / log(1.04))) AS bin, count() AS n, countIf(${failedSpanSql}) AS e
      FROM ${store.database}.spans
      WHERE service = {service:String} AND service_version = {version:String} AND kind IN ('server', 'consumer') AND (${cases.join(' OR ')})
      GROUP BY r, w, bin`,
    query_params: params,
    format: 'JSONEachRow',
  });
  const rows = await rs.json<{ r: string; w: number | string; bin: number | string; n: number | string; e: number | string }>();
  return rows.map((x) => ({ route: x.r, window: Number(x.w), bin: Number(x.bin), requests: Number(x.n), errors: Number(x.e) }));
}
