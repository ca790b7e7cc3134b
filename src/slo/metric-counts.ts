// Good and total events of a metric SLO from OTLP metric points: which points a selector takes, how
// many events a point adds (delta points as they are, cumulative ones by their increase since the
// series' previous point, a restart counting anew) and, for latency read from a histogram, how
// many of them ended within the threshold. Pure; its per-series memory is part of the snapshot.
import type { MetricPoint } from '../model/index.js';
import type { MetricSelector, SloMetric } from './config.js';

const hourMs = 3_600_000;
/** Series remembered per SLO indicator; past this, series quiet for an hour are forgotten first. */
export const maxSeries = 5_000;

export interface MetricIncrement {
  timeMs: number;
  good: number;
  total: number;
}

/** Per series: the last cumulative reading [startTimeMs, events, goodEvents, timeMs]. */
export interface MetricCountsSnapshot {
  watchingSinceMs: number;
  series: Record<string, [number, number, number, number]>;
}

/**
 * What cumulative series gained since their previous reading. A total that falls or a new start
 * time is a restarted process counting anew; a series seen for the first time only sets its mark
 * (as PromQL's increase does) unless it started after the first point was seen; a repeat or late
 * reading adds nothing. Delta points add what they report.
 */
export class CumulativeMarks {
  private series = new Map<string, [number, number, number, number]>();
  /** Event time of the first point seen: a cumulative series that began after it counts from its start. */
  private watchingSinceMs: number;

  constructor(snapshot?: MetricCountsSnapshot) {
    this.watchingSinceMs = snapshot?.watchingSinceMs || Number.POSITIVE_INFINITY;
    for (const [key, reading] of Object.entries(snapshot?.series ?? {})) this.series.set(key, reading);
  }

  /** [events, good events] the point adds to what its series (`key`, `seriesKey(p)` plus any role) had counted. */
  increase(key: string, p: MetricPoint, [events, good]: [number, number]): [number, number] {
    if (p.temporality !== 'cumulative') return [events, good];
    const before = this.series.get(key);
    if (before && p.timeMs <= before[3]) return [0, 0]; // a repeat or a late reading: already counted
    if (!before) this.makeRoom(p.timeMs);
    if (!before && this.series.size >= maxSeries) return [0, 0];
    this.series.set(key, [p.startTimeMs, events, good, p.timeMs]);
    if (!before) {
      const fresh = p.startTimeMs > 0 && p.startTimeMs >= this.watchingSinceMs;
      return fresh ? [events, good] : [0, 0];
    }
    const restarted = events < before[1] || (p.startTimeMs > 0 && before[0] > 0 && p.startTimeMs !== before[0]);
    return restarted ? [events, good] : [events - before[1], Math.max(0, good - before[2])];
  }

  /** Called after each point: the first one's time is when watching began. */
  seen(timeMs: number): void {
    if (timeMs < this.watchingSinceMs) this.watchingSinceMs = timeMs;
  }

  snapshot(): MetricCountsSnapshot {
    return { watchingSinceMs: Number.isFinite(this.watchingSinceMs) ? this.watchingSinceMs : 0, series: Object.fromEntries(this.series) };
  }

  private makeRoom(nowMs: number): void {
    if (this.series.size < maxSeries) return;
    for (const [key, reading] of this.series) if (reading[3] < nowMs - hourMs) this.series.delete(key);
  }
}

type Role = 'total' | 'good' | 'bad';

export class MetricCounts {
  private readonly marks: CumulativeMarks;
  private readonly roles: Array<[Role, MetricSelector]>;
  private readonly unitScale: number | undefined;

  constructor(
    private readonly service: string,
    private readonly metric: SloMetric,
    /** Latency read from `total`'s buckets: a request is good when it ends within this many ms. */
    private readonly thresholdMs: number | undefined,
    snapshot?: MetricCountsSnapshot,
  ) {
    this.roles = [['total', metric.total]];
    if (metric.good) this.roles.push(['good', metric.good]);
    if (metric.bad) this.roles.push(['bad', metric.bad]);
    this.unitScale = metric.unit === undefined ? undefined : msPer[metric.unit];
    this.marks = new CumulativeMarks(snapshot);
  }

  /** What the matching points add, each at its own time: good may be negative (bad events) and is clamped per window. */
  observe(points: readonly MetricPoint[], out: MetricIncrement[] = []): MetricIncrement[] {
    for (const p of points) {
      if (p.service !== this.service) continue;
      for (const [role, selector] of this.roles) {
        if (p.name !== selector.name || !pointMatches(selector.where, p)) continue;
        const reading = this.reading(role, p);
        if (!reading) continue;
        const [events, good] = this.marks.increase(`${role}\u0000${seriesKey(p)}`, p, reading);
        if (!events) continue;
        // With `bad`, total events start out good and bad ones are taken off; with `good`, the reverse.
        if (role === 'total') out.push({ timeMs: p.timeMs, good: this.metric.bad ? events : this.metric.good ? 0 : good, total: events });
        else out.push({ timeMs: p.timeMs, good: role === 'good' ? events : -events, total: 0 });
      }
      this.marks.seen(p.timeMs);
    }
    return out;
  }

