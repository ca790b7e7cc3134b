// The queries incident context is assembled from (the port the store's ClickHouse adapter and
// InMemoryContextQueries implement) and what assembly needs of an incident. The context itself is
// data in the shared vocabulary (src/model/context.ts), re-exported here for context's callers.
import type {
  AffectedEndpoint,
  ChangeEvent,
  ContextLogLine,
  AffectedUsers,
  EntryTraffic,
  ErrorGroup,
  ExampleKind,
  ExampleTrace,
  IncidentContext,
  TimeRange,
} from '../model/index.js';

export type { AffectedEndpoint, ContextLogLine, AffectedUsers, EntryTraffic, ErrorGroup, ExampleKind, ExampleTrace, IncidentContext, TimeRange };

/** Request statistics of one endpoint (service + method + route) over a range: server spans only. */
export interface EndpointStats {
  service: string;
  method: string;
  route: string;
  requests: number;
  errors: number;
  p95Ms: number;
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

/** An entry endpoint's usual latency: its p95 over the window before the onset. */
export interface UsualLatency {
  service: string;
  method: string;
  route: string;
  p95Ms: number;
}

export interface EntryTrafficQuery extends TimeRange {
  services: readonly string[];
  /** Slow threshold for an endpoint without a usual latency (new, or too little traffic before the onset). */
  slowMs: number;
  /** Each endpoint's usual latency: its successful requests are slow beyond twice it (not `slowMs`). */
  usual: readonly UsualLatency[];
  /** Successful requests an endpoint needs after the onset before it can be judged slowed. */
  minRequests: number;
  /** Slowed endpoints named, busiest first. */
  limit: number;
}

/** Entry requests after the onset, and the endpoints whose typical request now exceeds their usual p95. */
export interface EntryTrafficCounts {
  requests: number;
  failed: number;
  /** Successful requests beyond twice their endpoint's usual p95 (`slowMs` where none is known). */
  slow: number;
  /**
   * Requests of slowed endpoints: those with a usual latency where at least half of the successful
   * requests (at least `minRequests`) took longer than the usual p95, i.e. the median moved past it.
   */
  slowed: number;
  /** Their labels ("GET /cart"), busiest first, at most `limit`. */
  slowedEndpoints: string[];
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
  exampleTraces(
    q: ServicesRange & { kind: ExampleKind; minDurationMs?: number; maxDurationMs?: number },
  ): Promise<Array<Omit<ExampleTrace, 'label' | 'url'> & { detail: string }>>;
  /** Distinct users on traces with an error span in the services, and on all traces through them. */
  affectedUsers(q: ServicesRange & { userAttribute: string }): Promise<{ affected: number; total: number; sample: string[] }>;
  /** Server requests at the entry services: all, failed, slow against their own endpoint's usual latency, and slowed endpoints. */
  entryTraffic(q: EntryTrafficQuery): Promise<EntryTrafficCounts>;
  /** Log templates of the services with counts before and after the onset (`fromMs` ≤ before < onsetMs ≤ after < `toMs`). */
  logTemplates(q: ServicesRange & { onsetMs: number }): Promise<LogTemplateStats[]>;
  /** Deploys and config changes of the services in the range, oldest first. */
  changes(q: ServicesRange): Promise<ChangeEvent[]>;
}
