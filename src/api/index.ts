// The HTTP API (under /api/v1): thin routes over ports the server implements.
export { buildApi, type ApiOptions } from './app.js';
export { ApiError, apiErrorCodes, type ApiErrorCode } from './errors.js';
export type { ApiDeps, ClockPort, ChangePort, ChangeInput, IncidentPort, IncidentAction, TelemetryPort, SloPort, SloView } from './ports.js';
export { spanView, logView, changeView, iso, isoOrNull } from './views.js';
