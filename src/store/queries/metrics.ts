// Metric series per step, aggregated by metric type as a dashboard user expects: gauges as
// avg/min/max/last, sums as a per-second rate (deltas summed, cumulative counters differenced
// with reset handling), histograms (explicit and exponential) as merged-bucket percentiles,
// summaries as their averaged quantiles. One series per distinct (service, attributes).
import type { StoreClient } from '../client.js';
import { toMicros } from '../rows.js';
import { addAttributeFilters, SqlFilter } from './filters.js';

export interface MetricQuery {
  name: string;
  fromMs: number;
  toMs: number;
  stepMs: number;
  service?: string;
  attributes?: Record<string, string>;
  maxSeries: number;
}

export interface MetricPointOut {
  timeMs: number;
  value: number | null;
  min?: number;
  max?: number;
  count?: number;
  p50?: number;
  p95?: number;
  p99?: number;
}

export interface MetricSeriesOut {
  labels: Record<string, string>;
  points: MetricPointOut[];
}

export interface MetricSeriesResult {
  name: string;
  type: string | null;
  unit: string;
  temporality: string | null;
  aggregation: string;
  stepMs: number;
  series: MetricSeriesOut[];
  truncated: boolean;
}

interface StepRow {
  series_key: string;
  series_service: string;
  series_attributes: Record<string, string>;
  step_ms: number;
  avg_value: number;
  min_value: number;
  max_value: number;
  last_value: number;
  sum_value: number;
  sum_count: number;
  last_count: number;
  sum_buckets: number[];
  last_buckets: number[];
  bounds: number[];
  exp_scale: number;
  exp_offset: number;
  sum_exp: number[];
  last_exp: number[];
  quantiles: Array<[number, number]>;
}

export async function metricSeries(store: StoreClient, q: MetricQuery): Promise<MetricSeriesResult> {
  const { ch, database: db } = store;
  const f = new SqlFilter()
    .eq('name', q.name)
    .add('time >= fromUnixTimestamp64Micro(?) AND time < fromUnixTimestamp64Micro(?)', [
      { type: 'Int64', value: toMicros(q.fromMs) },
      { type: 'Int64', value: toMicros(q.toMs) },
    ])
    .eq('service', q.service);
  addAttributeFilters(f, 'attributes', q.attributes);
  const metaRs = await ch.query({
    query: `SELECT type, temporality, unit, uniqExact(service, attributes) AS n FROM ${db}.metric_points ${f.where()}
      GROUP BY type, temporality, unit ORDER BY n DESC LIMIT 1`,
    query_params: f.params,
    format: 'JSONEachRow',
  });
  const [meta] = await metaRs.json<{ type: string; temporality: string; unit: string; n: number }>();
  const base = { name: q.name, stepMs: q.stepMs, series: [] as MetricSeriesOut[], truncated: false };
  if (!meta) return { ...base, type: null, unit: '', temporality: null, aggregation: 'none' };

  // The previous step is fetched too, so the first cumulative difference has a starting point.
  const rs = await ch.query({
    query: `WITH intDiv(toUnixTimestamp64Milli(time), {step:UInt64}) * {step:UInt64} AS step_ms
      SELECT toString(sipHash64(service, attributes)) AS series_key, any(service) AS series_service, any(attributes) AS series_attributes, step_ms,
        avg(value) AS avg_value, min(value) AS min_value, max(value) AS max_value, argMax(value, time) AS last_value,
        sum(value) AS sum_value, sum(count) AS sum_count, argMax(count, time) AS last_count,
        sumForEach(bucket_counts) AS sum_buckets, argMax(bucket_counts, time) AS last_buckets, any(explicit_bounds) AS bounds,
        any(exp_scale) AS exp_scale, min(exp_positive_offset) AS exp_offset,
        sumForEach(exp_positive_counts) AS sum_exp, argMax(exp_positive_counts, time) AS last_exp,
        groupArrayArray(quantiles) AS quantiles_raw
      FROM ${db}.metric_points ${f.where()} AND type = {type:String} AND temporality = {tmp:String}
      GROUP BY series_key, step_ms ORDER BY series_key, step_ms`,
    query_params: { ...f.params, step: q.stepMs, type: meta.type, tmp: meta.temporality },
    format: 'JSONEachRow',
  });
  const rows = (await rs.json<StepRow & { quantiles_raw: Array<[number, number]> }>()).map((r) => ({
    ...r,
    quantiles: r.quantiles_raw,
  }));
  const bySeries = new Map<string, StepRow[]>();
  for (const r of rows) {
    const list = bySeries.get(r.series_key) ?? [];
    list.push(r);
    bySeries.set(r.series_key, list);
  }
  const truncated = bySeries.size > q.maxSeries;
  const series: MetricSeriesOut[] = [];
  let aggregation = 'avg';
  for (const steps of [...bySeries.values()].slice(0, q.maxSeries)) {
    const first = steps[0]!;
    const labels = { service: first.series_service, ...first.series_attributes };
    let points: MetricPointOut[];
    const cumulative = meta.temporality === 'cumulative';
    switch (meta.type) {
      case 'sum':
        aggregation = 'rate_per_second';
        points = cumulative ? counterRates(steps, q.stepMs) : steps.map((s) => ({ timeMs: Number(s.step_ms), value: s.sum_value / (q.stepMs / 1000) }));
        break;
      case 'histogram':
      case 'exponential_histogram':
        aggregation = 'percentiles';
        points = histogramPercentiles(steps, meta.type, cumulative);
        break;
      case 'summary':
        aggregation = 'avg_quantiles';
        points = steps.map((s) => summaryPoint(s));
        break;
      default:
        aggregation = 'avg';
        points = steps.map((s) => ({
          timeMs: Number(s.step_ms),
          value: Number(s.avg_value),
          min: Number(s.min_value),
          max: Number(s.max_value),
        }));
    }
    series.push({ labels, points });
  }
  return { ...base, type: meta.type, unit: meta.unit, temporality: meta.temporality, aggregation, series, truncated };
}

