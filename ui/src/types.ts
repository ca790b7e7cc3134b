// The API's shapes as the pages read them (see ../shared/VISION.md "API contract"); fields the
// server may leave out are optional, so a page shows what exists.
export interface IncidentSummary {
  id: string;
  title: string;
  status: string;
  severity: string;
  severityReason?: string;
  services: string[];
  startedAt: string;
  detectedAt: string;
  resolvedAt?: string | null;
  topRootCause?: { service: string; kind: string; score: number };
}

export interface RootCause {
  service: string;
  kind: string;
  score: number;
  explanation: string;
  evidence: string[];
  nextSteps?: string[];
}

export interface ChangeView {
  id: string;
  service: string;
  kind: string;
  time?: string;
  timeMs?: number;
  version?: string | null;
  previousVersion?: string | null;
  description?: string;
  commit?: string | null;
  /** Release validation's verdict, when the deployment has one. */
  verdict?: { status: string; summary?: string; decidedAt?: string };
}

export interface IncidentDetail extends IncidentSummary {
  rootCauses: RootCause[];
  impact?: {
    entryRequests: number;
    entryFailed: number;
    entrySlow: number;
    affectedUsers: number;
    totalUsers: number;
    durationMs: number;
    journeysHit?: string[];
  };
  timeline: Array<{ at: string; kind: string; text: string; data?: { traceId?: string } & Record<string, unknown> }>;
  similarIncidents?: Array<{ id: string; title?: string; score?: number; similarity?: number; resolution?: string; fixedBy?: string }>;
  changes?: ChangeView[];
  runbook?: string | null;
  context?: {
    onsetMs: number;
    affectedEndpoints: Array<{
      service: string;
      endpoint: string;
      summary: string;
      before: { requests: number; errorRate: number; p95Ms: number };
      after: { requests: number; errorRate: number; p95Ms: number };
    }>;
    errorGroups: Array<{
      service: string;
      fingerprint: string;
      message: string;
      count: number;
      sampleTraceId: string;
      firstSeenVersion: string;
      exceptionType: string;
    }>;
    exampleTraces: Array<{ traceId: string; kind: string; service: string; endpoint: string; durationMs: number; startTimeMs: number; label: string }>;
    logs: Array<{
      timeMs: number;
      service: string;
      severityText: string;
      body: string;
      traceId: string;
      template: string;
      reason: string;
      before: number;
      after: number;
    }>;
    changes: ChangeView[];
    affectedUsers?: { count: number; total: number; percent: number };
  } | null;
}

export interface SpanView {
  traceId: string;
  spanId: string;
  parentSpanId?: string | null;
  name: string;
  service: string;
  kind?: string;
  startTime: string;
  durationMs: number;
  status: { code: string; message?: string };
  attributes?: Record<string, unknown>;
  events?: Array<{ name: string; time?: string; attributes?: Record<string, unknown> }>;
  serviceVersion?: string;
  http?: { method?: string; route?: string; statusCode?: number | null } | null;
  exception?: { type?: string; message?: string; stacktrace?: string } | null;
}

export interface LogView {
  time: string;
  service: string;
  severityText?: string;
  severityNumber?: number;
  body: string;
  traceId?: string | null;
  spanId?: string | null;
  attributes?: Record<string, unknown>;
}

export interface RedPoint {
  time: string;
  timeMs: number;
  requests: number;
  errors: number;
  errorRate: number;
  p95: number | null;
}

/** GET /api/v1/logs/patterns: templates of the matching lines and the services' error groups. */
export interface PatternsBody {
  from: string;
  to: string;
  baselineFrom: string;
  totalPatterns: number;
  totalLines: number;
  patterns: Array<{
    service: string;
    template: string;
    count: number;
    baselineCount: number;
    new: boolean;
    firstSeen: string;
    lastSeen: string;
    maxSeverity: number;
    sample: { time: string; severityText: string; body: string; traceId: string | null };
  }>;
  errorGroups: Array<{
    service: string;
    fingerprint: string;
    exceptionType: string | null;
    message: string;
    count: number;
    sampleTraceId: string | null;
    firstSeenVersion: string | null;
    firstSeen: string;
  }>;
}
