// Streaming RED aggregation: requests, errors and a latency sketch per 10 s bucket for every
// entry point (service × route, split by version) and every client edge (service → peer), with the
// baselines each series learns from. Everything is plain JSON for snapshots.
import type { Span } from '../model/index.js';
import type { DetectionConfig } from './config.js';
import { emptyBaseline, learn, type SeasonalBaseline, type SeasonalParams } from './baseline.js';
import { addToSketch, emptySketch, mergeSketch, quantile, scaleSketch, type LatencySketch } from './sketch.js';

export interface BucketAggregate {
  requests: number;
  errors: number;
  latency: LatencySketch;
  /** version → [requests, errors] */
  versions: Record<string, [number, number]>;
}

export type SeriesKind = 'route' | 'edge';

/** One route's or edge's detection state: its recent buckets and baselines (store/ has RedSeries, a queried chart series). */
export interface SeriesState {
  id: string;
  kind: SeriesKind;
  service: string;
  route: string; // '' for edges
  peer: string; // '' for routes
  firstMs: number;
  lastSeenMs: number;
  /** Closed buckets, oldest first; the last one is the bucket that just closed. */
  history: BucketAggregate[];
  requests: SeasonalBaseline; // throughput, fast half-life
  slowRequests: SeasonalBaseline; // denominators of the error baseline
  errors: SeasonalBaseline;
  /** Decayed latency distribution; recent requests weigh more. */
  latency: LatencySketch;
  latencyBuckets: number;
  /**
   * Requests seen and closed buckets that held any, for the volume gate (absent in snapshots taken
   * before the gate existed: such series had already been judged).
   */
  seenRequests?: number;
  activeBuckets?: number;
  /** Percentiles of `latency`, refreshed when it decays (it moves slowly; scanning it per bucket would not). */
  latencyRef: { p50: number; p95: number; reference: number };
  /**
   * Ends of the latest buckets with a failure: those of the longest error window and the newest one
   * before it, so how long the series went without one stays known (absent in snapshots taken
   * before it was kept: such a series has no known clean record).
   */
  failedAtMs?: number[];
}

/** The latency baseline decays once per this many buckets: same half-life, far fewer passes. */
const LATENCY_DECAY_EVERY = 6;

export function emptyBucket(): BucketAggregate {
  return { requests: 0, errors: 0, latency: emptySketch(), versions: {} };
}

/** The bucket of a series that saw nothing: shared and never mutated (closed buckets are read-only). */
export const EMPTY_BUCKET: BucketAggregate = Object.freeze({
  requests: 0,
  errors: 0,
  latency: Object.freeze({ offset: 0, counts: Object.freeze([]) as unknown as number[], count: 0 }),
  versions: Object.freeze({}),
});

export function isEntrySpan(span: Span): boolean {
  return span.kind === 'server' || span.kind === 'consumer';
}

/** Server spans fail on status error or a 5xx; others on status error. */
export function isFailedSpan(span: Span): boolean {
  return span.statusCode === 'error' || (span.kind === 'server' && span.httpStatusCode >= 500);
}

export function routeOf(span: Span): string {
  return span.httpRoute || span.name;
}

export function routeSeriesId(service: string, route: string): string {
  return `${service}|${route}`;
}

export function edgeSeriesId(service: string, peer: string): string {
  return `${service}->${peer}`;
}

export function addSpanToBucket(bucket: BucketAggregate, span: Span, failed: boolean): void {
  bucket.requests += 1;
  if (failed) bucket.errors += 1;
  addToSketch(bucket.latency, span.durationMs);
  const v = bucket.versions[span.serviceVersion] ?? [0, 0];
  v[0] += 1;
  if (failed) v[1] += 1;
  bucket.versions[span.serviceVersion] = v;
}

export function newSeries(id: string, kind: SeriesKind, service: string, route: string, peer: string, atMs: number, config: DetectionConfig): SeriesState {
  return {
    id,
    kind,
    service,
    route,
    peer,
    firstMs: atMs,
    lastSeenMs: atMs,
    history: [],
    requests: emptyBaseline(rateParams(config)),
    slowRequests: emptyBaseline(errorParams(config)),
    errors: emptyBaseline(errorParams(config)),
    latency: emptySketch(),
    latencyBuckets: 0,
    seenRequests: 0,
    activeBuckets: 0,
    latencyRef: { p50: 0, p95: 0, reference: 0 },
    failedAtMs: [],
  };
}

export function rateParams(config: DetectionConfig): SeasonalParams {
  return {
    bucketMs: config.bucketMs,
    slotMs: config.seasonalSlotMs,
    halfLifeMs: config.rateHalfLifeMs,
    dayWeight: config.seasonalDayWeight,
    seasonalWeight: config.seasonalWeight,
  };
}

export function errorParams(config: DetectionConfig): SeasonalParams {
  return { ...rateParams(config), halfLifeMs: config.errorHalfLifeMs };
}

