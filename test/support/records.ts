// Builders of model records for tests: complete records with sensible defaults, overridable.
import type { LogRecord, MetricPoint, Span } from '../../src/model/index.js';

let counter = 0;
const hex = (n: number, len: number): string => n.toString(16).padStart(len, '0').slice(-len);

export function makeSpan(o: Partial<Span> = {}): Span {
  counter++;
  return {
    traceId: hex(counter, 32),
    spanId: hex(counter, 16),
    parentSpanId: '',
    name: 'GET /items',
    kind: 'server',
    startTimeMs: 1_764_000_000_000,
    durationMs: 12.5,
    statusCode: 'unset',
    statusMessage: '',
    scopeName: 'test',
    service: 'catalog',
    serviceVersion: '1.0.0',
    environment: 'production',
    httpMethod: 'GET',
    httpRoute: '/items',
    httpStatusCode: 200,
    dbSystem: '',
    dbNamespace: '',
    dbOperation: '',
    peerService: '',
    userId: '',
    exceptionType: '',
    exceptionMessage: '',
    exceptionStacktrace: '',
    resourceAttributes: { 'service.name': o.service ?? 'catalog' },
    attributes: {},
    events: [],
    links: [],
    ...o,
  };
}

export function makeLog(o: Partial<LogRecord> = {}): LogRecord {
  return {
    timeMs: 1_764_000_000_000,
    observedTimeMs: 1_764_000_000_000,
    service: 'catalog',
    serviceVersion: '1.0.0',
    environment: 'production',
    severityNumber: 9,
    severityText: 'INFO',
    body: 'hello world',
    traceId: '',
    spanId: '',
    scopeName: 'test',
    userId: '',
    exceptionType: '',
    exceptionMessage: '',
    exceptionStacktrace: '',
    resourceAttributes: {},
    attributes: {},
    ...o,
  };
}

export function makeMetric(o: Partial<MetricPoint> = {}): MetricPoint {
  return {
    name: 'db.client.connection.count',
    description: '',
    unit: '{connection}',
    type: 'gauge',
    temporality: 'unspecified',
    isMonotonic: false,
    service: 'payment',
    serviceVersion: '1.0.0',
    environment: 'production',
    timeMs: 1_764_000_000_000,
    startTimeMs: 0,
    attributes: {},
    resourceAttributes: {},
    value: 0,
    count: 0,
    sum: 0,
    min: Number.NaN,
    max: Number.NaN,
    bucketCounts: [],
    explicitBounds: [],
    expScale: 0,
    expZeroCount: 0,
    expPositiveOffset: 0,
    expPositiveCounts: [],
    expNegativeOffset: 0,
    expNegativeCounts: [],
    quantiles: [],
    ...o,
  };
}
