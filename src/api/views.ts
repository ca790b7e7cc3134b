// How records look in API responses: ISO-8601 UTC times (plus exact microsecond numbers where
// precision matters), nested http/db sections, empty semantic fields left out. The types are the
// answer schemas' (schemas/), so the documented shape and the answer have one definition.
import type { ChangeEvent, LogRecord, Span } from '../model/index.js';
import type { ChangeView } from './schemas/changes.js';
import type { LogView, SpanView } from './schemas/telemetry.js';

export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | undefined | null): string | null => (ms === undefined || ms === null ? null : iso(ms));

export function spanView(s: Span): SpanView {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId || null,
    name: s.name,
    kind: s.kind,
    service: s.service,
    serviceVersion: s.serviceVersion,
    environment: s.environment,
    startTime: iso(s.startTimeMs),
    startTimeUnixMicros: Math.round(s.startTimeMs * 1000),
    durationMs: s.durationMs,
    status: { code: s.statusCode, message: s.statusMessage },
    http: s.httpMethod || s.httpRoute || s.httpStatusCode ? { method: s.httpMethod, route: s.httpRoute, statusCode: s.httpStatusCode || null } : null,
    db: s.dbSystem || s.dbNamespace ? { system: s.dbSystem, namespace: s.dbNamespace, operation: s.dbOperation } : null,
    peerService: s.peerService || null,
    ...userExceptionAndAttributes(s),
    events: s.events.map((e) => ({ time: iso(e.timeMs), name: e.name, attributes: e.attributes })),
    links: s.links,
  };
}

export function logView(l: LogRecord): LogView {
  return {
    time: iso(l.timeMs),
    timeUnixMicros: Math.round(l.timeMs * 1000),
    observedTime: iso(l.observedTimeMs),
    service: l.service,
    serviceVersion: l.serviceVersion,
    environment: l.environment,
    severityNumber: l.severityNumber,
    severityText: l.severityText,
    body: l.body,
    traceId: l.traceId || null,
    spanId: l.spanId || null,
    ...userExceptionAndAttributes(l),
  };
}

/** The fields spans and logs share, shown alike (and in this order in both answers). */
function userExceptionAndAttributes(r: Span | LogRecord): Pick<SpanView & LogView, 'userId' | 'exception' | 'scope' | 'resourceAttributes' | 'attributes'> {
  return {
    userId: r.userId || null,
    exception: r.exceptionType || r.exceptionMessage ? { type: r.exceptionType, message: r.exceptionMessage, stacktrace: r.exceptionStacktrace } : null,
    scope: r.scopeName,
    resourceAttributes: r.resourceAttributes,
    attributes: r.attributes,
  };
}

export function changeView(c: ChangeEvent): ChangeView {
  return {
    id: c.id,
    service: c.service,
    kind: c.kind,
    time: iso(c.timeMs),
    version: c.version || null,
    previousVersion: c.previousVersion || null,
    environment: c.environment || null,
    commit: c.commit || null,
    description: c.description,
    source: c.source,
    attributes: c.attributes,
  };
}
