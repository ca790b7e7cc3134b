// The OTLP/HTTP receiver on a real Fastify server, fed by the OpenTelemetry JS SDK exporters
// (protobuf and JSON, gzip and not), and every error path of the OTLP/HTTP spec.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { request as httpRequest } from 'node:http';
import { IngestOverloadedError } from './errors.js';
import { registerOtlpHttpRoutes } from './http.js';
import { InFlightBytes } from './in-flight.js';
import { defaultIngestLimits } from './limits.js';
import { decodeLogs } from './logs.js';
import { decodeMetrics } from './metrics.js';
import { otlpTypes } from './proto/root.js';
import { MemorySink, RecordingErrorLog, TEST_KEY, testAuthenticate } from './testing/memory-sink.js';
import { keyValue, lenField, nestedAnyValue, spanBytes, traceRequestOf } from './testing/otlp-bytes.js';
import { sdkLogs, sdkMetrics, sdkSpans } from './testing/sdk-telemetry.js';
import { decodeTraces } from './traces.js';
import { exportWith } from './testing/sdk-export.js';

const limits = { ...defaultIngestLimits, maxBodyBytes: 512 * 1024, maxAttributesPerItem: 8, maxAttributeValueLength: 100 };
const auth = { authorization: `Bearer ${TEST_KEY}` };

