// The API's answers as a client reads them (JSON: ISO times, the fields clients use). The server
// shapes them in api/ (views and zod schemas); these name the fields the CLI, demo and drills read,
// and the rest stays in the JSON.

export interface IncidentSummaryView {
  id: string;
  title: string;
  status: string;
  severity: string;
  services: string[];
  detectedAt: string;
}

export interface RootCauseView {
  service: string;
  kind: string;
  score: number;
  explanation: string;
  evidence?: string[];
  nextSteps?: string[];
}

export interface ContextView {
  affectedEndpoints?: Array<{ service: string; endpoint: string; summary: string }>;
  errorGroups?: Array<{ service: string; message: string; count: number }>;
  exampleTraces?: Array<{ traceId: string; label: string }>;
  affectedUsers?: { count: number; percent: number } | null;
  runbook?: string;
}

/** GET /api/v1/incidents/ID. */
export interface IncidentView extends IncidentSummaryView {
  severityReason?: string;
  startedAt?: string;
  acknowledgedAt?: string;
  mitigatedAt?: string;
  resolvedAt?: string;
  rootCauses?: RootCauseView[];
  context?: ContextView | null;
  changes?: Array<{ service: string; kind: string; time: string; version?: string | null; description?: string }>;
  similarIncidents?: Array<{ incidentId: string; title: string; resolution?: string }>;
  runbook?: string | null;
  timeline?: Array<{ at: string; kind: string; text: string; actor?: string }>;
  [field: string]: unknown;
}

export interface IncidentPageView<T = IncidentSummaryView> {
  incidents: T[];
  nextCursor?: string;
}

/** GET /api/v1/health (the fields clients wait on; the rest stays in the JSON). */
export interface HealthView {
  status: string;
  watermarkMs?: number;
  watermark?: string;
  [field: string]: unknown;
}

/** POST /api/v1/deployments and /api/v1/changes. */
export interface ChangeBody {
  service: string;
  environment?: string;
  description?: string;
  /** ISO time; the server's clock when absent. */
  time?: string;
  attributes?: Record<string, string>;
}
export interface DeploymentBody extends ChangeBody {
  version: string;
  commit?: string;
}
export interface ConfigChangeBody extends ChangeBody {
  kind: string;
}
export interface ChangeRecorded {
  id: string;
  time: string;
  [field: string]: unknown;
}

/** GET /api/v1/deployments: a deployment with its release verdict. */
export interface DeploymentView {
  id: string;
  service?: string;
  version: string;
  time: string;
  verdict: {
    status: 'watching' | 'pass' | 'fail' | 'inconclusive';
    decidedAt?: string;
    summary: string;
    evidence: Array<{ signal: string; route?: string; summary?: string; failing?: boolean }>;
  };
  [field: string]: unknown;
}

export type IncidentAction = 'ack' | 'acknowledge' | 'mitigate' | 'resolve';