  snapshot(): MetricCountsSnapshot {
    return this.marks.snapshot();
  }

  /** [events, good events] a point reports; undefined for points that count nothing (gauges, up-down sums). */
  private reading(role: Role, p: MetricPoint): [number, number] | undefined {
    if (p.type === 'gauge' || (p.type === 'sum' && !p.isMonotonic)) return undefined;
    const buckets = role === 'total' && !this.metric.good && !this.metric.bad;
    if (p.type === 'sum') return buckets ? undefined : [p.value, 0];
    if (!buckets) return [p.count, 0];
    if (p.type === 'summary') return undefined; // a summary keeps no buckets to count within a threshold
    const limit = (this.thresholdMs ?? 0) / (this.unitScale ?? unitScaleOf(p));
    return [p.count, p.type === 'histogram' ? explicitWithin(p, limit) : exponentialWithin(p, limit)];
  }
}

/** Whether a point has the attribute values asked for (point attributes first, then resource ones; absent reads as ""). */
export function pointMatches(where: MetricSelector['where'], p: MetricPoint): boolean {
  for (const [key, want] of Object.entries(where ?? {})) {
    const value = p.attributes[key] ?? p.resourceAttributes[key] ?? '';
    if (
      typeof want === 'string'
        ? value !== want
        : 'not' in want
          ? value === want.not
          : 'regex' in want
            ? !whole(want.regex).test(value)
            : whole(want.notRegex).test(value)
    )
      return false;
  }
  return true;
}

const compiled = new Map<string, RegExp>();
/** A pattern matches the whole value, as in PromQL's =~: "5.." is 500–599, not any value with a 5 in it. */
function whole(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) compiled.set(pattern, (re = new RegExp(`^(?:${pattern})$`)));
  return re;
}

/** One series of a metric: its name, attributes and resource attributes. */
export function seriesKey(p: MetricPoint): string {
  const attrs = Object.keys(p.attributes)
    .sort()
    .map((k) => `${k}=${p.attributes[k]}`);
  const resource = Object.keys(p.resourceAttributes)
    .sort()
    .map((k) => `${k}=${p.resourceAttributes[k]}`);
  return `${p.name}\u0000${attrs.join('\u0001')}\u0000${resource.join('\u0001')}`;
}

const msPer: Record<string, number> = { s: 1_000, ms: 1, us: 0.001, ns: 0.000_001 };

/** Milliseconds per unit of a histogram's values: its UCUM unit, else a name ending in _seconds/_ms, else milliseconds. */
function unitScaleOf(p: MetricPoint): number {
  const unit = p.unit.trim().toLowerCase();
  if (unit === 'μs' || unit === 'µs') return msPer.us!;
  if (msPer[unit] !== undefined) return msPer[unit];
  if (/(^|[._])seconds?$/.test(p.name)) return msPer.s!;
  return 1;
}

/** Observations in buckets whose upper bound is within the limit (a limit between bounds counts only the buckets below it). */
function explicitWithin(p: MetricPoint, limit: number): number {
  let good = 0;
  for (let i = 0; i < p.explicitBounds.length && p.explicitBounds[i]! <= limit * (1 + 1e-9); i++) good += p.bucketCounts[i] ?? 0;
  return good;
}

function exponentialWithin(p: MetricPoint, limit: number): number {
  const base = 2 ** (2 ** -p.expScale);
  // Zero and negative observations are within any positive limit.
  let good = p.expZeroCount + p.expNegativeCounts.reduce((a, b) => a + b, 0);
  for (let i = 0; i < p.expPositiveCounts.length; i++) {
    if (base ** (p.expPositiveOffset + i + 1) > limit * (1 + 1e-9)) break;
    good += p.expPositiveCounts[i]!;
  }
  return good;
}

/**
 * Good and total events of a metric SLO over [fromMs, toMs) from stored points in time order (for
 * reports bound to a range). Points from before the range only set the cumulative series' marks.
 */
export function metricCountsInRange(
  slo: { service: string; metric: SloMetric; thresholdMs?: number },
  points: readonly MetricPoint[],
  fromMs: number,
  toMs: number,
): { good: number; total: number } {
  const counts = new MetricCounts(slo.service, slo.metric, slo.thresholdMs);
  let good = 0;
  let total = 0;
  for (const inc of counts.observe(points)) {
    if (inc.timeMs < fromMs || inc.timeMs >= toMs) continue;
    good += inc.good;
    total += inc.total;
  }
  return { good: Math.min(Math.max(good, 0), total), total };
}