function counterRates(steps: StepRow[], stepMs: number): MetricPointOut[] {
  const out: MetricPointOut[] = [];
  let prev: number | undefined;
  for (const s of steps) {
    const last = Number(s.last_value);
    // A drop means the counter restarted: its whole current value is the increase since.
    const increase = prev === undefined ? null : last >= prev ? last - prev : last;
    out.push({ timeMs: Number(s.step_ms), value: increase === null ? null : increase / (stepMs / 1000) });
    prev = last;
  }
  return out;
}

/** Quantile from bucket counts with linear interpolation inside the bucket. */
export function bucketQuantile(counts: number[], upperBounds: number[], q: number): number | undefined {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return undefined;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] ?? 0;
    if (seen + c >= rank && c > 0) {
      const lower = i === 0 ? 0 : (upperBounds[i - 1] ?? 0);
      const upper = upperBounds[i] ?? upperBounds[upperBounds.length - 1] ?? lower;
      if (!Number.isFinite(upper)) return lower;
      return lower + ((upper - lower) * (rank - seen)) / c;
    }
    seen += c;
  }
  return upperBounds[upperBounds.length - 1];
}

function histogramPercentiles(steps: StepRow[], type: string, cumulative: boolean): MetricPointOut[] {
  const out: MetricPointOut[] = [];
  let prevCounts: number[] | undefined;
  for (const s of steps) {
    const exp = type === 'exponential_histogram';
    let counts = (exp ? (cumulative ? s.last_exp : s.sum_exp) : cumulative ? s.last_buckets : s.sum_buckets).map(Number);
    const current = counts;
    if (cumulative) {
      const before = prevCounts;
      counts = before && before.length === counts.length && counts.every((c, i) => c >= (before[i] ?? 0)) ? counts.map((c, i) => c - (before[i] ?? 0)) : counts;
      prevCounts = current;
    }
    const bounds = exp
      ? counts.map((_c, i) => Math.pow(2, Math.pow(2, -Number(s.exp_scale)) * (Number(s.exp_offset) + i + 1)))
      : [...s.bounds.map(Number), Number.POSITIVE_INFINITY];
    const count = counts.reduce((a, b) => a + b, 0);
    out.push({
      timeMs: Number(s.step_ms),
      value: bucketQuantile(counts, bounds, 0.5) ?? null,
      count,
      p50: bucketQuantile(counts, bounds, 0.5),
      p95: bucketQuantile(counts, bounds, 0.95),
      p99: bucketQuantile(counts, bounds, 0.99),
    });
  }
  return out;
}

function summaryPoint(s: StepRow): MetricPointOut {
  const byQ = new Map<number, number[]>();
  for (const [q, v] of s.quantiles) byQ.set(Number(q), [...(byQ.get(Number(q)) ?? []), Number(v)]);
  const avgAt = (q: number): number | undefined => {
    const vs = byQ.get(q);
    return vs && vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : undefined;
  };
  return { timeMs: Number(s.step_ms), value: avgAt(0.5) ?? null, p50: avgAt(0.5), p95: avgAt(0.95), p99: avgAt(0.99) };
}

export interface MetricNameOut {
  name: string;
  type: string;
  unit: string;
  description: string;
  services: string[];
  points: number;
  lastSeenMs: number;
}

/** What metrics were sent in a window (per name: type, unit, services, how many points), so users find their own. */
export async function listMetricNames(
  store: StoreClient,
  q: { fromMs: number; toMs: number; service?: string; prefix?: string; limit: number },
): Promise<MetricNameOut[]> {
  const f = new SqlFilter()
    .add('time >= fromUnixTimestamp64Micro(?)', [{ type: 'Int64', value: toMicros(q.fromMs) }])
    .add('time <= fromUnixTimestamp64Micro(?)', [{ type: 'Int64', value: toMicros(q.toMs) }])
    .eq('service', q.service);
  if (q.prefix) f.add('startsWith(name, ?)', [{ type: 'String', value: q.prefix }]);
  const rs = await store.ch.query({
    query: `SELECT name, any(type) AS type, any(unit) AS unit, any(description) AS description, groupUniqArray(100)(service) AS services,
        count() AS points, toUnixTimestamp64Milli(max(time)) AS last_ms
      FROM ${store.database}.metric_points ${f.where()} GROUP BY name ORDER BY name LIMIT {limit:UInt32}`,
    query_params: { ...f.params, limit: q.limit },
    format: 'JSONEachRow',
  });
  const rows = await rs.json<{
    name: string;
    type: string;
    unit: string;
    description: string;
    services: string[];
    points: string | number;
    last_ms: string | number;
  }>();
  return rows.map((r) => ({
    name: r.name,
    type: r.type,
    unit: r.unit,
    description: r.description,
    services: [...r.services].sort(),
    points: Number(r.points),
    lastSeenMs: Number(r.last_ms),
  }));
}
