// Load generator for bench:ingest, run as its own process: builds OTLP protobuf requests with the
// OpenTelemetry SDK's own serializer (512 spans or log records per request, realistic attributes)
// and sends them at a target rate, reporting accepted items and request latencies.
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';

export interface LoadPhase {
  url: string;
  key: string;
  kind: 'traces' | 'logs';
  itemsPerSecond: number;
  seconds: number;
  concurrency: number;
}

export interface LoadResult {
  sentItems: number;
  acceptedItems: number;
  rejectedRequests: number;
  failedRequests: number;
  requests: number;
  latenciesMs: number[];
  firstSendMs: number;
  lastAckMs: number;
}

const BATCH = 512;
const POOL = 24;
const routes = ['/api/cart', '/api/checkout', '/api/products/:id', '/api/pay', '/api/users/:id', '/api/search'];

export function tracePayloads(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let p = 0; p < POOL; p++) {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        'service.name': `svc-${p % 6}`,
        'service.version': '1.4.2',
        'deployment.environment.name': 'production',
        'host.name': `host-${p}`,
      }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('bench', '1.0.0');
    // 64 traces of 8 spans: a server span with a db client span and six internal/client children.
    for (let t = 0; t < BATCH / 8; t++) {
      const route = routes[(p + t) % routes.length]!;
      const root = tracer.startSpan(`POST ${route}`, {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': 'POST',
          'http.route': route,
          'http.response.status_code': t % 50 === 0 ? 500 : 200,
          'url.path': route.replace(':id', String(t)),
          'enduser.id': `user-${(p * 97 + t) % 5000}`,
          'server.address': 'shop.example.com',
          'user_agent.original': 'Mozilla/5.0',
        },
      });
      const ctx = trace.setSpan(context.active(), root);
      for (let c = 0; c < 7; c++) {
        const db = c === 0;
        const child = tracer.startSpan(
          db ? 'SELECT orders' : `call ${c}`,
          {
            kind: db ? SpanKind.CLIENT : SpanKind.INTERNAL,
            attributes: db
              ? {
                  'db.system.name': 'postgresql',
                  'db.namespace': 'shop',
                  'db.operation.name': 'SELECT',
                  'db.query.text': 'SELECT * FROM orders WHERE id = $1',
                  'server.address': 'db.internal',
                }
              : { 'code.function.name': `handler${c}`, 'app.step': c },
          },
          ctx,
        );
        child.end();
      }
      if (t % 50 === 0) root.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream timeout' });
      root.end();
    }
    out.push(ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans())!);
    void provider.shutdown();
  }
  return out;
}

export function logPayloads(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let p = 0; p < POOL; p++) {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': `svc-${p % 6}`, 'service.version': '1.4.2', 'deployment.environment.name': 'production' }),
      processors: [new SimpleLogRecordProcessor({ exporter })],
    });
    const logger = provider.getLogger('bench');
    for (let i = 0; i < BATCH; i++) {
      const err = i % 40 === 0;
      logger.emit({
        severityNumber: err ? 17 : 9,
        severityText: err ? 'ERROR' : 'INFO',
        body: err
          ? `payment ${p * 1000 + i} failed: connection timeout after 30000 ms`
          : `order ${p * 1000 + i} placed by user-${i % 977} total=${(i * 3.7).toFixed(2)}`,
        attributes: { 'code.function.name': 'placeOrder', 'order.items': i % 9, 'enduser.id': `user-${i % 977}` },
      });
    }
    out.push(ProtobufLogsSerializer.serializeRequest(exporter.getFinishedLogRecords())!);
    void provider.shutdown();
  }
  return out;
}

async function runPhase(phase: LoadPhase, payloads: Uint8Array[]): Promise<LoadResult> {
  const r: LoadResult = {
    sentItems: 0,
    acceptedItems: 0,
    rejectedRequests: 0,
    failedRequests: 0,
    requests: 0,
    latenciesMs: [],
    firstSendMs: Date.now(),
    lastAckMs: Date.now(),
  };
  const total = Math.max(1, Math.round((phase.itemsPerSecond * phase.seconds) / BATCH));
  const intervalMs = 1000 / (phase.itemsPerSecond / BATCH);
  const start = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      const due = start + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((res) => setTimeout(res, wait));
      const body = payloads[i % payloads.length]!;
      const s = performance.now();
      r.sentItems += BATCH;
      r.requests++;
      try {
        const res = await fetch(`${phase.url}/v1/${phase.kind}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${phase.key}` },
          body,
        });
        await res.arrayBuffer();
        r.latenciesMs.push(performance.now() - s);
        if (res.status === 200) {
          r.acceptedItems += BATCH;
          r.lastAckMs = Date.now();
        } else if (res.status === 429 || res.status === 503) r.rejectedRequests++;
        else r.failedRequests++;
      } catch {
        r.failedRequests++;
      }
    }
  };
  await Promise.all(Array.from({ length: phase.concurrency }, worker));
  return r;
}

// As a child process: build payloads once, then run each phase the parent sends.
if (process.send) {
  const cache: Partial<Record<LoadPhase['kind'], Uint8Array[]>> = {};
  process.on('message', (msg: LoadPhase | 'exit') => {
    if (msg === 'exit') process.exit(0);
    const payloads = (cache[msg.kind] ??= msg.kind === 'traces' ? tracePayloads() : logPayloads());
    void runPhase(msg, payloads).then((res) => process.send!(res));
  });
  process.send('ready');
}
