// OpenTelemetry semantic conventions lifted into Vigil's first-class fields: resource identity,
// HTTP and DB attributes, the peer of client spans, the user, and exceptions. Current names win
// over their older aliases; every attribute also stays in the record's attribute map.
import type { Attributes, LogRecord, ResourceIdentity, Span, SpanEvent } from '../model/index.js';

export interface ConventionOptions {
  /** Attribute holding the end user's id (default enduser.id). */
  userAttribute: string;
}

export const defaultConventions: Readonly<ConventionOptions> = Object.freeze({ userAttribute: 'enduser.id' });

function first(attrs: Attributes, a: string, b: string): string {
  const v = attrs[a];
  return v !== undefined && v !== '' ? v : (attrs[b] ?? '');
}

export function resourceIdentity(attrs: Attributes): ResourceIdentity {
  return {
    service: attrs['service.name'] || 'unknown_service',
    serviceVersion: attrs['service.version'] ?? '',
    environment: first(attrs, 'deployment.environment.name', 'deployment.environment'),
  };
}

function statusCodeNumber(text: string): number {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 && n <= 65_535 ? n : 0; // the store's column is UInt16
}

/** Fills a span's convention fields from its attributes and events. */
export function liftSpanConventions(span: Span, options: ConventionOptions): void {
  const a = span.attributes;
  span.httpMethod = first(a, 'http.request.method', 'http.method');
  span.httpRoute = a['http.route'] ?? '';
  span.httpStatusCode = statusCodeNumber(first(a, 'http.response.status_code', 'http.status_code'));
  span.dbSystem = first(a, 'db.system.name', 'db.system');
  span.dbNamespace = first(a, 'db.namespace', 'db.name');
  span.dbOperation = first(a, 'db.operation.name', 'db.operation');
  if (span.kind === 'client' || span.kind === 'producer') {
    span.peerService = first(a, 'service.peer.name', 'peer.service') || span.dbNamespace || (a['server.address'] ?? '');
  } else span.peerService = first(a, 'service.peer.name', 'peer.service');
  span.userId = a[options.userAttribute] ?? '';
  const exception = firstException(span.events);
  if (exception) {
    span.exceptionType = exception.attributes['exception.type'] ?? '';
    span.exceptionMessage = exception.attributes['exception.message'] ?? '';
    span.exceptionStacktrace = exception.attributes['exception.stacktrace'] ?? '';
  }
}

function firstException(events: SpanEvent[]): SpanEvent | undefined {
  for (const e of events) if (e.name === 'exception') return e;
  return undefined;
}

/** Fills a log record's user and exception fields from its attributes. */
export function liftLogConventions(log: LogRecord, options: ConventionOptions): void {
  const a = log.attributes;
  log.userId = a[options.userAttribute] ?? '';
  log.exceptionType = a['exception.type'] ?? '';
  log.exceptionMessage = a['exception.message'] ?? '';
  log.exceptionStacktrace = a['exception.stacktrace'] ?? '';
}
