// Good and total requests of an SLO's indicator over any range, for reports bound to their range
// (the SLO engine knows only its own rolling window, as of now). Availability reads the minute
// rollup (kept `rollupDays`, 90 by default); latency needs each request's duration, so it reads
// the spans (kept `spansDays`): a range older than that counts what is left.
import type { StoreClient } from '../client.js';

export interface SloRangeQuery {
  service: string;
  /** "METHOD /path", the route, or the span name; absent: every entry point of the service. */
  route?: string;
  /** Latency SLOs: a request is good when it ends within this; absent: availability. */
  thresholdMs?: number;
  fromMs: number;
  toMs: number;
}

export async function sloCountsInRange(store: StoreClient, q: SloRangeQuery): Promise<{ good: number; total: number }> {
  const db = store.database;
  // "POST /pay" is the rollup's route /pay with method POST; minutes rolled up before the rollup
  // kept the method have an empty one and count for every method of the route.
  const methodRoute = q.route?.match(/^([A-Z]+) (\/.*)$/);
  const params = {
    s: q.service,
    r: q.route ?? '',
    p: methodRoute?.[2] ?? '',
    m: methodRoute?.[1] ?? '',
    f: Math.floor(q.fromMs),
    t: Math.ceil(q.toMs),
    th: q.thresholdMs ?? 0,
  };
  const query =
    q.thresholdMs === undefined
      ? `SELECT sum(requests) AS total, sum(requests) - sum(errors) AS good FROM ${db}.red_1m
         WHERE service = {s:String} AND minute >= toDateTime(intDiv({f:Int64}, 1000)) AND minute < toDateTime(intDiv({t:Int64}, 1000))
           AND ({r:String} = '' OR route = {r:String} OR ({p:String} != '' AND route = {p:String} AND http_method IN ({m:String}, '')))`
      : `SELECT count() AS total, countIf(duration_ms <= {th:Float64}) AS good FROM ${db}.spans
         WHERE service = {s:String} AND kind IN ('server', 'consumer')
           AND start_time >= fromUnixTimestamp64Milli({f:Int64}) AND start_time < fromUnixTimestamp64Milli({t:Int64})
           AND ({r:String} = '' OR if(http_route != '', http_route, name) = {r:String} OR concat(http_method, ' ', http_route) = {r:String})`;
  const rs = await store.ch.query({ query, query_params: params, format: 'JSONEachRow' });
  const [row] = await rs.json<{ good: string | number; total: string | number }>();
  return { good: Number(row?.good ?? 0), total: Number(row?.total ?? 0) };
}
