// What every detector sees when a bucket closes: the bucket's series, services, logs and metrics,
// plus cached windows and the questions detectors ask of the engine's state (is it firing, how warm
// is this series, did the service change lately).
import { linkChange } from './changes.js';
import type { DetectionConfig } from './config.js';
import type { CounterSample, DetectorContext, HistogramSample, MetricSample } from './detector.js';
import type { DetectionSnapshot } from './engine-state.js';
import type { ServiceActivity } from './activity.js';
import type { LogBucket } from './log-events.js';
import { hasVolume, windowOf, type BucketAggregate, type SeriesState } from './red.js';
import { activeSignal } from './signal-tracker.js';

export interface BucketContents {
  series: readonly SeriesState[];
  services: readonly ServiceActivity[];
  logs: LogBucket;
  metrics: readonly MetricSample[];
  counters: readonly CounterSample[];
  histograms?: readonly HistogramSample[];
}

export function detectorContext(nowMs: number, config: DetectionConfig, state: DetectionSnapshot, bucket: BucketContents): DetectorContext {
  const tracker = state.tracker;
  const windows = new Map<string, BucketAggregate>();
  // Few keys fire at a time; a set answers the per-series "is it firing?" questions cheaply.
  const firing = new Set<string>();
  for (const key in tracker.keys) if (tracker.keys[key]?.active) firing.add(key);
  const warmth = (firstMs: number): number => Math.max(0, Math.min(1, (nowMs - firstMs) / config.warmupMs));
  return {
    nowMs,
    config,
    series: bucket.series,
    services: bucket.services,
    gauges: Object.values(state.gauges.series),
    metrics: bucket.metrics,
    counters: [...bucket.counters].sort((a, b) => a.timeMs - b.timeMs),
    histograms: [...(bucket.histograms ?? [])].sort((a, b) => a.timeMs - b.timeMs),
    logs: bucket.logs,
    window: (s, buckets, withLatency = false) => {
      const key = `${buckets}|${withLatency ? 'l' : ''}|${s.id}`;
      let w = windows.get(key);
      if (!w) {
        w = windowOf(s, buckets, withLatency);
        windows.set(key, w);
      }
      return w;
    },
    isFiring: (key) => firing.size > 0 && firing.has(key),
    active: (key) => activeSignal(tracker, key),
    warmth,
    alphaFor: (alpha, firstMs) => alpha * Math.pow(config.coldAlphaFactor, 1 - warmth(firstMs)),
    effectFor: (ratio, firstMs) => 1 + (ratio - 1) * (1 + (config.coldEffectFactor - 1) * (1 - warmth(firstMs))),
    judged: (firstMs) => nowMs - firstMs >= config.minHistoryMs,
    judgedSeries: (s) => nowMs - s.firstMs >= config.minHistoryMs && hasVolume(s, config),
    serviceFirstMs: (service) => state.services[service]?.firstMs,
    changedRecently: (service, atMs) => linkChange(state.changes, config.changeWindowMs, service, atMs, atMs) !== undefined,
  };
}
