// The detector port: a detector is a pure function of the engine's closed buckets, its own JSON
// state and the time, returning one evaluation per subject. New detectors are a file plus a
// registry entry; firing, holding and recovering is decided once, in signal-tracker.ts.
import type { Signal, SignalKind, SignalSubject } from '../model/index.js';
import type { DetectionConfig } from './config.js';
import type { BucketAggregate, RedSeries } from './red.js';
import type { ServiceActivity } from './activity.js';
import type { GaugeSeries } from './gauges.js';
import type { LogBucket } from './log-events.js';

export type EvaluationState = 'anomalous' | 'elevated' | 'normal';

/** What a detector found; the tracker turns it into a Signal. */
export interface Finding {
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
  /** Keep the baseline from learning this bucket even though nothing fires (e.g. a surge without errors). */
  holdBaseline?: boolean;
  finding?: Finding;
}

export interface DetectorContext {
  /** End of the bucket that just closed: the engine's event time. */
  nowMs: number;
  config: DetectionConfig;
  series: readonly RedSeries[];
  services: readonly ServiceActivity[];
  gauges: readonly GaugeSeries[];
  /** Gauge-like metric points of the bucket that just closed, in event-time order. */
  metrics: readonly MetricSample[];
  /** Monotonic sums of the bucket that just closed, in event-time order. */
  counters?: readonly CounterSample[];
  logs: LogBucket;
  /** The last `buckets` closed buckets of a series summed (memoized for the bucket being closed); latency sketch only with `withLatency`. */
  window(series: RedSeries, buckets: number, withLatency?: boolean): BucketAggregate;
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
  judgedSeries(series: RedSeries): boolean;
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

export interface Detector<S = unknown> {
  /** Stable name: used in config (`disabled`) and snapshots. */
  readonly name: string;
  initialState(): S;
  evaluate(ctx: DetectorContext, state: S): Evaluation[];
  /** Detectors holding live objects (e.g. a series scorer) write them into `state` before a snapshot. */
  persist?(state: S): void;
}
