// Vigil's typed API client, the public surface: one method per operation and typed errors.
export { VigilClient, type VigilClientOptions } from './vigil-client.js';
export { VigilApiError, VigilUnreachableError, apiErrorOf } from './errors.js';
export type {
  ChangeRecorded,
  ConfigChangeBody,
  ContextView,
  CoverageView,
  DeploymentBody,
  DeploymentView,
  HealthView,
  IngestQueueView,
  IncidentAction,
  IncidentPageView,
  IncidentSummaryView,
  IncidentView,
  ReliabilityView,
  RootCauseView,
  ServicesView,
  TraceView,
} from './views.js';
