// Per-service activity (every span and log counts) per closed bucket with a seasonal baseline:
// what the silence detector needs, since a service that stops sending only shows as empty buckets.
import type { DetectionConfig } from './config.js';
import { emptyBaseline, learn, type SeasonalBaseline } from './baseline.js';
import { rateParams } from './red.js';

export interface ServiceActivity {
  service: string;
  firstMs: number;
  lastSeenMs: number;
  /** Event counts of the last closed buckets, oldest first. */
  history: number[];
  baseline: SeasonalBaseline;
  /** Closed buckets that held any event (absent in older snapshots: such services were judged). */
  activeBuckets?: number;
}

export function newActivity(service: string, atMs: number, config: DetectionConfig): ServiceActivity {
  return { service, firstMs: atMs, lastSeenMs: atMs, history: [], baseline: emptyBaseline(rateParams(config)), activeBuckets: 0 };
}

export function closeActivityBucket(a: ServiceActivity, bucketEndMs: number, count: number, frozen: boolean, config: DetectionConfig): void {
  a.history.push(count);
  if (count > 0 && a.activeBuckets !== undefined) a.activeBuckets += 1;
  const keep = Math.ceil(Math.max(config.silence.silenceMs, config.holdMs) / config.bucketMs) + 1;
  if (a.history.length > keep) a.history.splice(0, a.history.length - keep);
  if (!frozen) learn(a.baseline, bucketEndMs, count, rateParams(config));
}
