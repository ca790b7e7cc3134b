// The shared vocabulary of Vigil: plain types with no behaviour and no I/O.
export type {
  Attributes,
  SpanKind,
  SpanStatusCode,
  ResourceIdentity,
  SpanEvent,
  SpanLink,
  Span,
  LogRecord,
  MetricType,
  Temporality,
  MetricPoint,
  MetricDistribution,
} from './telemetry.js';
export { emptyLogRecord, emptySpan, noDistribution } from './telemetry.js';
export { customerSpans, isSyntheticTrace, syntheticTraceMark } from './synthetic-trace.js';
export type { ChangeKind, ChangeSource, ChangeInput, ChangeEvent } from './changes.js';
export type { SignalKind, SignalStatus, SignalSubject, SignalChangeLink, Signal, ElevatedShift } from './signals.js';
export type {
  IncidentStatus,
  Severity,
  RootCauseKind,
  RootCause,
  TimelineKind,
  TimelineEntry,
  IncidentSummary,
  ImpactFacts,
  IncidentSignature,
  SimilarIncident,
  IncidentResolution,
  IncidentRecord,
  IncidentDetail,
} from './incidents.js';
export type {
  TimeRange,
  AffectedEndpoint,
  ErrorGroup,
  ExampleKind,
  ExampleTrace,
  ContextLogLine,
  AffectedUsers,
  EntryTraffic,
  IncidentContext,
} from './context.js';
export type { NodeKind, GraphNode, GraphEdge } from './graph.js';
