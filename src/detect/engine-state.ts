// The detection engine's whole state as plain JSON: what a snapshot holds and the empty state a
// fresh engine starts from. Kept apart from the engine so the shape reads in one place.
import type { MetricPoint } from '../model/index.js';
import { emptyChangeLog, type ChangeLog } from './changes.js';
import type { CounterSample, HistogramSample } from './detector.js';
import type { ElevatedMemory } from './elevated.js';
import type { ServiceActivity } from './activity.js';
import { emptyGaugeState, type GaugeState } from './gauges.js';
import { emptyKnownPatterns, type KnownPatterns, type LogBucket } from './log-events.js';
import type { TemplateMinerSnapshot } from './logs/index.js';
import type { BucketAggregate, SeriesState } from './red.js';
import { emptyTracker, type TrackerState } from './signal-tracker.js';

/** The part of a metric point the engine keeps until its bucket closes (JSON-safe: no NaN). */
export type PendingMetric = Pick<
  MetricPoint,
  'service' | 'serviceVersion' | 'environment' | 'name' | 'unit' | 'type' | 'isMonotonic' | 'timeMs' | 'value' | 'attributes'
>;

export interface PendingBucket {
  series: Record<string, BucketAggregate>;
  activity: Record<string, number>;
  metrics: PendingMetric[];
  /** Monotonic sums (CPU seconds, GC time, timeouts …): the resource-shift detector turns them into rates. */
  counters?: CounterSample[];
  /** Histogram points: the request-metrics detector turns their count and sum into each export's requests and mean. */
  histograms?: HistogramSample[];
  logs: LogBucket;
}

export interface DetectionSnapshot {
  format: 1;
  /** End of the last closed bucket; null before the first advance. */
  closedUpToMs: number | null;
  pending: Record<string, PendingBucket>;
  series: Record<string, SeriesState>;
  services: Record<string, ServiceActivity>;
  gauges: GaugeState;
  known: KnownPatterns;
  miners: Record<string, TemplateMinerSnapshot>;
  tracker: TrackerState;
  detectors: Record<string, unknown>;
  changes: ChangeLog;
  /** Sub-threshold moves by evaluation key, weak evidence for the ranking (absent in older snapshots). */
  elevated?: ElevatedMemory;
  /** Evaluation key → when it last turned non-normal (anomalous or elevated): its baseline is frozen. */
  unusualSince: Record<string, number>;
  dropped: { lateSpans: number; lateLogs: number; lateMetrics: number };
}

export function emptyDetectionState(): DetectionSnapshot {
  return {
    format: 1,
    closedUpToMs: null,
    pending: {},
    series: {},
    services: {},
    gauges: emptyGaugeState(),
    known: emptyKnownPatterns(),
    miners: {},
    tracker: emptyTracker(),
    detectors: {},
    changes: emptyChangeLog(),
    elevated: {},
    unusualSince: {},
    dropped: { lateSpans: 0, lateLogs: 0, lateMetrics: 0 },
  };
}
