// What the canary judge reads: the entry requests of two versions of a service in a window, in
// 10 s buckets (duration and outcome per request, so the judge builds the same sketches the live
// verdicts use), and the baseline version's latency percentile just before the window.
import type { StoreClient } from '../client.js';
import { toMicros } from '../rows.js';

export interface VersionRequest {
  bucketMs: number;
  version: string;
  durationMs: number;
  failed: boolean;
}

const failedSql = `(status_code = 'error' OR (kind = 'server' AND http_status_code >= 500))`;

/** At most `limit` requests (newest buckets kept when a window holds more). */
export async function versionRequests(store: StoreClient, q: { service: string; versions: string[]; fromMs: number; toMs: number; limit: number }): Promise<VersionRequest[]> {
  const rs = await store.ch.query({
    query: `SELECT intDiv(toUnixTimestamp64Milli(start_time), 10000) * 10000 AS b, service_version AS v, duration_ms AS d, ${failedSql} AS f
      FROM ${store.database}.spans
      WHERE service = {service:String} AND service_version IN {versions:Array(String)} AND kind IN ('server', 'consumer')
        AND start_time >= fromUnixTimestamp64Micro({from:Int64}) AND start_time < fromUnixTimestamp64Micro({to:Int64})
      ORDER BY start_time DESC LIMIT {limit:UInt32}`,
    query_params: { service: q.service, versions: q.versions, from: toMicros(q.fromMs), to: toMicros(q.toMs), limit: q.limit },
    format: 'JSONEachRow',
  });
  const rows = await rs.json<{ b: number | string; v: string; d: number; f: number | boolean }>();
  return rows.map((r) => ({ bucketMs: Number(r.b), version: r.v, durationMs: Number(r.d), failed: Boolean(Number(r.f)) }));
}

/** The version's latency `quantile` over a period (0 when it served nothing then). */
export async function versionLatencyQuantile(store: StoreClient, q: { service: string; version: string; fromMs: number; toMs: number; quantile: number }): Promise<{ requests: number; quantileMs: number }> {
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
