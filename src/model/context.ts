// Incident context as data: what the developer on call needs to start fixing (affected endpoints,
// error groups, example traces, logs, changes, affected users, runbook, deep links). Plain types in
// the shared vocabulary, so incidents (which carry a context) and context/ (which assembles it)
// both depend on the model instead of on each other.
import type { ChangeEvent } from './changes.js';

export interface TimeRange {
  fromMs: number;
  toMs: number;
}

export interface AffectedEndpoint {
  service: string;
  /** "POST /pay" (method and route), or the span name when there is no route. */
  endpoint: string;
  before: { requests: number; errorRate: number; p95Ms: number };
  after: { requests: number; errorRate: number; p95Ms: number };
  /** "errors 0.10% → 15.2%, p95 120 → 950 ms (1,204 requests)". */
  summary: string;
}

export interface ErrorGroup {
  service: string;
  /** "TimeoutError: connection timeout … after <num> ms": exception type (if any) + message template. */
  fingerprint: string;
  exceptionType: string;
  /** A real message of the group, not the normalised one. */
  message: string;
  count: number;
  sampleTraceId: string;
  /** service.version of the earliest occurrence in the range ('' when unknown). */
  firstSeenVersion: string;
  firstSeenMs: number;
}

export type ExampleKind = 'failing' | 'slow' | 'healthy';

export interface ExampleTrace {
  traceId: string;
  kind: ExampleKind;
  service: string;
  endpoint: string;
  durationMs: number;
  startTimeMs: number;
  /** One line: "failing: payment-service POST /pay 5,012 ms, connection timeout". */
  label: string;
  /** Deep link to the trace in the explore API. */
  url: string;
}

export interface ContextLogLine {
  timeMs: number;
  service: string;
  severityText: string;
  body: string;
  traceId: string;
  template: string;
  /** Why the line is shown. */
  reason: 'new-template' | 'spiking-template' | 'error';
  before: number;
  after: number;
}

export interface AffectedUsers {
  count: number;
  total: number;
  /** 0..100 */
  percent: number;
  sample: string[];
}

export interface EntryTraffic {
  services: string[];
  requests: number;
  failed: number;
  /** Successful requests beyond twice their endpoint's usual p95 (`slowThresholdMs` for an endpoint with no usual latency). */
  slow: number;
  slowThresholdMs: number;
  /** Requests of entry endpoints whose typical request now exceeds their usual p95 (half or more of them beyond it). */
  slowed?: number;
  /** Those endpoints ("GET /cart"), busiest first. */
  slowedEndpoints?: string[];
  /** Failing share of the entry services' requests in the baseline window before the onset. */
  usualFailedRatio?: number;
}

export interface IncidentContext {
  assembledAtMs: number;
  onsetMs: number;
  before: TimeRange;
  after: TimeRange;
  affectedEndpoints: AffectedEndpoint[];
  errorGroups: ErrorGroup[];
  exampleTraces: ExampleTrace[];
  logs: ContextLogLine[];
  changes: ChangeEvent[];
  affectedUsers: AffectedUsers;
  entry: EntryTraffic;
  runbook?: string;
  /** Deep links into the explore API, one per affected service, filtered to the incident window. */
  links: { traces: string[]; logs: string[]; metrics: string[] };
}
