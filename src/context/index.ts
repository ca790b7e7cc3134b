// Incident context, the public surface: assemble what the on-call developer needs from bounded
// telemetry queries, derive customer impact from it, and the in-memory query implementation.
export { assembleContext, compareEndpoints, noteworthyLogs, defaultContextLimits } from './assemble.js';
export type { ContextLimits, ContextOptions } from './assemble.js';
export { impactFromContext, journeyOnEndpoint, journeysHit } from './impact.js';
export type { JourneyMatch } from './impact.js';
export { InMemoryContextQueries, isFailed } from './memory.js';
export type { ContextData } from './memory.js';
export { messageTemplate } from './logTemplate.js';
export type {
  AffectedEndpoint,
  AffectedUsers,
  ContextLogLine,
  ContextQueries,
  ContextSubject,
  EndpointStats,
  EntryTraffic,
  EntryTrafficCounts,
  EntryTrafficQuery,
  ErrorGroup,
  ExampleKind,
  ExampleTrace,
  IncidentContext,
  LogTemplateStats,
  ServicesRange,
  TimeRange,
  UsualLatency,
} from './types.js';
