// The HTTP API (under /api/v1): thin routes over ports the server implements.
export { buildApi, type ApiOptions } from './app.js';
export { ApiError, apiErrorCodes, type ApiErrorCode } from './errors.js';
export type {
  ApiDeps,
  ClockPort,
  ChangePort,
  ChangeInput,
  IncidentPort,
  IncidentDetail,
  IncidentAction,
  TelemetryPort,
  SloPort,
  SloView,
  ReleasePort,
  SessionPort,
  ServiceMapPort,
} from './ports.js';
export { access, originMatchesHost } from './access.js';
export { audited } from './audit-hook.js';
export { spanView, logView, changeView, iso, isoOrNull } from './views.js';
export { incidentView, incidentSummaryView, timelineEntryView } from './incident-views.js';
export type { SilencePort, SilenceView, ConfidencePort, StatusPort, StakeholderUpdateView, RulePort, RuleView } from './assurance-ports.js';
export type { FollowUpPort } from './follow-up-port.js';
// The answer schemas the typed client (src/client) derives its types from, so they cannot drift.
export { healthSchema } from './schemas/server.js';
export { incidentListSchema, incidentSchema, incidentSummarySchema } from './schemas/incidents.js';
export { changeSchema, deploymentListSchema } from './schemas/changes.js';
export { changeBodySchema, deploymentBodySchema } from './schemas/change-bodies.js';
export { coverageSchema, servicesSchema, traceSchema } from './schemas/telemetry.js';
export { reliabilitySchema } from './schemas/follow-up.js';
