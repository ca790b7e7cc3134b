// The detector port: a detector is a pure function of the engine's closed buckets, its own JSON
// state and the time, returning one evaluation per subject. New detectors are a file plus a
// registry entry; firing, holding and recovering is decided once, in signal-tracker.ts. Each
// detector declares its own settings (its `detect:` section, defaults included) and which
// baselines its flagged evaluations hold still; detect/config.ts and the engine assemble them.
import type { z } from 'zod';
import type { Signal, SignalKind, SignalSubject } from '../model/index.js';
import type { DetectionConfig } from './config.js';
import type { BucketAggregate, SeriesState } from './red.js';
import type { ServiceActivity } from './activity.js';
import type { GaugeSeries } from './gauges.js';
import type { LogBucket } from './log-events.js';

export type EvaluationState = 'anomalous' | 'elevated' | 'normal';

/** What a detector found, a signal before the tracker decides it fires (it turns it into a Signal). */
export interface SignalDraft {
  startedAtMs: number;
  window: { fromMs: number; toMs: number };
  observed: number;
  baseline: number;
  unit: string;
  pValue: number;
  score: number;
  summary: string;
  evidence: Record<string, number | string>;
}

export interface Evaluation {
  key: string;
  kind: SignalKind;
  subject: SignalSubject;
  /** anomalous counts toward firing; elevated neither fires nor recovers; normal counts toward recovery. */
  state: EvaluationState;
  /** One-off events (a new pattern) fire without waiting for consecutive evaluations. */
  immediate?: boolean;
  /**
   * The subject reported nothing in this bucket (a series exported once a minute under 10 s
   * buckets): its pending or firing state stands as it is, counted neither toward firing nor
   * toward recovery, and `state` is not read. The detector bounds how long it says so; a key it no
   * longer evaluates is treated as normal, as ever.
   */
  noNews?: boolean;
  /** Keep the baseline from learning this bucket even though nothing fires (e.g. a surge without errors). */
  holdBaseline?: boolean;
  draft?: SignalDraft;
}

export interface DetectorContext {
  /** End of the bucket that just closed: the engine's event time. */
  nowMs: number;
  config: DetectionConfig;
  series: readonly SeriesState[];
  services: readonly ServiceActivity[];
  gauges: readonly GaugeSeries[];
  /** Gauge-like metric points of the bucket that just closed, in event-time order. */
  metrics: readonly MetricSample[];
  /** Monotonic sums of the bucket that just closed, in event-time order. */
  counters?: readonly CounterSample[];
  /** Histogram points of the bucket that just closed (request durations of services known from metrics), in event-time order. */
  histograms?: readonly HistogramSample[];
  logs: LogBucket;
  /** The last `buckets` closed buckets of a series summed (memoized for the bucket being closed); latency sketch only with `withLatency`. */
  window(series: SeriesState, buckets: number, withLatency?: boolean): BucketAggregate;
  isFiring(key: string): boolean;
  active(key: string): Signal | undefined;
  /** 0 with no history, 1 once the history spans `warmupMs`. */
  warmth(firstMs: number): number;
  /** The configured alpha made stricter during cold start. */
  alphaFor(alpha: number, firstMs: number): number;
  /** An effect-size threshold made wider during cold start. */
  effectFor(ratio: number, firstMs: number): number;
  /** When a service was first seen (any span or log), the warm-up clock of log signals. */
  serviceFirstMs(service: string): number | undefined;
  /** Whether a deploy or config change of the service happened within `changeWindowMs` before `atMs`. */
  changedRecently(service: string, atMs: number): boolean;
  /** True once a series is old enough to be judged at all. */
  judged(firstMs: number): boolean;
  /** True once a RED series is old enough and has carried enough traffic to be judged (volume gate). */
  judgedSeries(series: SeriesState): boolean;
}

/** The part of a metric point detectors see. */
export interface MetricSample {
  service: string;
  serviceVersion: string;
  name: string;
  unit: string;
  timeMs: number;
  value: number;
  attributes: Record<string, string>;
}

/** A monotonic sum's point: cumulative (a running total since startTimeMs) or a delta over its interval. */
export interface CounterSample extends MetricSample {
  cumulative: boolean;
  startTimeMs: number;
}

/** A histogram's point: its count and sum of observations, cumulative (since startTimeMs) or over its interval. */
export interface HistogramSample extends Omit<MetricSample, 'value'> {
  count: number;
  sum: number;
  cumulative: boolean;
  startTimeMs: number;
}

/** A detector's section of `detect:` in vigil.yaml: its name there, every field with its check, and the defaults. */
export interface DetectorSettings<K extends string = string, S extends z.ZodObject = z.ZodObject> {
  readonly section: K;
  /** Every field required (the resolved shape); the config file's section is its partial. */
  readonly schema: S;
  readonly defaults: z.output<S>;
}

export function detectorSettings<K extends string, S extends z.ZodObject>(section: K, schema: S, defaults: z.output<S>): DetectorSettings<K, S> {
  return { section, schema, defaults };
}

/** The engine's learned baselines: a RED series' request rate, error ratio and latency, and a service's activity. */
export type Baseline = 'requests' | 'errors' | 'latency' | 'activity';

export interface Detector<S = unknown> {
  /** Stable name: used in config (`disabled`) and snapshots. */
  readonly name: string;
  /**
   * Baseline policy: evaluation key prefixes per baseline. While an evaluation keyed
   * `prefix|series id` (or `prefix|service` for activity) is flagged, that baseline of the series
   * does not learn, so a fault does not become the usual until it has lasted `adaptAfterMs`.
   */
  readonly holdsBaselines?: Partial<Record<Baseline, readonly string[]>>;
  initialState(): S;
  evaluate(ctx: DetectorContext, state: S): Evaluation[];
  /** Detectors holding live objects (e.g. a series scorer) write them into `state` before a snapshot. */
  persist?(state: S): void;
}
