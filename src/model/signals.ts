// Signals: what the detection core emits. A signal is a typed, scored finding about one subject
// (service, route, version, metric, log pattern, exception fingerprint) that fires and later recovers.

export type SignalKind =
  | 'error-rate'
  | 'latency'
  | 'throughput-drop'
  | 'throughput-surge'
  | 'change-point'
  | 'saturation'
  | 'saturation-forecast'
  | 'new-log-pattern'
  | 'log-pattern-spike'
  | 'new-exception'
  | 'silence'
  | 'metric-anomaly'
  | 'slo-burn'
  | 'synthetic-failure'
  | 'synthetic-latency'
  | 'slo-ticket'
  | 'user-rule';

export type SignalStatus = 'firing' | 'recovered';

export interface SignalSubject {
  service: string;
  route?: string; // http.route or span name of entry spans
  version?: string; // service.version the signal concerns
  metric?: string; // metric name (saturation, metric-anomaly)
  peer?: string; // a dependency (client span peer) the signal is about
  patternId?: string; // log template id
  pattern?: string; // log template text
  fingerprint?: string; // exception fingerprint
}

/** A deploy or change of the subject's service that happened shortly before the onset. */
export interface SignalChangeLink {
  changeId: string;
  kind: string;
  version: string;
  timeMs: number;
}

export interface Signal {
  /** Unique per occurrence: `${key}@${startedAtMs}`. */
  id: string;
  /** Identity of the thing watched: detector kind plus subject; one firing signal per key at a time. */
  key: string;
  kind: SignalKind;
  status: SignalStatus;
  subject: SignalSubject;
  /** Estimated onset (event time). */
  startedAtMs: number;
  /** Engine time when the signal was emitted. */
  detectedAtMs: number;
  /** Engine time when it recovered. */
  endedAtMs?: number;
  window: { fromMs: number; toMs: number };
  observed: number;
  baseline: number;
  unit: string; // 'ratio', 'ms', 'per_min', 'count', or the metric's unit
  /** p-value or tail probability when a test gives one (smaller is more significant), else NaN. */
  pValue: number;
  /** 0..1: how strong the anomaly is; used for ranking and severity. */
  score: number;
  /** One sentence a human understands, with the numbers. */
  summary: string;
  /** Raw numbers behind the summary (requests, errors, samples …). */
  evidence: Record<string, number | string>;
  change?: SignalChangeLink;
}

/**
 * A move a detector measured that stayed under its paging bar (an 'elevated' evaluation, or an
 * anomalous one that has not fired): never stored, paged or grouped into an incident, only weak
 * evidence for the root-cause ranking of an incident in the same minutes.
 */
export interface ElevatedShift {
  key: string;
  kind: SignalKind;
  subject: SignalSubject;
  /** The detector's onset estimate of the move. */
  startedAtMs: number;
  /** End of the last bucket the move was still seen in. */
  lastSeenMs: number;
  observed: number;
  baseline: number;
  unit: string;
  /** 0..1, as a signal's: the strongest seen while the move lasted. */
  score: number;
  summary: string;
  /** The detector's numbers (robustZ …) at the strongest point. */
  evidence: Record<string, number | string>;
}
