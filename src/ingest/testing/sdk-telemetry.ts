// Telemetry produced by the real OpenTelemetry JS SDK for the ingest tests: a small trace with
// HTTP, DB and exception conventions, log records with bodies, severities and trace links, and
// every metric type the SDK emits (counter, gauge, histogram, exponential histogram).
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type LogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationType, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

export const T0 = 1_764_000_000; // seconds: a fixed, recent epoch for reproducible times

export const resource = resourceFromAttributes({
  'service.name': 'checkout',
  'service.version': '2.3.1',
  'deployment.environment': 'staging',
  'host.name': 'h1',
});

/** Writes the fixture spans through `processor`'s tracer (used with in-memory and OTLP exporters). */
export function emitSpans(provider: BasicTracerProvider): void {
  const tracer = provider.getTracer('shop-scope', '1.0.0');
  const root = tracer.startSpan('POST /api/pay', {
    kind: SpanKind.SERVER,
    startTime: [T0, 123_456_789],
    attributes: {
      'http.request.method': 'POST',
      'http.route': '/api/pay',
      'http.response.status_code': 502,
      'enduser.id': 'u-42',
      tags: ['a', 'b'],
      'retry.count': 3,
      ratio: 0.25,
      cached: false,
    },
  });
  const ctx = trace.setSpan(context.active(), root);
  const db = tracer.startSpan(
    'SELECT orders',
    {
      kind: SpanKind.CLIENT,
      startTime: [T0, 200_000_000],
      attributes: { 'db.system': 'postgresql', 'db.name': 'shop', 'db.operation': 'SELECT', 'server.address': 'db.internal' },
    },
    ctx,
  );
  db.end([T0, 250_000_001]);
  const pay = tracer.startSpan(
    'charge',
    {
      kind: SpanKind.CLIENT,
      startTime: [T0, 300_000_000],
      attributes: { 'peer.service': 'payments', 'http.method': 'GET', 'http.status_code': 503 },
      links: [{ context: db.spanContext(), attributes: { why: 'retry-of' } }],
    },
    ctx,
  );
  pay.recordException({ name: 'TimeoutError', message: 'payments timed out', stack: 'TimeoutError: payments timed out\n    at charge (pay.js:10:5)' }, [
    T0,
    900_000_000,
  ]);
  pay.addEvent('second', { n: 2 }, [T0, 950_000_000]);
  pay.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream timeout' });
  pay.end([T0 + 1, 0]);
  root.setStatus({ code: SpanStatusCode.OK });
  root.end([T0 + 1, 100_000_000]);
}

export function tracerProvider(processor: SpanProcessor): BasicTracerProvider {
  return new BasicTracerProvider({ resource, spanProcessors: [processor] });
}

export function sdkSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = tracerProvider(new SimpleSpanProcessor(exporter));
  emitSpans(provider);
  const finished = exporter.getFinishedSpans();
  void provider.shutdown();
  return finished;
}

export const LINKED_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
export const LINKED_SPAN = '00f067aa0ba902b7';

export function emitLogs(provider: LoggerProvider): void {
  const logger = provider.getLogger('shop-logs', '1.0.0');
  const linked = trace.setSpanContext(context.active(), { traceId: LINKED_TRACE, spanId: LINKED_SPAN, traceFlags: 1 });
  logger.emit({
    timestamp: [T0, 5_000_001],
    observedTimestamp: [T0, 6_000_000],
    severityNumber: 17,
    severityText: 'ERROR',
    body: 'payment 17 failed',
    attributes: {
      'exception.type': 'TimeoutError',
      'exception.message': 'payments timed out',
      'exception.stacktrace': 'at charge (pay.js:10:5)',
      'enduser.id': 'u-7',
      attempt: 2,
    },
    context: linked,
  });
  logger.emit({ timestamp: [T0, 7_000_000], severityNumber: 9, severityText: 'INFO', body: { order: 17, items: ['a', 'b'], ok: true } });
}

export function loggerProvider(processor: LogRecordProcessor): LoggerProvider {
  return new LoggerProvider({ resource, processors: [processor] });
}

export function sdkLogs(): ReadableLogRecord[] {
  const exporter = new InMemoryLogRecordExporter();
  const provider = loggerProvider(new SimpleLogRecordProcessor({ exporter }));
  emitLogs(provider);
  const finished = exporter.getFinishedLogRecords();
  void provider.shutdown();
  return finished;
}

export const metricViews = [{ instrumentName: 'payment.latency.exp', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }] as const;

/** Records one value or more into each metric type. */
export function recordMetrics(provider: MeterProvider): void {
  const meter = provider.getMeter('shop-metrics', '1.0.0');
  meter.createCounter('orders.placed', { description: 'orders', unit: '{order}' }).add(5, { region: 'eu' });
  meter.createUpDownCounter('queue.depth').add(-3);
  meter.createGauge('pool.used', { unit: '1' }).record(7.5, { pool: 'payments' });
  const h = meter.createHistogram('payment.latency', { unit: 'ms', advice: { explicitBucketBoundaries: [10, 100, 1000] } });
  for (const v of [5, 50, 60, 500, 5000]) h.record(v, { route: '/api/pay' });
  const e = meter.createHistogram('payment.latency.exp', { unit: 'ms' });
  for (const v of [1, 2, 4, 8, 1000]) e.record(v);
}

class CollectingReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export async function sdkMetrics(): Promise<ResourceMetrics> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ resource, readers: [reader], views: [...metricViews] });
  recordMetrics(provider);
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}
