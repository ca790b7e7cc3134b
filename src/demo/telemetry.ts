// The demo shop's OpenTelemetry setup: one real SDK pipeline per process (NodeTracerProvider +
// instrumentation-http + OTLP/proto exporters), with each span stamped with the resource of the
// shop service that made it, so seven services can share one process and one core. Logs and
// metrics get one provider per service, rebuilt on each deploy to carry the new service.version.

import { createRequire } from 'node:module';
import type { IncomingMessage } from 'node:http';
import type { RequestOptions } from 'node:http';
import type { createServer as httpCreateServer, request as httpRequest } from 'node:http';
import { context, propagation, trace } from '@opentelemetry/api';
import type { Context, Meter, Span, Tracer } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { Logger } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface DemoTelemetryOptions {
  /** OTLP/HTTP base URL, e.g. http://127.0.0.1:4318 */
  otlpUrl: string;
  apiKey: string;
  environment: string;
  metricIntervalMs: number;
  /** Port → service name, so client spans name their peer (service.peer.name). */
  peerOfPort: (port: number) => string | undefined;
}

type LogSeverity = 'INFO' | 'WARN' | 'ERROR' | 'FATAL';
const SEVERITY: Record<LogSeverity, SeverityNumber> = {
  INFO: SeverityNumber.INFO,
  WARN: SeverityNumber.WARN,
  ERROR: SeverityNumber.ERROR,
  FATAL: SeverityNumber.FATAL,
};

/** Spans take the resource of their parent span (same service) unless a service claims them. */
class ServiceResourceProcessor implements SpanProcessor {
  onStart(span: Span & ReadableSpan, parentContext: Context): void {
    const parent: Partial<ReadableSpan> | undefined = trace.getSpan(parentContext);
    if (parent?.resource) setResource(span, parent.resource);
  }
  onEnd(): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function setResource(span: Span, resource: Resource): void {
  // SpanImpl keeps its resource in a plain field that the exporter reads when serializing.
  (span as unknown as { resource: Resource }).resource = resource;
}

/** One shop service's telemetry identity: resource, logger and meter for its current version. */
export class ServiceTelemetry {
  resource!: Resource;
  logger!: Logger;
  private loggerProvider?: LoggerProvider;
  private meterProvider?: MeterProvider;
  private readonly meterSetups: Array<(meter: Meter) => void> = [];

  constructor(
    readonly service: string,
    public version: string,
    private readonly options: DemoTelemetryOptions,
    private readonly instanceId: string,
  ) {
    this.build();
  }

  /** Registers instruments now and again after every redeploy (new meter provider). */
  onMeter(setup: (meter: Meter) => void): void {
    this.meterSetups.push(setup);
    if (this.meterProvider) setup(this.meterProvider.getMeter(`shop.${this.service}`));
  }

  /** Claims a span (a server or consumer span) for this service; its children follow. */
  claim(span: Span | undefined): void {
    if (span) setResource(span, this.resource);
  }

  log(severity: LogSeverity, body: string, attributes: Record<string, string> = {}): void {
    this.logger.emit({ severityNumber: SEVERITY[severity], severityText: severity, body, attributes, context: context.active() });
  }

  /** A deploy: the SDK restarts with a resource carrying the new service.version. */
  async redeploy(version: string): Promise<void> {
    const oldLogs = this.loggerProvider;
    const oldMeters = this.meterProvider;
    this.version = version;
    this.build();
    await Promise.allSettled([oldLogs?.shutdown(), oldMeters?.shutdown()]);
  }

  async shutdown(): Promise<void> {
    await Promise.allSettled([this.loggerProvider?.shutdown(), this.meterProvider?.shutdown()]);
  }

  private build(): void {
    const o = this.options;
    this.resource = resourceFromAttributes({
      'service.name': this.service,
      'service.version': this.version,
      'service.namespace': 'shop',
      'service.instance.id': this.instanceId,
      'deployment.environment.name': o.environment,
    });
    const headers = { Authorization: `Bearer ${o.apiKey}` };
    this.loggerProvider = new LoggerProvider({
      resource: this.resource,
      processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${o.otlpUrl}/v1/logs`, headers }), scheduledDelayMillis: 1000 })],
    });
    this.logger = this.loggerProvider.getLogger(`shop.${this.service}`);
    this.meterProvider = new MeterProvider({
      resource: this.resource,
      readers: [
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter({ url: `${o.otlpUrl}/v1/metrics`, headers, temporalityPreference: AggregationTemporality.DELTA }),
          exportIntervalMillis: o.metricIntervalMs,
        }),
      ],
    });
    const meter = this.meterProvider.getMeter(`shop.${this.service}`);
    for (const setup of this.meterSetups) setup(meter);
  }
}

export interface HttpModule {
  request: typeof httpRequest;
  createServer: typeof httpCreateServer;
}

/** The process-wide SDK: tracer provider, http auto-instrumentation and the span exporter. */
export class DemoTelemetry {
  readonly tracer: Tracer;
  /** node:http as patched by the instrumentation (loaded after it is registered). */
  readonly http: HttpModule;
  private readonly provider: NodeTracerProvider;
  private readonly unregister: () => void;
  private readonly services = new Map<string, ServiceTelemetry>();

  constructor(private readonly options: DemoTelemetryOptions) {
    const exporter = new OTLPTraceExporter({ url: `${options.otlpUrl}/v1/traces`, headers: { Authorization: `Bearer ${options.apiKey}` } });
    this.provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'shop-loadgen', 'deployment.environment.name': options.environment }),
      spanProcessors: [
        new ServiceResourceProcessor(),
        new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000, maxQueueSize: 8192, maxExportBatchSize: 1024 }),
      ],
    });
    this.provider.register();
    const peerOfPort = options.peerOfPort;
    this.unregister = registerInstrumentations({
      tracerProvider: this.provider,
      instrumentations: [
        new HttpInstrumentation({
          startOutgoingSpanHook: (request: RequestOptions) => {
            const peer = peerOfPort(Number(request.port));
            return peer ? { 'service.peer.name': peer } : {};
          },
          // Only the shop's own servers are traced (not the control API or an in-process receiver).
          ignoreIncomingRequestHook: (request: IncomingMessage) => peerOfPort(request.socket.localPort ?? 0) === undefined,
        }),
      ],
    });
    this.http = createRequire(import.meta.url)('node:http') as HttpModule;
    this.tracer = trace.getTracer('shop');
  }

  service(name: string, version: string): ServiceTelemetry {
    let s = this.services.get(name);
    if (!s) {
      s = new ServiceTelemetry(name, version, this.options, `${name}-${process.pid}`);
      this.services.set(name, s);
    }
    return s;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.services.values()].map((s) => s.shutdown()));
    await this.provider.shutdown().catch(() => undefined);
    this.unregister();
    trace.disable();
    context.disable();
    propagation.disable();
  }
}
