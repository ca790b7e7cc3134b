// Decode-rate measurement for the ingest hot path: 512-span (and 512-log) OTLP requests built by
// the SDK's own serializers, shaped like bench:ingest's load; compared with protobufjs reflection
// (decode + toObject) on the same bytes. Returns figures; the caller prints them.
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer, ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { decodeLogs } from '../logs.js';
import { otlpTypes } from '../proto/root.js';
import { decodeTraces } from '../traces.js';

const BATCH = 512;
const routes = ['/api/cart', '/api/checkout', '/api/products/:id', '/api/pay', '/api/users/:id', '/api/search'];

export function spanRequests(count: number): { protobuf: Buffer[]; json: Buffer[] } {
  const protobuf: Buffer[] = [];
  const json: Buffer[] = [];
  for (let p = 0; p < count; p++) {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': `svc-${p % 6}`, 'service.version': '1.4.2', 'deployment.environment.name': 'production', 'host.name': `host-${p}` }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('bench', '1.0.0');
    for (let t = 0; t < BATCH / 8; t++) {
      const route = routes[(p + t) % routes.length]!;
      const root = tracer.startSpan(`POST ${route}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'http.route': route, 'http.response.status_code': t % 50 === 0 ? 500 : 200, 'url.path': route.replace(':id', String(t)), 'enduser.id': `user-${(p * 97 + t) % 5000}`, 'server.address': 'shop.example.com', 'user_agent.original': 'Mozilla/5.0' } });
      const ctx = trace.setSpan(context.active(), root);
      for (let c = 0; c < 7; c++) {
        const db = c === 0;
        tracer.startSpan(db ? 'SELECT orders' : `call ${c}`, { kind: db ? SpanKind.CLIENT : SpanKind.INTERNAL, attributes: db ? { 'db.system.name': 'postgresql', 'db.namespace': 'shop', 'db.operation.name': 'SELECT', 'db.query.text': 'SELECT * FROM orders WHERE id = $1', 'server.address': 'db.internal' } : { 'code.function.name': `handler${c}`, 'app.step': c } }, ctx).end();
      }
      if (t % 50 === 0) root.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream timeout' });
      root.end();
    }
    const spans = exporter.getFinishedSpans();
    protobuf.push(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!));
    json.push(Buffer.from(JsonTraceSerializer.serializeRequest(spans)!));
    void provider.shutdown();
  }
  return { protobuf, json };
}

export function logRequests(count: number): Buffer[] {
  const out: Buffer[] = [];
  for (let p = 0; p < count; p++) {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ resource: resourceFromAttributes({ 'service.name': `svc-${p % 6}`, 'service.version': '1.4.2', 'deployment.environment.name': 'production' }), processors: [new SimpleLogRecordProcessor({ exporter })] });
    const logger = provider.getLogger('bench');
    for (let i = 0; i < BATCH; i++) {
      const err = i % 40 === 0;
      logger.emit({ severityNumber: err ? 17 : 9, severityText: err ? 'ERROR' : 'INFO', body: err ? `payment ${p * 1000 + i} failed: connection timeout after 30000 ms` : `order ${p * 1000 + i} placed by user-${i % 977} total=${(i * 3.7).toFixed(2)}`, attributes: { 'code.function.name': 'placeOrder', 'order.items': i % 9, 'enduser.id': `user-${i % 977}` } });
    }
    out.push(Buffer.from(ProtobufLogsSerializer.serializeRequest(exporter.getFinishedLogRecords())!));
    void provider.shutdown();
  }
  return out;
}

export interface DecodeFigure {
  workload: string;
  /** Items per second of this process's CPU time (robust on a machine shared with other work). */
  itemsPerCpuSecond: number;
  /** Items per wall-clock second in the best round. */
  itemsPerSecond: number;
  msPerRequest: number;
}

interface Workload {
  name: string;
  requests: Buffer[];
  decode: (b: Buffer) => number;
  items: number;
  cpuMicros: number;
  requestsDone: number;
  bestWallRate: number;
}

/** Rounds alternate between workloads so that load from other processes hits them alike. */
function measure(workloads: Workload[], seconds: number): DecodeFigure[] {
  for (const w of workloads) for (let i = 0; i < 50; i++) w.decode(w.requests[i % w.requests.length]!); // JIT warm-up
  const rounds = Math.max(4, Math.round(seconds * 4));
  for (let round = 0; round < rounds; round++) {
    for (const w of workloads) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      let items = 0;
      let n = 0;
      while (performance.now() - start < 250) items += w.decode(w.requests[(round * 7 + n++) % w.requests.length]!);
      const wall = performance.now() - start;
      const used = process.cpuUsage(cpu);
      w.items += items;
      w.requestsDone += n;
      w.cpuMicros += used.user + used.system;
      w.bestWallRate = Math.max(w.bestWallRate, (items / wall) * 1000);
    }
  }
  return workloads.map((w) => ({ workload: w.name, itemsPerCpuSecond: Math.round((w.items / w.cpuMicros) * 1e6), itemsPerSecond: Math.round(w.bestWallRate), msPerRequest: w.cpuMicros / 1000 / w.requestsDone }));
}

function workload(name: string, requests: Buffer[], decode: (b: Buffer) => number): Workload {
  return { name, requests, decode, items: 0, cpuMicros: 0, requestsDone: 0, bestWallRate: 0 };
}

export function runDecodeBench(seconds = 3): DecodeFigure[] {
  const spans = spanRequests(24);
  const logs = logRequests(24);
  return measure(
    [
      workload('traces protobuf, 512 spans/request (fast path)', spans.protobuf, (b) => decodeTraces(b, 'protobuf').spans.length),
      workload('traces JSON, 512 spans/request', spans.json, (b) => decodeTraces(b, 'json').spans.length),
      workload('traces protobuf via protobufjs decode+toObject (baseline, no mapping)', spans.protobuf, (b) => {
        const o = otlpTypes.traceRequest.toObject(otlpTypes.traceRequest.decode(b), { longs: String, bytes: String }) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: unknown[] }> }> };
        return o.resourceSpans.reduce((a, r) => a + r.scopeSpans.reduce((x, s) => x + s.spans.length, 0), 0);
      }),
      workload('logs protobuf, 512 records/request (fast path)', logs, (b) => decodeLogs(b, 'protobuf').logs.length),
    ],
    seconds,
  );
}
