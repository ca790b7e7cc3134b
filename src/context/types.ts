// Incident context: what the developer on call needs to start fixing (affected endpoints, error
// groups, example traces, logs, changes, affected users, runbook, deep links), and the queries it
// is assembled from. Types only, so the pure incident core can carry a context without importing I/O.
import type { ChangeEvent } from '../model/index.js';

export interface TimeRange {
  fromMs: number;
  toMs: number;
}

/** Request statistics of one endpoint (service + method + route) over a range: server spans only. */
export interface EndpointStats {
  service: string;
  method: string;
  route: string;
  requests: number;
  errors: number;
  p95Ms: number;
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

/** A log template around the onset with counts before and after it, and one real line. */
export interface LogTemplateStats {
  service: string;
  template: string;
  before: number;
  after: number;
  /** Highest severity number seen in the range. */
  maxSeverity: number;
  sample: { timeMs: number; severityText: string; body: string; traceId: string };
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
  slow: number;
  slowThresholdMs: number;
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

/** What context assembly needs of an incident (an Incident from src/incidents satisfies it). */
export interface ContextSubject {
  id: string;
  services: readonly string[];
  startedAtMs: number;
  resolvedAtMs?: number;
  runbook?: string;
}

export interface ServicesRange extends TimeRange {
  services: readonly string[];
  limit: number;
}

/**
 * The telemetry queries context assembly runs; every one is bounded by `limit`. The server
 * implements them over ClickHouse; InMemoryContextQueries implements them over arrays.
 */
export interface ContextQueries {
  /** Server-span statistics per endpoint of the services, busiest first. */
  endpointStats(q: ServicesRange): Promise<EndpointStats[]>;
  /**
   * Failing spans of the services grouped by service and message template (the exception type
   * joins the fingerprint when any span of the group carries one); `count` is distinct traces;
   * largest first.
   */
  errorGroups(q: ServicesRange): Promise<ErrorGroup[]>;
  /**
   * Traces through the services: failing (an error span, server spans first), slow (a successful
   * server span over minDurationMs, slowest first) or healthy (no error span, at most maxDurationMs).
   */
  exampleTraces(q: ServicesRange & { kind: ExampleKind; minDurationMs?: number; maxDurationMs?: number }): Promise<Array<Omit<ExampleTrace, 'label' | 'url'> & { detail: string }>>;
  /** Distinct users on traces with an error span in the services, and on all traces through them. */
  affectedUsers(q: ServicesRange & { userAttribute: string }): Promise<{ affected: number; total: number; sample: string[] }>;
  /** Server requests at the entry services: all, failed, slower than slowMs. */
  entryTraffic(q: TimeRange & { services: readonly string[]; slowMs: number }): Promise<{ requests: number; failed: number; slow: number }>;
  /** Log templates of the services with counts before and after the onset (`fromMs` ≤ before < onsetMs ≤ after < `toMs`). */
  logTemplates(q: ServicesRange & { onsetMs: number }): Promise<LogTemplateStats[]>;
  /** Deploys and config changes of the services in the range, oldest first. */
  changes(q: ServicesRange): Promise<ChangeEvent[]>;
}
