// What the API needs from the rest of Vigil. The server implements these ports; the API stays a
// thin edge that validates input, calls them and shapes output.
import type { AuditEntry, AuditQuery, AuditRecord } from '../audit/index.js';
import type { KeyRing, Scope } from '../auth/index.js';
import type { CoverageOptions } from '../coverage/index.js';
import type { FollowUpPort } from './follow-up-port.js';
import type { ConfidencePort, RulePort, SilencePort, StatusPort } from './assurance-ports.js';
import type { ChangeEvent, ChangeInput, GraphEdge, GraphNode, IncidentDetail, IncidentRecord, IncidentStatus } from '../model/index.js';
import type { SloDefinition, SloStatus } from '../slo/index.js';
import type { CanaryJudgement, DeploymentRecord, RemediationRun, RemediationSuggestion } from '../release/index.js';
import type { Page, StoreClient, WriterStats } from '../store/index.js';
import type { MemoryStatus } from '../self-metrics/index.js';
import type { CheckSummary } from '../synthetics/index.js';

export interface ClockPort {
  mode: 'wall' | 'event';
  /** The engine's current time: the wall clock, or the event-time watermark. */
  now(): number;
  /** Event time up to which every accepted OTLP request has been processed. */
  watermarkMs(): number;
}

export type { ChangeInput };

export interface ChangePort {
  /** Stores the change and tells the engines about it. */
  record(input: ChangeInput): Promise<ChangeEvent>;
}

export type IncidentAction = 'acknowledged' | 'mitigated' | 'resolved';

/** One incident as stored with its timeline and attached sections (shown after the incident's own fields). */
export type { IncidentDetail };

/**
 * Incidents as stored (implemented by pipeline/ IncidentService): typed records the routes shape
 * with incident-views.ts. Actions throw the incident engine's coded errors (errors.ts maps them).
 */
export interface IncidentPort {
  /** Newest first; a cursor this API did not return is a store InvalidCursorError. */
  list(q: { openOnly: boolean; limit: number; cursor?: string }): Promise<{ incidents: IncidentRecord[]; nextCursor?: string }>;
  get(id: string): Promise<IncidentDetail | undefined>;
  /** Applied and stored before it resolves. */
  transition(id: string, to: IncidentAction, actor: string, note?: string): Promise<void>;
  note(id: string, actor: string, text: string): Promise<void>;
}

export interface TelemetryPort {
  /**
   * Resolves once every OTLP request acknowledged so far is queryable. Ingest acknowledges on the
   * write-ahead-log append, before the insert, so reads of telemetry wait on this first.
   */
  visible(): Promise<void>;
}

export interface AuditPort {
  record(entry: AuditRecord): Promise<unknown>;
  list(q: AuditQuery): Promise<Page<AuditEntry>>;
}

/** Vigil's own metrics: the API reports its latencies and serves the exposition. */
export interface SelfMetricsPort {
  apiAnswered(method: string, route: string, status: number, seconds: number): void;
  render(): Promise<{ contentType: string; body: string }>;
}

/** Synthetic checks as the API shows them (implemented by synthetics/ SyntheticMonitor). */
export interface ChecksPort {
  list(): CheckSummary[];
  has(name: string): boolean;
  runs(
    name: string,
    fromMs: number,
    toMs: number,
    limit: number,
  ): Promise<Array<{ atMs: number; ok: boolean; durationMs: number; error: string; traceId: string; steps: unknown[]; details: Record<string, unknown> }>>;
  ping(name: string): boolean;
}

/** An SLO as the API shows it: its state now, where it is defined and its version. */
export type SloView = SloStatus & { source: 'config' | 'api'; version: number };

/** SLOs from vigil.yaml and the API (implemented by pipeline/ SloService). */
export interface SloPort {
  list(): SloView[];
  /** Creates (replace false) or replaces (replace true) an SLO made through the API; stored before it answers. */
  create(definition: SloDefinition, replace: boolean): Promise<SloView>;
  remove(name: string): Promise<void>;
}

/** Who a UI session cookie stands for (implemented by ui-server/ SessionStore). */
export interface SessionPort {
  identify(cookieHeader: string | undefined): { id: string; name: string; scopes: Set<Scope> } | null;
  /** Resolves once the session is stored (it then survives a restart). */
  create(key: string): Promise<{ sessionId: string; identity: { id: string; name: string; scopes: Set<Scope> } } | null>;
  destroy(cookieHeader: string | undefined): Promise<void>;
}

/** The live dependency graph, read-only (the pipeline's rca/ DependencyGraph implements it). */
export interface ServiceMapPort {
  nodes(): GraphNode[];
  edges(fromMs: number, toMs: number): GraphEdge[];
  serviceStats(service: string, fromMs: number, toMs: number): { requests: number; errors: number; errorRate: number; p95Ms: number };
  isEntry(service: string): boolean;
}

/** Release validation (implemented by pipeline/ ReleaseService): verdicts, the canary judge, remediation. */
export interface ReleasePort {
  /** The verdict record of a deployment, while release validation remembers it. */
  record(deploymentId: string): DeploymentRecord | undefined;
  report(record: DeploymentRecord, format: 'md' | 'html'): string | Promise<string>;
  judge(q: { service: string; baselineVersion: string; canaryVersion: string; fromMs: number; toMs: number; route?: string }): Promise<CanaryJudgement>;
  /** Actions configured for the incident's services and the runs so far. */
  remediations(incidentId: string): Promise<{ actions: Array<Record<string, unknown>>; runs: RemediationRun[] }>;
  /** The same for an incident at hand, for its GET view (actions with the id to run on approval). */
  remediationsFor?(incident: IncidentRecord): { actions: RemediationSuggestion[]; runs: RemediationRun[] };
  runRemediation(incidentId: string, action: string, actor: string): Promise<RemediationRun>;
  /** Set by the confidence indicator when present: a deployment's production confidence. */
  confidenceOf?: (record: DeploymentRecord) => unknown;
}

export interface HealthStatus extends Record<string, unknown> {
  reasons?: string[];
  ingestQueue?: WriterStats;
  memory?: MemoryStatus;
}

export interface ApiDeps {
  store: StoreClient;
  /** Read-your-writes for telemetry reads; without it reads query the store directly. */
  telemetry?: TelemetryPort;
  keys: KeyRing;
  /** Where key management, incident actions and recorded changes are written down. */
  audit: AuditPort;
  clock: ClockPort;
  changes: ChangePort;
  incidents: IncidentPort;
  /** What the coverage report checks telemetry against (critical journeys, SLOs, synthetic checks). */
  coverageOptions?: CoverageOptions;
  selfMetrics?: SelfMetricsPort;
  /** Present when synthetic checks are configured. */
  checks?: ChecksPort;
  slos?: SloPort;
  /** Present when release validation runs (it always does in a started Vigil). */
  release?: ReleasePort;
  /** Silences, production confidence, the public status page and stakeholder updates. */
  silences?: SilencePort;
  rules?: RulePort;
  confidence?: ConfidencePort;
  statusPage?: StatusPort;
  /** Post-incident reviews, action items, reliability reports and support tickets. */
  followUp?: FollowUpPort;
  /** UI sessions (src/ui-server): present, the API also accepts the UI's session cookie and serves the UI. */
  sessions?: SessionPort;
  /** The live dependency graph for GET /api/v1/service-map. */
  serviceMap?: ServiceMapPort;
  /** Extra status for /health (queue load, memory …) and the reasons it is degraded, if any. */
  status?: () => HealthStatus | Promise<HealthStatus>;
}

export type { IncidentStatus };
