// Window views of the graph's bucketed statistics: the rates and shares root-cause rules read
// ("edge error rate in the last 5 min", "share of time payment-service spends in its own code").

import { latencyQuantile } from './latencyHistogram.js';
import type { EdgeBucket, ServiceBucket } from './stats.js';

export interface EdgeWindow {
  calls: number;
  errors: number;
  errorRate: number;
  meanMs: number;
  p95Ms: number;
}

export interface VersionWindow {
  version: string;
  requests: number;
  errors: number;
  errorRate: number;
  meanMs: number;
}

export interface ServiceWindow {
  requests: number;
  errors: number;
  errorRate: number;
  p95Ms: number;
  originErrors: number;
  originErrorsByPeer: Record<string, number>;
  propagatedErrors: number;
  /** originErrors / (originErrors + propagatedErrors); NaN without failing spans. */
  originShare: number;
  selfMs: number;
  waitMs: number;
  waitMsByPeer: Record<string, number>;
  /** Own work per request handled (ms); NaN without requests. */
  selfMsPerRequest: number;
  /** Waiting on calls per request handled (ms), by peer. */
  waitMsPerRequestByPeer: Record<string, number>;
  entryRequests: number;
  byVersion: VersionWindow[];
}

export function edgeWindow(b: EdgeBucket): EdgeWindow {
  return {
    calls: b.calls,
    errors: b.errors,
    errorRate: b.calls > 0 ? b.errors / b.calls : 0,
    meanMs: b.calls > 0 ? b.durationSumMs / b.calls : 0,
    p95Ms: latencyQuantile(b.latency, 0.95),
  };
}

export function serviceWindow(b: ServiceBucket): ServiceWindow {
  const failing = b.originErrors + b.propagatedErrors;
  const waitMs = Object.values(b.waitMsByPeer).reduce((s, v) => s + v, 0);
  const perRequest: Record<string, number> = {};
  for (const [peer, ms] of Object.entries(b.waitMsByPeer)) perRequest[peer] = b.requests > 0 ? ms / b.requests : NaN;
  return {
    requests: b.requests,
    errors: b.errors,
    errorRate: b.requests > 0 ? b.errors / b.requests : 0,
    p95Ms: latencyQuantile(b.latency, 0.95),
    originErrors: b.originErrors,
    originErrorsByPeer: { ...b.originErrorsByPeer },
    propagatedErrors: b.propagatedErrors,
    originShare: failing > 0 ? b.originErrors / failing : NaN,
    selfMs: b.selfMs,
    waitMs,
    waitMsByPeer: { ...b.waitMsByPeer },
    selfMsPerRequest: b.requests > 0 ? b.selfMs / b.requests : NaN,
    waitMsPerRequestByPeer: perRequest,
    entryRequests: b.entryRequests,
    byVersion: Object.entries(b.byVersion).map(([version, v]) => ({
      version,
      requests: v.requests,
      errors: v.errors,
      errorRate: v.requests > 0 ? v.errors / v.requests : 0,
      meanMs: v.requests > 0 ? v.durationSumMs / v.requests : 0,
    })),
  };
}
