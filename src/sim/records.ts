// Builders for model records (Span, LogRecord, MetricPoint) with every field filled, so the
// simulator's output looks exactly like decoded OTLP. Resources are shared per service version.

import {
  noDistribution,
  type Attributes,
  type LogRecord,
  type MetricPoint,
  type MetricType,
  type Span,
  type SpanKind,
  type Temporality,
} from '../model/index.js';

export interface ServiceResource {
  service: string;
  serviceVersion: string;
  environment: string;
  resourceAttributes: Attributes;
}

export function serviceResource(service: string, version: string, environment: string, instance: string): ServiceResource {
  return {
    service,
    serviceVersion: version,
    environment,
    resourceAttributes: {
      'service.name': service,
      'service.version': version,
      'service.namespace': 'shop',
      'service.instance.id': instance,
      'deployment.environment.name': environment,
      'host.name': `${service}-${instance.slice(0, 5)}`,
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.name': 'opentelemetry',
    },
  };
}

export interface SpanError {
  type: string;
  message: string;
  stacktrace: string;
}

/** An exception as OpenTelemetry's semantic attributes (on a span's exception event, on a log). */
function exceptionAttributes(ex: SpanError): Attributes {
  return { 'exception.type': ex.type, 'exception.message': ex.message, 'exception.stacktrace': ex.stacktrace };
}

export interface SpanInit {
  resource: ServiceResource;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: SpanKind;
  startTimeMs: number;
  durationMs: number;
  scopeName: string;
  attributes: Attributes;
  userId: string;
  failed: boolean;
  statusMessage?: string;
  /** Recorded as an exception event (only where the error is thrown, not where it propagates). */
  exception?: SpanError;
  httpMethod?: string;
  httpRoute?: string;
  httpStatusCode?: number;
  dbSystem?: string;
  dbNamespace?: string;
  dbOperation?: string;
  peerService?: string;
}

export function buildSpan(init: SpanInit): Span {
  const ex = init.exception;
  return {
    service: init.resource.service,
    serviceVersion: init.resource.serviceVersion,
    environment: init.resource.environment,
    traceId: init.traceId,
    spanId: init.spanId,
    parentSpanId: init.parentSpanId,
    name: init.name,
    kind: init.kind,
    startTimeMs: init.startTimeMs,
    durationMs: init.durationMs,
    statusCode: init.failed ? 'error' : 'unset',
    statusMessage: init.failed ? (init.statusMessage ?? ex?.message ?? '') : '',
    scopeName: init.scopeName,
    httpMethod: init.httpMethod ?? '',
    httpRoute: init.httpRoute ?? '',
    httpStatusCode: init.httpStatusCode ?? 0,
    dbSystem: init.dbSystem ?? '',
    dbNamespace: init.dbNamespace ?? '',
    dbOperation: init.dbOperation ?? '',
    peerService: init.peerService ?? '',
    // As after OTLP decoding: only spans that carry enduser.id (server spans) name the user.
    userId: init.attributes['enduser.id'] ?? '',
    exceptionType: ex?.type ?? '',
    exceptionMessage: ex?.message ?? '',
    exceptionStacktrace: ex?.stacktrace ?? '',
    resourceAttributes: init.resource.resourceAttributes,
    attributes: init.attributes,
    events: ex
      ? [
          {
            timeMs: init.startTimeMs + init.durationMs,
            name: 'exception',
            attributes: exceptionAttributes(ex),
          },
        ]
      : [],
    links: [],
  };
}

export const SEVERITY = {
  DEBUG: 5,
  INFO: 9,
  WARN: 13,
  ERROR: 17,
  FATAL: 21,
} as const;
export type SeverityName = keyof typeof SEVERITY;

export interface LogInit {
  resource: ServiceResource;
  timeMs: number;
  severity: SeverityName;
  body: string;
  traceId: string;
  spanId: string;
  userId: string;
  scopeName: string;
  attributes: Attributes;
  exception?: SpanError;
}

export function buildLog(init: LogInit): LogRecord {
  const ex = init.exception;
  const attributes: Attributes = ex ? { ...init.attributes, ...exceptionAttributes(ex) } : init.attributes;
  if (init.userId) attributes['enduser.id'] = init.userId;
  return {
    service: init.resource.service,
    serviceVersion: init.resource.serviceVersion,
    environment: init.resource.environment,
    timeMs: init.timeMs,
    observedTimeMs: init.timeMs,
    severityNumber: SEVERITY[init.severity],
    severityText: init.severity,
    body: init.body,
    traceId: init.traceId,
    spanId: init.spanId,
    scopeName: init.scopeName,
    userId: init.userId,
    exceptionType: ex?.type ?? '',
    exceptionMessage: ex?.message ?? '',
    exceptionStacktrace: ex?.stacktrace ?? '',
    resourceAttributes: init.resource.resourceAttributes,
    attributes,
  };
}

export interface MetricInit {
  resource: ServiceResource;
  name: string;
  description: string;
  unit: string;
  type: MetricType;
  temporality?: Temporality;
  isMonotonic?: boolean;
  timeMs: number;
  startTimeMs: number;
  attributes?: Attributes;
  value?: number;
  histogram?: { count: number; sum: number; min: number; max: number; bucketCounts: number[]; explicitBounds: number[] };
}

export function buildMetric(init: MetricInit): MetricPoint {
  const h = init.histogram;
  return {
    service: init.resource.service,
    serviceVersion: init.resource.serviceVersion,
    environment: init.resource.environment,
    name: init.name,
    description: init.description,
    unit: init.unit,
    type: init.type,
    temporality: init.temporality ?? 'unspecified',
    isMonotonic: init.isMonotonic ?? false,
    timeMs: init.timeMs,
    startTimeMs: init.startTimeMs,
    attributes: init.attributes ?? {},
    resourceAttributes: init.resource.resourceAttributes,
    value: init.value ?? 0,
    ...noDistribution(),
    ...h,
  };
}
