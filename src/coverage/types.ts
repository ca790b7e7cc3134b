// Monitoring coverage: the facts measured from stored telemetry (per service and per route), the
// optional configuration it is checked against (SLOs, synthetic checks, critical journeys), and the
// report. Types only, so the scoring stays pure and the queries stay swappable.

export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

/** What the store saw from one service in the window. */
export interface ServiceFacts {
  service: string;
  /** Server and consumer spans: the requests the service answered. */
  serverSpans: number;
  /** Spans of any kind (a service with client spans only is traced, but not as a server). */
  spans: number;
  /** Server spans of HTTP requests (with a method), and those of them carrying http.route. */
  httpServerSpans: number;
  httpServerSpansWithRoute: number;
  /** Server spans that answered 5xx. */
  http5xx: number;
  /** Server spans that answered 5xx but carry neither an error status nor an exception. */
  http5xxUnmarked: number;
  /** Spans with status error or an exception recorded. */
  errorSpans: number;
  logs: number;
  logsWithTraceId: number;
  metricPoints: number;
  /** Deploy events known up to the end of the window, by how they were learned. */
  deploysRecorded: number;
  deploysInferred: number;
}

/** What the store saw of one endpoint (server spans grouped by service, method and route). */
export interface RouteFacts {
  service: string;
  method: string;
  /** http.route, or the span name when the spans carry none. */
  route: string;
  /** False when the spans carry no http.route (grouped by span name instead). */
  hasHttpRoute: boolean;
  requests: number;
  http5xx: number;
  http5xxUnmarked: number;
  errorSpans: number;
  /** Log lines of the same service sharing a trace id with this route's requests. */
  correlatedLogs: number;
}

export interface CoverageFacts extends TimeWindow {
  services: ServiceFacts[];
  routes: RouteFacts[];
}

/**
 * A target of an SLO or a synthetic check. `route` is "METHOD /path", "/path" or absent (the
 * whole service); `service` absent matches any service (a journey named by route alone).
 */
export interface CoverageTarget {
  service?: string;
  route?: string;
  /** A target named like a critical journey covers that journey even when it saw no traffic. */
  name?: string;
}

/**
 * A critical journey in the shape of `incidents.criticalJourneys`, matched to endpoints the way
 * the incident engine matches it (src/context/impact.ts), so both agree on what the journey is.
 */
export interface JourneyTarget {
  name: string;
  service?: string;
  /** Contained in the endpoint label ("POST /checkout"); absent: the name is matched instead. */
  route?: string;
}

export interface CoverageOptions {
  slos?: readonly CoverageTarget[];
  syntheticChecks?: readonly CoverageTarget[];
  criticalJourneys?: readonly JourneyTarget[];
  /** Share of logs carrying a trace id at which correlation counts as complete (default 0.9). */
  correlationTarget?: number;
}

export type Check = 'yes' | 'partial' | 'no' | 'unknown';

export interface ServiceCoverage {
  service: string;
  traces: Check;
  /** Do HTTP server spans carry http.route ('unknown': no HTTP server traffic)? */
  httpRoute: Check;
  /** Share of HTTP server spans carrying http.route (0-1), null without any. */
  httpRouteShare: number | null;
  logs: Check;
  /** Share of log lines carrying a trace id (0-1), null without logs. */
  logCorrelation: number | null;
  correlated: Check;
  metrics: Check;
  errorsInstrumented: Check;
  deploys: Check;
  slo: Check;
  synthetic: Check;
  score: number;
  facts: ServiceFacts;
}

export interface RouteCoverage {
  service: string;
  endpoint: string;
  requests: number;
  httpRoute: Check;
  correlatedLogs: Check;
  errorsInstrumented: Check;
  slo: Check;
  synthetic: Check;
  critical: boolean;
  score: number;
}

export interface JourneyCoverage {
  journey: string;
  /** Endpoints the name matched ("frontend POST /checkout"). */
  endpoints: string[];
  traffic: Check;
  slo: Check;
  synthetic: Check;
  score: number;
}

export interface CoverageGap {
  service: string;
  /** Which check failed: traces, route, logs, correlation, metrics, errors, deploys, slo, synthetic, journey. */
  check: string;
  /** Score points the gap costs its service (or journey). */
  weight: number;
  text: string;
}

export interface CoverageReport extends TimeWindow {
  score: number;
  services: ServiceCoverage[];
  routes: RouteCoverage[];
  journeys: JourneyCoverage[];
  gaps: CoverageGap[];
}
