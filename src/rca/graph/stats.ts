// Per-bucket statistics the dependency graph keeps for edges and services, with their merge
// functions: the same shapes serve the 1-minute buckets, the hourly rollups and window queries.

import { mergeLatency, recordLatency } from './latencyHistogram.js';
import type { LatencyHistogram } from './latencyHistogram.js';

export interface EdgeBucket {
  calls: number;
  errors: number;
  durationSumMs: number;
  latency: LatencyHistogram;
}

export interface VersionBucket {
  requests: number;
  errors: number;
  durationSumMs: number;
}

export interface ServiceBucket {
  /** Server/consumer spans received (requests handled). */
  requests: number;
  errors: number;
  /** Failing spans of this service whose children all succeeded: the error started here. */
  originErrors: number;
  /** Origin errors that surfaced on a client span, by the peer called (e.g. a pool timeout to a DB). */
  originErrorsByPeer: Record<string, number>;
  /** Failing spans with a failing child: the error came from below. */
  propagatedErrors: number;
  /** Time spent in the service's own code (span time minus direct children). */
  selfMs: number;
  /** Time spent waiting on calls, by peer (client span durations). */
  waitMsByPeer: Record<string, number>;
  /** Server spans without an instrumented parent: traffic arriving from outside. */
  entryRequests: number;
  byVersion: Record<string, VersionBucket>;
  latency: LatencyHistogram;
}

export function emptyEdgeBucket(): EdgeBucket {
  return { calls: 0, errors: 0, durationSumMs: 0, latency: {} };
}

export function emptyServiceBucket(): ServiceBucket {
  return {
    requests: 0,
    errors: 0,
    originErrors: 0,
    originErrorsByPeer: {},
    propagatedErrors: 0,
    selfMs: 0,
    waitMsByPeer: {},
    entryRequests: 0,
    byVersion: {},
    latency: {},
  };
}

export function addEdgeCall(b: EdgeBucket, durationMs: number, failed: boolean): void {
  b.calls += 1;
  if (failed) b.errors += 1;
  b.durationSumMs += durationMs;
  recordLatency(b.latency, durationMs);
}

export function mergeEdgeBucket(into: EdgeBucket, from: EdgeBucket): void {
  into.calls += from.calls;
  into.errors += from.errors;
  into.durationSumMs += from.durationSumMs;
  mergeLatency(into.latency, from.latency);
}

function addRecord(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

export function mergeServiceBucket(into: ServiceBucket, from: ServiceBucket): void {
  into.requests += from.requests;
  into.errors += from.errors;
  into.originErrors += from.originErrors;
  addRecord(into.originErrorsByPeer, from.originErrorsByPeer);
  into.propagatedErrors += from.propagatedErrors;
  into.selfMs += from.selfMs;
  addRecord(into.waitMsByPeer, from.waitMsByPeer);
  into.entryRequests += from.entryRequests;
  for (const [v, s] of Object.entries(from.byVersion)) {
    const t = (into.byVersion[v] ??= { requests: 0, errors: 0, durationSumMs: 0 });
    t.requests += s.requests;
    t.errors += s.errors;
    t.durationSumMs += s.durationSumMs;
  }
  mergeLatency(into.latency, from.latency);
}
