// decodeLogs against the OpenTelemetry SDK's serializers: body, severity, times, trace link,
// exception and user conventions, identical records for protobuf and JSON, and rejections.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { decodeLogs } from './logs.js';
import { defaultIngestLimits } from './limits.js';
import { otlpTypes } from './proto/root.js';
import { LINKED_SPAN, LINKED_TRACE, T0, sdkLogs } from './testing/sdk-telemetry.js';

void describe('decodeLogs', () => {
  const records = sdkLogs();
  const proto = decodeLogs(Buffer.from(ProtobufLogsSerializer.serializeRequest(records)!), 'protobuf');
  const json = decodeLogs(Buffer.from(JsonLogsSerializer.serializeRequest(records)!), 'json');

  void it('reads every log field the SDK sent, in protobuf', () => {
    assert.equal(proto.rejected.count, 0);
    assert.equal(proto.logs.length, 2);
    const [err, info] = proto.logs;
    assert.deepEqual(
      { ...err!, resourceAttributes: undefined },
      {
        service: 'checkout',
        serviceVersion: '2.3.1',
        environment: 'staging',
        timeMs: T0 * 1000 + 5.000001,
        observedTimeMs: T0 * 1000 + 6,
        severityNumber: 17,
        severityText: 'ERROR',
        body: 'payment 17 failed',
        traceId: LINKED_TRACE,
        spanId: LINKED_SPAN,
        scopeName: 'shop-logs',
        userId: 'u-7',
        exceptionType: 'TimeoutError',
        exceptionMessage: 'payments timed out',
        exceptionStacktrace: 'at charge (pay.js:10:5)',
        resourceAttributes: undefined,
        attributes: {
          'exception.type': 'TimeoutError',
          'exception.message': 'payments timed out',
          'exception.stacktrace': 'at charge (pay.js:10:5)',
          'enduser.id': 'u-7',
          attempt: '2',
        },
      },
    );
    assert.equal(err!.resourceAttributes['host.name'], 'h1');
    assert.equal(info!.body, '{"order":17,"items":["a","b"],"ok":true}');
    assert.deepEqual([info!.severityNumber, info!.traceId, info!.spanId, info!.userId], [9, '', '', '']);
  });

  void it('gives identical records for the JSON encoding', () => {
    assert.equal(json.rejected.count, 0);
    assert.deepEqual(json.logs, proto.logs);
  });

  void it('falls back to the observed time and rejects bad trace ids and over-long bodies', () => {
    const request = otlpTypes.logsRequest.fromObject({
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { observedTimeUnixNano: '1764000000000000000', body: { stringValue: 'ok' } },
                { timeUnixNano: '1764000000000000000', traceId: Buffer.alloc(5, 1), body: { stringValue: 'bad id' } },
                { timeUnixNano: '1764000000000000000', body: { stringValue: 'y'.repeat(100) } },
              ],
            },
          ],
        },
      ],
    });
    const out = decodeLogs(Buffer.from(otlpTypes.logsRequest.encode(request).finish()), 'protobuf', { ...defaultIngestLimits, maxAttributeValueLength: 64 });
    assert.equal(out.logs.length, 1);
    assert.equal(out.logs[0]!.timeMs, 1_764_000_000_000);
    assert.deepEqual(out.rejected, {
      count: 2,
      reasons: [
        'log record trace_id must be empty or 16 bytes (got 5)',
        'log record body is 100 characters long, over the limit ingest.maxAttributeValueLength=64',
      ],
    });
  });
});
