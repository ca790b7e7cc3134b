// Good and total requests of an SLO's indicator over any range, for reports bound to their range
// (the SLO engine knows only its own rolling window, as of now). Availability reads the minute
// rollup (kept `rollupDays`, 90 by default); latency needs each request's duration, so it reads
// the spans (kept `spansDays`): a range older than that counts what is left. SLOs from a metric's
// good/total ratio read its stored points (kept `metricsDays`) and count them as the engine does.
import { noDistribution, type MetricPoint } from '../../model/index.js';
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

/** Longest gap between two exports of a cumulative series that a range's first increase still bridges. */
const cumulativeLeadMs = 15 * 60_000;

/**
 * Points of the named metrics of one service over the range (and the quarter hour before it, so
 * a cumulative series' first increase in the range has its mark), in time order, for an SLO counted
 * from a metric's good/total ratio. Only what counting reads is filled.
 */
export async function metricPointsForSlo(
  store: StoreClient,
  q: { service: string; names: readonly string[]; fromMs: number; toMs: number },
): Promise<MetricPoint[]> {
  const rs = await store.ch.query({
    query: `SELECT name, unit, type, temporality, is_monotonic, toUnixTimestamp64Milli(time) AS t, toUnixTimestamp64Milli(start_time) AS st,
        attributes, resource_attributes, value, count, bucket_counts, explicit_bounds, exp_scale, exp_zero_count,
        exp_positive_offset, exp_positive_counts, exp_negative_counts
      FROM ${store.database}.metric_points
      WHERE name IN {names:Array(String)} AND service = {s:String}
        AND time >= fromUnixTimestamp64Milli({f:Int64}) AND time < fromUnixTimestamp64Milli({t:Int64})
      ORDER BY time`,
    query_params: { names: [...new Set(q.names)], s: q.service, f: Math.floor(q.fromMs - cumulativeLeadMs), t: Math.ceil(q.toMs) },
    format: 'JSONEachRow',
  });
  const rows = await rs.json<Record<string, unknown>>();
  const nums = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : []);
  return rows.map((r) => ({
    ...noDistribution(),
    name: String(r.name),
    description: '',
    unit: String(r.unit),
    type: r.type as MetricPoint['type'],
    temporality: r.temporality as MetricPoint['temporality'],
    isMonotonic: Boolean(r.is_monotonic),
    service: q.service,
    serviceVersion: '',
    environment: '',
    timeMs: Number(r.t),
    startTimeMs: Number(r.st),
    attributes: r.attributes as Record<string, string>,
    resourceAttributes: r.resource_attributes as Record<string, string>,
    value: Number(r.value),
    count: Number(r.count),
    bucketCounts: nums(r.bucket_counts),
    explicitBounds: nums(r.explicit_bounds),
    expScale: Number(r.exp_scale),
    expZeroCount: Number(r.exp_zero_count),
    expPositiveOffset: Number(r.exp_positive_offset),
    expPositiveCounts: nums(r.exp_positive_counts),
    expNegativeCounts: nums(r.exp_negative_counts),
  }));
}
