// The API's answers as a client reads them, derived from the zod schemas the server answers with
// (api/schemas, through api/index.ts), so a changed answer changes these types and fails the build
// of every caller that reads a field it no longer has. Type-only: the client loads none of the API.
import type { z } from 'zod';
import type {
  changeBodySchema,
  changeSchema,
  coverageSchema,
  deploymentBodySchema,
  deploymentListSchema,
  healthSchema,
  incidentListSchema,
  incidentSchema,
  incidentSummarySchema,
  reliabilitySchema,
  servicesSchema,
  traceSchema,
} from '../api/index.js';
import type { CoverageReport } from '../coverage/index.js';
import type { IncidentContext } from '../model/index.js';

/** A schema's answer with some fields given the finer type of the record the server passes through as JSON (the schema leaves it open). */
type Refined<T, R> = { [K in keyof T as K extends keyof R ? never : K]: T[K] } & R;

/** GET /api/v1/incidents, one item. */
export type IncidentSummaryView = z.output<typeof incidentSummarySchema>;

/** GET /api/v1/incidents: a page, newest first. */
export type IncidentPageView = z.output<typeof incidentListSchema>;

/** GET /api/v1/incidents/ID; the context is the model's record (the schema lists its parts as open). */
export type IncidentView = Refined<z.output<typeof incidentSchema>, { context: IncidentContext | null }>;
export type RootCauseView = IncidentView['rootCauses'][number];
export type ContextView = IncidentContext;

/** GET /api/v1/health: readiness, the clock, the write path and memory, then open sections (pipeline, notifications). */
export type HealthView = z.output<typeof healthSchema>;
export type IngestQueueView = NonNullable<HealthView['ingestQueue']>;

/** POST /api/v1/deployments and /api/v1/changes: the recorded change. */
export type ChangeRecorded = z.output<typeof changeSchema>;

/** GET /api/v1/deployments: a deployment with its release verdict. */
export type DeploymentView = z.output<typeof deploymentListSchema>['deployments'][number];

/** GET /api/v1/services: the services seen in a window with their RED figures. */
export type ServicesView = z.output<typeof servicesSchema>;

/** GET /api/v1/traces/ID: one trace with all its spans. */
export type TraceView = z.output<typeof traceSchema>;

/** GET /api/v1/coverage; the per-service, route and journey records are the coverage module's (the schema leaves them open). */
export type CoverageView = Refined<z.output<typeof coverageSchema>, Pick<CoverageReport, 'services' | 'routes' | 'journeys'>>;

/** GET /api/v1/reports/reliability (JSON). */
export type ReliabilityView = z.output<typeof reliabilitySchema>;

/** POST /api/v1/deployments: what the route validates (time as ISO or epoch milliseconds; the server's clock when absent). */
export type DeploymentBody = z.input<typeof deploymentBodySchema>;
/** POST /api/v1/changes: a config, flag or infra change, with its description. */
export type ConfigChangeBody = z.input<typeof changeBodySchema>;

export type IncidentAction = 'ack' | 'acknowledge' | 'mitigate' | 'resolve';
