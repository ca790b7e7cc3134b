// Builders of model records for tests: complete records with sensible defaults, overridable (the
// field lists come from src/model/testing, these add the defaults a black-box test wants).
import type { LogRecord, MetricPoint, Span } from '../../src/model/index.js';
import { blankLog, blankMetric, blankSpan } from '../../src/model/testing/records.js';

let counter = 0;
const hex = (n: number, len: number): string => n.toString(16).padStart(len, '0').slice(-len);

export function makeSpan(o: Partial<Span> = {}): Span {
  counter++;
  return blankSpan({
    traceId: hex(counter, 32),
    spanId: hex(counter, 16),
    name: 'GET /items',
    startTimeMs: 1_764_000_000_000,
    durationMs: 12.5,
    scopeName: 'test',
    service: 'catalog',
    serviceVersion: '1.0.0',
    environment: 'production',
    httpMethod: 'GET',
    httpRoute: '/items',
    httpStatusCode: 200,
    resourceAttributes: { 'service.name': o.service ?? 'catalog' },
    ...o,
  });
}

export function makeLog(o: Partial<LogRecord> = {}): LogRecord {
  return blankLog({
    timeMs: 1_764_000_000_000,
    observedTimeMs: 1_764_000_000_000,
    service: 'catalog',
    serviceVersion: '1.0.0',
    environment: 'production',
    severityNumber: 9,
    severityText: 'INFO',
    body: 'hello world',
    scopeName: 'test',
    ...o,
  });
}

export function makeMetric(o: Partial<MetricPoint> = {}): MetricPoint {
  return blankMetric({
    name: 'db.client.connection.count',
    unit: '{connection}',
    service: 'payment',
    serviceVersion: '1.0.0',
    environment: 'production',
    timeMs: 1_764_000_000_000,
    ...o,
  });
}