/** How many closed buckets each series keeps: enough for the longest window and the hold period. */
export function historyLength(config: DetectionConfig): number {
  const longest = Math.max(
    config.errorRate.windowMs,
    config.errorRate.longWindowMs,
    config.latency.windowMs,
    config.throughput.windowMs,
    config.throughput.longWindowMs,
    config.holdMs,
  );
  return Math.ceil(longest / config.bucketMs) + 1;
}

export function pushHistory(series: SeriesState, bucket: BucketAggregate, config: DetectionConfig): void {
  series.history.push(bucket);
  if (bucket.requests > 0 && series.seenRequests !== undefined) {
    series.seenRequests += bucket.requests;
    series.activeBuckets = (series.activeBuckets ?? 0) + 1;
  }
  const keep = historyLength(config);
  if (series.history.length > keep) series.history.splice(0, series.history.length - keep);
}

function noteFailures(failedAtMs: number[], bucketEndMs: number, errors: number, keepMs: number): void {
  if (errors > 0) failedAtMs.push(bucketEndMs);
  // Of the failures older than the window, only the newest is needed: it ends the clean record.
  const older = failedAtMs.filter((t) => t <= bucketEndMs - keepMs).length;
  if (older > 1) failedAtMs.splice(0, older - 1);
}

/** How long the series went without a failure before `fromMs`, or undefined when that is not known. */
export function cleanRecordMs(series: SeriesState, fromMs: number): number | undefined {
  if (!series.failedAtMs) return undefined;
  const before = series.failedAtMs.filter((t) => t <= fromMs);
  return fromMs - (before.length > 0 ? before[before.length - 1]! : series.firstMs);
}

/**
 * The volume gate: a series is judged only once it has carried `minRequests` requests spread over
 * `minActiveBuckets` buckets; before that its baseline cannot tell the usual from the unusual
 * (a job that sent five requests once, an admin page opened twice an hour).
 */
export function hasVolume(series: SeriesState, config: DetectionConfig): boolean {
  if (series.seenRequests === undefined) return true;
  return series.seenRequests >= config.minRequests && (series.activeBuckets ?? 0) >= config.minActiveBuckets;
}

export interface LearnMask {
  requests: boolean;
  errors: boolean;
  latency: boolean;
}

/** Folds the just-closed bucket into the baselines that are not frozen by a firing signal. */
export function learnBucket(series: SeriesState, bucketEndMs: number, bucket: BucketAggregate, mask: LearnMask, config: DetectionConfig): void {
  if (series.failedAtMs) noteFailures(series.failedAtMs, bucketEndMs, bucket.errors, config.errorRate.longWindowMs);
  if (mask.requests) learn(series.requests, bucketEndMs, bucket.requests, rateParams(config));
  if (mask.errors) {
    learn(series.slowRequests, bucketEndMs, bucket.requests, errorParams(config));
    learn(series.errors, bucketEndMs, bucket.errors, errorParams(config));
  }
  if (mask.latency) {
    mergeSketch(series.latency, bucket.latency, 1);
    series.latencyBuckets += 1;
    if (series.latencyBuckets % LATENCY_DECAY_EVERY === 0) {
      scaleSketch(series.latency, Math.pow(0.5, (LATENCY_DECAY_EVERY * config.bucketMs) / config.latencyHalfLifeMs), 1e-3);
    }
    if (series.latencyBuckets % LATENCY_DECAY_EVERY === 0 || series.latencyBuckets < 4 * LATENCY_DECAY_EVERY) {
      series.latencyRef = {
        p50: quantile(series.latency, 0.5),
        p95: quantile(series.latency, 0.95),
        reference: quantile(series.latency, config.latency.referenceQuantile),
      };
    }
  }
}

/** Sums the last `buckets` closed buckets; latency only when asked (it is the costly part). */
export function windowOf(series: SeriesState, buckets: number, withLatency = true): BucketAggregate {
  const out = emptyBucket();
  const from = Math.max(0, series.history.length - buckets);
  for (let i = from; i < series.history.length; i++) {
    const b = series.history[i];
    if (!b) continue;
    out.requests += b.requests;
    out.errors += b.errors;
    if (withLatency) mergeSketch(out.latency, b.latency);
    for (const version in b.versions) {
      const v = b.versions[version] ?? [0, 0];
      const o = out.versions[version] ?? [0, 0];
      o[0] += v[0];
      o[1] += v[1];
      out.versions[version] = o;
    }
  }
  return out;
}

/** The version carrying most of the weight (errors when there are any, else requests). */
export function dominantVersion(bucket: BucketAggregate, byErrors: boolean): string {
  let best = '';
  let bestWeight = -1;
  for (const version in bucket.versions) {
    const v = bucket.versions[version] ?? [0, 0];
    const w = byErrors ? v[1] * 1e9 + v[0] : v[0];
    if (w > bestWeight) {
      best = version;
      bestWeight = w;
    }
  }
  return best;
}
