// Incidents, the public surface: a pure engine that turns signals, changes, human actions and the
// clock into incidents with severity, lifecycle and timeline. The server drives it; nothing here does I/O.
export { IncidentEngine, engineActor } from './engine.js';
export { incidentConfigSchema, defaultIncidentConfig, resolveIncidentConfig } from './config.js';
export type { IncidentConfig, IncidentConfigInput, CriticalJourney, RunbookRule } from './config.js';
export { IncidentError, IllegalTransitionError, UnknownIncidentError } from './errors.js';
export type { IncidentErrorCode } from './errors.js';
export { canTransition } from './lifecycle.js';
export type { ManualTransition } from './lifecycle.js';
export { severityFromImpact, severityFromSignals } from './severity.js';
export type { SeverityVerdict } from './severity.js';
export { incidentTitle } from './title.js';
export { runbookFor } from './runbook.js';
export { findIncidentFor, hopsFrom } from './correlation.js';
export type { ImpactFacts, Incident, IncidentEvent, IncidentFilter, IncidentSnapshot, IncidentUpdate, Topology } from './types.js';
