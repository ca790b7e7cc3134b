// The OTLP/gRPC receiver on a real grpc-js server, fed by the OpenTelemetry JS SDK gRPC exporters
// (gzip), plus its error statuses: UNAUTHENTICATED, INVALID_ARGUMENT, UNAVAILABLE with RetryInfo.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { IngestOverloadedError } from './errors.js';
import { startOtlpGrpcServer, type RunningOtlpGrpc } from './grpc.js';
import { InFlightBytes } from './in-flight.js';
import { defaultIngestLimits } from './limits.js';
import { otlpTypes } from './proto/root.js';
import { MemorySink, RecordingErrorLog, TEST_KEY, testAuthenticate } from './testing/memory-sink.js';
import { keyValue, lenField, nestedAnyValue, spanBytes, traceRequestOf } from './testing/otlp-bytes.js';
import { sdkLogs, sdkMetrics, sdkSpans } from './testing/sdk-telemetry.js';
import { decodeTraces } from './traces.js';
import { exportWith } from './testing/sdk-export.js';

const limits = { ...defaultIngestLimits, maxBodyBytes: 512 * 1024, maxAttributeValueLength: 100 };
const TRACE_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

void describe('OTLP/gRPC receiver', () => {
  const sink = new MemorySink();
  const errors = new RecordingErrorLog();
  let server: RunningOtlpGrpc;
  let url: string;
  let client: grpc.Client;

  before(async () => {
    server = await startOtlpGrpcServer({
      host: '127.0.0.1',
      port: 0,
      sink,
      limits,
      inFlight: new InFlightBytes(limits.maxInFlightBytes),
      authenticate: testAuthenticate,
      log: errors,
    });
    url = `http://127.0.0.1:${server.port}`;
    client = new grpc.Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  });
  after(async () => {
    client.close();
    await server.stop();
  });

  const metadata = (key = TEST_KEY): grpc.Metadata => {
    const m = new grpc.Metadata();
    m.set('authorization', `Bearer ${key}`);
    return m;
  };

  const call = (body: Buffer, md: grpc.Metadata): Promise<{ err: grpc.ServiceError | null; response?: Buffer }> =>
    new Promise((resolve) => {
      client.makeUnaryRequest(
        TRACE_PATH,
        (b: Buffer) => b,
        (b: Buffer) => b,
        body,
        md,
        (err, response) => resolve({ err, response }),
      );
    });

  void it('takes traces, logs and metrics from the SDK gRPC exporters with gzip', async () => {
    const spans = sdkSpans();
    const t = await exportWith(new OTLPTraceExporter({ url, metadata: metadata(), compression: CompressionAlgorithm.GZIP }), spans);
    assert.equal(t.code, ExportResultCode.SUCCESS, String(t.error));
    assert.deepEqual(sink.take().spans, decodeTraces(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!), 'protobuf').spans);
    const l = await exportWith(new OTLPLogExporter({ url, metadata: metadata(), compression: CompressionAlgorithm.GZIP }), sdkLogs());
    assert.equal(l.code, ExportResultCode.SUCCESS, String(l.error));
    const logs = sink.take().logs;
    assert.deepEqual(
      logs.map((x) => [x.body, x.severityText, x.service]),
      [
        ['payment 17 failed', 'ERROR', 'checkout'],
        ['{"order":17,"items":["a","b"],"ok":true}', 'INFO', 'checkout'],
      ],
    );
    const m = await exportWith(new OTLPMetricExporter({ url, metadata: metadata(), compression: CompressionAlgorithm.GZIP }), await sdkMetrics());
    assert.equal(m.code, ExportResultCode.SUCCESS, String(m.error));
    assert.deepEqual(
      sink
        .take()
        .metrics.map((p) => p.type)
        .sort(),
      ['exponential_histogram', 'gauge', 'histogram', 'sum', 'sum'],
    );
  });

  void it('answers UNAUTHENTICATED without a valid key', async () => {
    const body = Buffer.from(ProtobufTraceSerializer.serializeRequest(sdkSpans())!);
    const { err } = await call(body, metadata('wrong'));
    assert.equal(err?.code, grpc.status.UNAUTHENTICATED);
    const r = await exportWith(new OTLPTraceExporter({ url, metadata: metadata('wrong') }), sdkSpans());
    assert.equal(r.code, ExportResultCode.FAILED);
    assert.equal(sink.take().spans.length, 0);
  });

  void it('answers INVALID_ARGUMENT for a malformed message and over the size limit', async () => {
    const bad = await call(Buffer.from([0x0a, 0x10, 0x0a]), metadata());
    assert.equal(bad.err?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(bad.err?.details ?? '', /truncated/);
    const big = await call(Buffer.alloc(limits.maxBodyBytes + 10), metadata());
    assert.equal(big.err?.code, grpc.status.RESOURCE_EXHAUSTED);
  });

  void it('returns partial success in the response message', async () => {
    const request = otlpTypes.traceRequest.fromObject({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 1), name: 'ok', startTimeUnixNano: '1764000000000000000' },
                {
                  traceId: Buffer.alloc(16, 1),
                  spanId: Buffer.alloc(8, 2),
                  name: 'long',
                  startTimeUnixNano: '1764000000000000000',
                  attributes: [{ key: 'q', value: { stringValue: 'z'.repeat(200) } }],
                },
              ],
            },
          ],
        },
      ],
    });
    const { err, response } = await call(Buffer.from(otlpTypes.traceRequest.encode(request).finish()), metadata());
    assert.equal(err, null);
    const body = otlpTypes.traceResponse.toObject(otlpTypes.traceResponse.decode(response!), { longs: Number }) as {
      partialSuccess: { rejectedSpans: number; errorMessage: string };
    };
    assert.equal(body.partialSuccess.rejectedSpans, 1);
    assert.match(body.partialSuccess.errorMessage, /maxAttributeValueLength=100/);
    assert.equal(sink.take().spans.length, 1);
  });

  void it('answers UNAVAILABLE with a RetryInfo delay when the sink is overloaded', async () => {
    sink.overloaded = new IngestOverloadedError('ingest queue is full', 3, 429);
    const { err } = await call(Buffer.from(ProtobufTraceSerializer.serializeRequest(sdkSpans())!), metadata());
    sink.overloaded = undefined;
    assert.equal(err?.code, grpc.status.UNAVAILABLE);
    const details = err.metadata.get('grpc-status-details-bin')[0] as Buffer;
    const status = otlpTypes.status.decode(details) as unknown as { details: Array<{ typeUrl: string; value: Uint8Array }> };
    assert.equal(status.details[0]!.typeUrl, 'type.googleapis.com/google.rpc.RetryInfo');
    const info = otlpTypes.retryInfo.toObject(otlpTypes.retryInfo.decode(status.details[0]!.value), { longs: Number }) as { retryDelay: { seconds: number } };
    assert.equal(info.retryDelay.seconds, 3);
  });

  void it('answers INVALID_ARGUMENT for an AnyValue nested 10,000 deep', async () => {
    const deep = traceRequestOf([spanBytes(0, 1_764_000_000_000_000_000n, lenField(9, keyValue('deep', nestedAnyValue(10_000))))]);
    const { err } = await call(deep, metadata());
    assert.equal(err?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(err?.details ?? '', /ingest\.maxAnyValueDepth=64/);
    assert.equal(sink.take().spans.length, 0);
  });

  void it('answers INTERNAL (not the retryable UNAVAILABLE) for an unexpected sink failure, and logs it', async () => {
    sink.broken = new Error('disk on fire');
    const { err } = await call(Buffer.from(ProtobufTraceSerializer.serializeRequest(sdkSpans())!), metadata());
    sink.broken = undefined;
    assert.equal(err?.code, grpc.status.INTERNAL);
    assert.deepEqual(
      errors.entries.map((e) => [e.signal, e.transport, (e.err as Error).message]),
      [['traces', 'grpc', 'disk on fire']],
    );
  });
});