void describe('OTLP/HTTP receiver', () => {
  const sink = new MemorySink();
  const errors = new RecordingErrorLog();
  const decoded: string[] = [];
  let app: FastifyInstance;
  let base: string;

  before(async () => {
    app = Fastify({ logger: false });
    registerOtlpHttpRoutes(app, {
      sink,
      limits,
      inFlight: new InFlightBytes(limits.maxInFlightBytes),
      authenticate: testAuthenticate,
      log: errors,
      onDecoded: (signal, c) => decoded.push(`${signal}:${c.accepted}/${c.rejected}`),
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(() => app.close());

  const post = (path: string, body: Buffer | string, headers: Record<string, string>): Promise<Response> =>
    fetch(`${base}${path}`, { method: 'POST', body, headers });

  void it('takes traces from the protobuf exporter (gzip) and the JSON exporter, every field intact', async () => {
    const spans = sdkSpans();
    const expected = decodeTraces(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!), 'protobuf').spans;
    assert.equal(expected.length, 3);
    const proto = await exportWith(new ProtoTraceExporter({ url: `${base}/v1/traces`, headers: auth, compression: CompressionAlgorithm.GZIP }), spans);
    assert.equal(proto.code, ExportResultCode.SUCCESS, String(proto.error));
    assert.deepEqual(sink.take().spans, expected);
    const json = await exportWith(new JsonTraceExporter({ url: `${base}/v1/traces`, headers: auth }), spans);
    assert.equal(json.code, ExportResultCode.SUCCESS, String(json.error));
    const got = sink.take().spans;
    assert.deepEqual(got, expected);
    const pay = got.find((s) => s.name === 'charge')!;
    assert.deepEqual(
      [pay.kind, pay.statusCode, pay.exceptionType, pay.peerService, pay.httpStatusCode, pay.service, pay.environment],
      ['client', 'error', 'TimeoutError', 'payments', 503, 'checkout', 'staging'],
    );
    assert.ok(decoded.includes('traces:3/0'));
  });

  void it('takes logs from the protobuf and JSON exporters', async () => {
    const records = sdkLogs();
    for (const exporter of [
      new ProtoLogExporter({ url: `${base}/v1/logs`, headers: auth, compression: CompressionAlgorithm.GZIP }),
      new JsonLogExporter({ url: `${base}/v1/logs`, headers: auth }),
    ]) {
      const r = await exportWith(exporter, records);
      assert.equal(r.code, ExportResultCode.SUCCESS, String(r.error));
      const logs = sink.take().logs;
      assert.equal(logs.length, 2);
      assert.deepEqual(
        [logs[0]!.body, logs[0]!.severityNumber, logs[0]!.exceptionType, logs[0]!.userId, logs[0]!.traceId.length],
        ['payment 17 failed', 17, 'TimeoutError', 'u-7', 32],
      );
      assert.equal(logs[1]!.body, '{"order":17,"items":["a","b"],"ok":true}');
    }
  });

  void it('takes every metric type from the protobuf and JSON exporters', async () => {
    const rm = await sdkMetrics();
    for (const exporter of [
      new ProtoMetricExporter({ url: `${base}/v1/metrics`, headers: auth, compression: CompressionAlgorithm.GZIP }),
      new JsonMetricExporter({ url: `${base}/v1/metrics`, headers: auth }),
    ]) {
      const r = await exportWith(exporter, rm);
      assert.equal(r.code, ExportResultCode.SUCCESS, String(r.error));
      const metrics = sink.take().metrics;
      assert.deepEqual(metrics.map((m) => m.type).sort(), ['exponential_histogram', 'gauge', 'histogram', 'sum', 'sum']);
      const exp = metrics.find((m) => m.type === 'exponential_histogram')!;
      assert.equal(
        exp.expPositiveCounts.reduce((a, b) => a + b, 0),
        5,
      );
    }
  });

  void it('answers partial success naming the limit, in the request encoding', async () => {
    const span = (attrs: Array<[string, string]>) => ({
      traceId: Buffer.alloc(16, 7),
      spanId: Buffer.alloc(8, 9),
      name: 's',
      startTimeUnixNano: '1764000000000000000',
      attributes: attrs.map(([key, v]) => ({ key, value: { stringValue: v } })),
    });
    const request = otlpTypes.traceRequest.fromObject({
      resourceSpans: [
        { scopeSpans: [{ spans: [span([]), span([['big', 'x'.repeat(101)]]), span(Array.from({ length: 9 }, (_, i): [string, string] => [`k${i}`, 'v']))] }] },
      ],
    });
    const res = await post('/v1/traces', Buffer.from(otlpTypes.traceRequest.encode(request).finish()), { ...auth, 'content-type': 'application/x-protobuf' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/x-protobuf');
    const body = otlpTypes.traceResponse.toObject(otlpTypes.traceResponse.decode(new Uint8Array(await res.arrayBuffer())), { longs: Number }) as {
      partialSuccess: { rejectedSpans: number; errorMessage: string };
    };
    assert.equal(body.partialSuccess.rejectedSpans, 2);
    assert.match(body.partialSuccess.errorMessage, /maxAttributeValueLength=100/);
    assert.match(body.partialSuccess.errorMessage, /maxAttributesPerItem=8/);
    assert.equal(sink.take().spans.length, 1);
    const json = await post(
      '/v1/logs',
      JSON.stringify({
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  { timeUnixNano: '1764000000000000000', body: { stringValue: 'ok' } },
                  { timeUnixNano: '1764000000000000000', traceId: 'abcd', body: { stringValue: 'bad' } },
                ],
              },
            ],
          },
        ],
      }),
      { ...auth, 'content-type': 'application/json; charset=utf-8' },
    );
    assert.equal(json.status, 200);
    assert.deepEqual(await json.json(), { partialSuccess: { rejectedLogRecords: '1', errorMessage: 'log record trace_id must be empty or 16 bytes (got 2)' } });
    const clean = await post('/v1/logs', JSON.stringify({ resourceLogs: [] }), { ...auth, 'content-type': 'application/json' });
    assert.deepEqual(await clean.json(), {});
    sink.take();
  });

  void it('answers 400 with a google.rpc.Status reason for malformed JSON and protobuf', async () => {
    const badJson = await post('/v1/traces', '{"resourceSpans": [', { ...auth, 'content-type': 'application/json' });
    assert.equal(badJson.status, 400);
    const status = (await badJson.json()) as { code: number; message: string };
    assert.equal(status.code, 3);
    assert.match(status.message, /not valid JSON/);
    const badProto = await post('/v1/traces', Buffer.from([0x0a, 0x10, 0x0a]), { ...auth, 'content-type': 'application/x-protobuf' });
    assert.equal(badProto.status, 400);
    const decodedStatus = otlpTypes.status.toObject(otlpTypes.status.decode(new Uint8Array(await badProto.arrayBuffer()))) as { code: number; message: string };
    assert.equal(decodedStatus.code, 3);
    assert.match(decodedStatus.message, /truncated/);
    const badGzip = await post('/v1/metrics', Buffer.from('not gzip'), { ...auth, 'content-type': 'application/json', 'content-encoding': 'gzip' });
    assert.equal(badGzip.status, 400);
  });

  void it('answers 401 without a valid key and 415 for other content types', async () => {
    const body = JSON.stringify({ resourceSpans: [] });
    assert.equal((await post('/v1/traces', body, { 'content-type': 'application/json' })).status, 401);
    const wrong = await post('/v1/traces', body, { authorization: 'Bearer nope', 'content-type': 'application/json' });
    assert.equal(wrong.status, 401);
    assert.match(((await wrong.json()) as { message: string }).message, /API key/);
    const text = await post('/v1/traces', body, { ...auth, 'content-type': 'text/plain' });
    assert.equal(text.status, 415);
    assert.match(((await text.json()) as { message: string }).message, /application\/x-protobuf/);
  });

  void it('answers 413 over the body limit, declared or streamed, and for a gzip bomb', async () => {
    const big = Buffer.alloc(limits.maxBodyBytes + 1, 0x20);
    const declared = await post('/v1/traces', big, { ...auth, 'content-type': 'application/json' });
    assert.equal(declared.status, 413);
    assert.match(((await declared.json()) as { message: string }).message, /maxBodyBytes=524288/);
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    assert.ok(bomb.length < limits.maxBodyBytes);
    const before = process.memoryUsage().rss;
    const res = await post('/v1/traces', bomb, { ...auth, 'content-type': 'application/json', 'content-encoding': 'gzip' });
    assert.equal(res.status, 413);
    assert.ok(process.memoryUsage().rss - before < 40 * 1024 * 1024, 'the bomb was not inflated in memory');
    const chunked = await fetch(`${base}/v1/traces`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 80; i++) controller.enqueue(new Uint8Array(8192));
          controller.close();
        },
      }),
      duplex: 'half',
    });
    assert.equal(chunked.status, 413);
  });

  void it('answers 429 and 503 with Retry-After when the sink is overloaded', async () => {
    const body = Buffer.from(ProtobufTraceSerializer.serializeRequest(sdkSpans())!);
    sink.overloaded = new IngestOverloadedError('ingest queue is full', 2, 429);
    const full = await post('/v1/traces', body, { ...auth, 'content-type': 'application/x-protobuf' });
    assert.equal(full.status, 429);
    assert.equal(full.headers.get('retry-after'), '2');
    sink.overloaded = new IngestOverloadedError('store unavailable', 5, 503);
    const down = await post('/v1/traces', body, { ...auth, 'content-type': 'application/x-protobuf' });
    assert.equal(down.status, 503);
    assert.equal(down.headers.get('retry-after'), '5');
    sink.overloaded = undefined;
    assert.equal(sink.take().spans.length, 0);
    assert.equal(decodeLogs(Buffer.alloc(0), 'protobuf').logs.length, 0);
    assert.equal(decodeMetrics(Buffer.alloc(0), 'protobuf').metrics.length, 0);
  });

  void it('answers an AnyValue nested 10,000 deep with 400 INVALID_ARGUMENT, in protobuf and JSON', async () => {
    const deep = traceRequestOf([spanBytes(0, 1_764_000_000_000_000_000n, lenField(9, keyValue('deep', nestedAnyValue(10_000))))]);
    const proto = await post('/v1/traces', deep, { ...auth, 'content-type': 'application/x-protobuf' });
    assert.equal(proto.status, 400);
    const status = otlpTypes.status.toObject(otlpTypes.status.decode(new Uint8Array(await proto.arrayBuffer()))) as { code: number; message: string };
    assert.deepEqual([status.code, /ingest\.maxAnyValueDepth=64/.test(status.message)], [3, true]);
    const json = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1764000000000000000","body":${'{"arrayValue":{"values":['.repeat(10_000)}{}${']}}'.repeat(10_000)}}]}]}]}`;
    const res = await post('/v1/logs', gzipSync(json), { ...auth, 'content-type': 'application/json', 'content-encoding': 'gzip' });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { code: number }).code, 3);
    assert.equal(sink.take().logs.length, 0);
  });

  void it('answers an unexpected sink failure with 500 INTERNAL (not a retryable 503) and logs it', async () => {
    sink.broken = new Error('disk on fire');
    const res = await post('/v1/traces', Buffer.from(ProtobufTraceSerializer.serializeRequest(sdkSpans())!), {
      ...auth,
      'content-type': 'application/x-protobuf',
    });
    sink.broken = undefined;
    assert.equal(res.status, 500);
    const status = otlpTypes.status.toObject(otlpTypes.status.decode(new Uint8Array(await res.arrayBuffer()))) as { code: number };
    assert.equal(status.code, 13);
    assert.deepEqual(
      errors.entries.map((e) => [e.signal, e.transport, (e.err as Error).message]),
      [['traces', 'http', 'disk on fire']],
    );
  });

  void it('answers 429 RESOURCE_EXHAUSTED with Retry-After while other requests hold the in-flight budget, before reading the body, and releases it after', async () => {
    const budget = new InFlightBytes(300 * 1024);
    const small = Fastify({ logger: false });
    registerOtlpHttpRoutes(small, { sink: new MemorySink(), limits, inFlight: budget, authenticate: testAuthenticate });
    const url = await small.listen({ host: '127.0.0.1', port: 0 });
    try {
      const now = BigInt(Date.now()) * 1_000_000n;
      const body = traceRequestOf(Array.from({ length: 4000 }, (_, i) => spanBytes(i, now)));
      assert.ok(body.length > 160 * 1024 && body.length < 300 * 1024, `${body.length} bytes`);
      // A slow client: headers and half its body sent, the rest held back.
      const held = httpRequest(`${url}/v1/traces`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/x-protobuf', 'content-length': String(body.length) },
      });
      const heldAnswer = new Promise<number>((resolve, reject) => held.on('response', (r) => (r.resume(), resolve(r.statusCode ?? 0))).on('error', reject));
      held.write(body.subarray(0, body.length >> 1));
      const deadline = Date.now() + 5000;
      while (budget.state.used === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.equal(budget.state.used, body.length, 'the held request reserved its declared length');

      const refused = await post2(url, body);
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('retry-after'), '1');
      const status = otlpTypes.status.toObject(otlpTypes.status.decode(new Uint8Array(await refused.arrayBuffer()))) as { code: number; message: string };
      assert.equal(status.code, 8, 'RESOURCE_EXHAUSTED');
      assert.match(status.message, /ingest\.maxInFlightBytes=307200/);

      held.end(body.subarray(body.length >> 1));
      assert.equal(await heldAnswer, 200);
      assert.equal(budget.state.used, 0, 'released once answered');
      assert.equal((await post2(url, body)).status, 200, 'room again');
      assert.equal(budget.state.used, 0);
    } finally {
      await small.close();
    }
  });
});

function post2(base: string, body: Buffer): Promise<Response> {
  return fetch(`${base}/v1/traces`, { method: 'POST', body, headers: { ...auth, 'content-type': 'application/x-protobuf' } });
}
