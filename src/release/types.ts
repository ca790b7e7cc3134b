// The release-validation vocabulary: a deployment under watch, the per-version RED aggregates it is
// judged on, the evidence and the verdict. Plain JSON (snapshots, API views), no behaviour.
import type { LatencySketch } from '../detect/index.js';

export type VerdictStatus = 'watching' | 'pass' | 'fail' | 'inconclusive';

/** Requests, failed requests and their latencies in one 10 s bucket of one service × route × version. */
export interface RedAggregate {
  requests: number;
  errors: number;
  latency: LatencySketch;
}

/** The signals a verdict weighs; each evidence row names one. */
export type EvidenceSignal = 'error-rate' | 'latency' | 'throughput-share' | 'saturation' | 'smoke' | 'new-exception' | 'new-log-template';

export interface Evidence {
  signal: EvidenceSignal;
  /** Absent: the service's entry routes together. Saturation rows name the metric, smoke rows the check. */
  route?: string;
  baseline: number;
  candidate: number;
  /** Relative change (0.48 = +48%) for rates and percentiles; a count for new things. */
  change: number;
  /** 0..1: one minus the anytime-valid p-value of "this got worse", or the detector's own score. */
  confidence: number;
  unit: 'ratio' | 'ms' | 'share' | 'count';
  /** Whether this row alone fails the release. */
  failing: boolean;
  /** A failing row: when the regression it shows began (its test's change-point, the finding's onset, the first failed smoke run); absent when unknown. */
  sinceMs?: number;
  summary: string;
}

export interface Verdict {
  status: VerdictStatus;
  decidedAtMs?: number;
  summary: string;
  evidence: Evidence[];
}

/** What the tests compare against. */
export type ComparisonMode = 'canary' | 'baseline';

export interface DeploymentRef {
  id: string;
  service: string;
  version: string;
  /** '' when unknown: the release engine picks the version that served most before the deploy. */
  previousVersion: string;
  timeMs: number;
}

/** A failed critical smoke check or a new exception / log template in the candidate version. */
export interface ReleaseFinding {
  signal: 'smoke' | 'new-exception' | 'new-log-template';
  service: string;
  version?: string;
  /** The check name, exception fingerprint or template. */
  subject: string;
  atMs: number;
  /** When what it reports began (the detector signal's onset). */
  sinceMs?: number;
  failing: boolean;
  confidence: number;
  summary: string;
}

/** What the one-arm tests compare the new version against when the versions do not serve side by side. */
export interface ReferenceBaseline {
  kind: 'same-time-of-day' | 'hour-before';
  /** Previous days whose same time-of-day window the previous version served (same-time-of-day). */
  days?: number;
  /** Set while the adapter looks the same time of day up in the store: no verdict is decided meanwhile. */
  awaiting?: boolean;
  /** In words, for the verdict: which baseline and, for a fallback, why. */
  note: string;
}

/** One run of a smoke check a deployment triggered. */
export interface SmokeRun {
  check: string;
  atMs: number;
  ok: boolean;
  durationMs: number;
  traceId?: string;
  error?: string;
}

/** A smoke check a deployment triggered: its runs since the deploy and what they say. */
export interface SmokeResult {
  check: string;
  /** pending: no run yet (or one failure awaiting its confirmation run). */
  status: 'pending' | 'pass' | 'fail';
  runs: SmokeRun[];
}
