// decodeTraces against the OpenTelemetry SDK's own serializers (protobuf and JSON): every field of
// every span comes back, both encodings give identical records, and bad items are rejected.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { decodeTraces } from './traces.js';
import { defaultIngestLimits } from './limits.js';
import { otlpTypes } from './proto/root.js';
import { T0, sdkSpans } from './testing/sdk-telemetry.js';

function hrToMs(t: [number, number]): number {
  return t[0] * 1000 + t[1] / 1e6;
}

void describe('decodeTraces', () => {
  const spans = sdkSpans();
  const proto = decodeTraces(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!), 'protobuf');
  const json = decodeTraces(Buffer.from(JsonTraceSerializer.serializeRequest(spans)!), 'json');

  void it('reads every span field the SDK sent, in protobuf', () => {
    assert.equal(proto.rejected.count, 0);
    assert.equal(proto.spans.length, 3);
    for (const sdk of spans) {
      const s = proto.spans.find((x) => x.spanId === sdk.spanContext().spanId)!;
      assert.ok(s, sdk.name);
      assert.equal(s.traceId, sdk.spanContext().traceId);
      assert.equal(s.parentSpanId, sdk.parentSpanContext?.spanId ?? '');
      assert.equal(s.name, sdk.name);
      assert.equal(s.service, 'checkout');
      assert.equal(s.serviceVersion, '2.3.1');
      assert.equal(s.environment, 'staging');
      assert.equal(s.scopeName, 'shop-scope');
      assert.equal(s.resourceAttributes['host.name'], 'h1');
      assert.ok(Math.abs(s.startTimeMs - hrToMs(sdk.startTime)) < 1e-6, `${s.startTimeMs} vs ${hrToMs(sdk.startTime)}`);
      assert.ok(Math.abs(s.durationMs - hrToMs(sdk.duration)) < 1e-6, `${s.durationMs} vs ${hrToMs(sdk.duration)}`);
    }
    const root = proto.spans.find((s) => s.name === 'POST /api/pay')!;
    assert.equal(root.kind, 'server');
    assert.equal(root.statusCode, 'ok');
    assert.ok(Math.abs(root.startTimeMs - (T0 * 1000 + 123.456789)) < 1e-6);
    assert.equal(root.httpMethod, 'POST');
    assert.equal(root.httpRoute, '/api/pay');
    assert.equal(root.httpStatusCode, 502);
    assert.equal(root.userId, 'u-42');
    assert.equal(root.parentSpanId, '');
    assert.deepEqual(
      { tags: root.attributes.tags, retry: root.attributes['retry.count'], ratio: root.attributes.ratio, cached: root.attributes.cached },
      { tags: '["a","b"]', retry: '3', ratio: '0.25', cached: 'false' },
    );
    const db = proto.spans.find((s) => s.name === 'SELECT orders')!;
    assert.deepEqual([db.kind, db.dbSystem, db.dbNamespace, db.dbOperation, db.peerService], ['client', 'postgresql', 'shop', 'SELECT', 'shop']);
    assert.equal(db.durationMs, 50.000001);
    const pay = proto.spans.find((s) => s.name === 'charge')!;
    assert.deepEqual(
      [pay.statusCode, pay.statusMessage, pay.peerService, pay.httpMethod, pay.httpStatusCode],
      ['error', 'upstream timeout', 'payments', 'GET', 503],
    );
    assert.deepEqual([pay.exceptionType, pay.exceptionMessage], ['TimeoutError', 'payments timed out']);
    assert.match(pay.exceptionStacktrace, /at charge \(pay\.js:10:5\)/);
    assert.equal(pay.events.length, 2);
    assert.deepEqual(pay.events[1], { timeMs: 1_764_000_000_950, name: 'second', attributes: { n: '2' } });
    assert.deepEqual(pay.links, [{ traceId: db.traceId, spanId: db.spanId, attributes: { why: 'retry-of' } }]);
  });

  void it('gives identical records for the JSON encoding', () => {
    assert.equal(json.rejected.count, 0);
    const byId = (a: { spanId: string }, b: { spanId: string }): number => a.spanId.localeCompare(b.spanId);
    assert.deepEqual([...json.spans].sort(byId), [...proto.spans].sort(byId));
  });

  void it('rejects spans with bad ids, too many attributes or over-long values, naming the limit', () => {
    const good = {
      traceId: Buffer.alloc(16, 1),
      spanId: Buffer.alloc(8, 2),
      name: 'ok',
      startTimeUnixNano: '1764000000000000001',
      endTimeUnixNano: '1764000000000000002',
    };
    const many = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, i]));
    const request = otlpTypes.traceRequest.fromObject({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                good,
                { ...good, traceId: Buffer.alloc(15, 1) },
                { ...good, spanId: Buffer.alloc(8, 0) },
                { ...good, attributes: Object.entries(many).map(([key, v]) => ({ key, value: { intValue: v } })) },
                { ...good, attributes: [{ key: 'long', value: { stringValue: 'x'.repeat(40) } }] },
              ],
            },
          ],
        },
      ],
    });
    const bytes = Buffer.from(otlpTypes.traceRequest.encode(request).finish());
    const limits = { ...defaultIngestLimits, maxAttributesPerItem: 4, maxAttributeValueLength: 32 };
    const out = decodeTraces(bytes, 'protobuf', limits);
    assert.equal(out.spans.length, 1);
    assert.equal(out.spans[0]!.service, 'unknown_service');
    assert.equal(out.rejected.count, 4);
    assert.deepEqual(out.rejected.reasons, [
      'span trace_id must be 16 bytes (got 15)',
      'span span_id must not be all zeros',
      'span has 5 attributes, over the limit ingest.maxAttributesPerItem=4',
      'span attribute "long" is 40 characters long, over the limit ingest.maxAttributeValueLength=32',
    ]);
  });

  void it('applies a resource and scope written after their spans', () => {
    const ResourceSpans = otlpTypes.traceRequest.lookupType('opentelemetry.proto.trace.v1.ResourceSpans');
    const ScopeSpans = otlpTypes.traceRequest.lookupType('opentelemetry.proto.trace.v1.ScopeSpans');
    const span = { traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2), name: 'late', startTimeUnixNano: '1764000000000000000' };
    const scope = Buffer.concat([ScopeSpans.encode({ spans: [span] }).finish(), ScopeSpans.encode({ scope: { name: 'late-scope' } }).finish()]);
    const scopeField = Buffer.concat([Buffer.from([0x12, scope.length]), scope]);
    const resource = ResourceSpans.encode({ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'late-svc' } }] } }).finish();
    const rs = Buffer.concat([scopeField, resource]);
    const out = decodeTraces(Buffer.concat([Buffer.from([0x0a, rs.length]), rs]), 'protobuf');
    assert.deepEqual(
      out.spans.map((s) => [s.name, s.service, s.scopeName, s.resourceAttributes['service.name']]),
      [['late', 'late-svc', 'late-scope', 'late-svc']],
    );
  });

  void it('lifts an HTTP status code only when the UInt16 column of the store can hold it (found by the fuzzer)', () => {
    const span = (code: string, n: number): unknown => ({
      traceId: 'ab'.repeat(16),
      spanId: String(n).padStart(16, '0'),
      name: 'x',
      startTimeUnixNano: '1764000000000000000',
      attributes: [{ key: 'http.response.status_code', value: { stringValue: code } }],
    });
    const out = decodeTraces({ resourceSpans: [{ scopeSpans: [{ spans: [span('503', 1), span('99999999999999999999', 2), span('70000', 3)] }] }] }, 'json');
    assert.deepEqual(
      out.spans.map((s) => s.httpStatusCode),
      [503, 0, 0],
    );
  });

  void it('rejects spans beyond maxItemsPerRequest', () => {
    const out = decodeTraces(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!), 'protobuf', { ...defaultIngestLimits, maxItemsPerRequest: 2 });
    assert.equal(out.spans.length, 2);
    assert.equal(out.rejected.count, 1);
    assert.match(out.rejected.reasons[0]!, /maxItemsPerRequest=2/);
  });

  void it('throws on malformed bodies', () => {
    const bytes = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
    assert.throws(() => decodeTraces(bytes.subarray(0, bytes.length - 7), 'protobuf'), /truncated|malformed/);
    assert.throws(() => decodeTraces(Buffer.from('{"resourceSpans": [ {'), 'json'), /not valid JSON/);
    assert.throws(() => decodeTraces({ resourceSpans: {} }, 'json'), /resourceSpans must be an array/);
    assert.throws(() => decodeTraces({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'zz' }] }] }] }, 'json'), /traceId must be a hex string/);
  });

  void it('accepts snake_case JSON field names, enum names and numeric int64s', () => {
    const out = decodeTraces(
      {
        resource_spans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { string_value: 'api' } }] },
            scope_spans: [
              {
                spans: [
                  {
                    trace_id: 'AB'.repeat(16),
                    span_id: 'cd'.repeat(8),
                    name: 'x',
                    kind: 'SPAN_KIND_SERVER',
                    start_time_unix_nano: '1764000000001000000',
                    end_time_unix_nano: '1764000000003000000',
                    status: { code: 2 },
                  },
                ],
              },
            ],
          },
        ],
      },
      'json',
    );
    assert.equal(out.spans.length, 1);
    assert.deepEqual(
      [out.spans[0]!.service, out.spans[0]!.traceId, out.spans[0]!.kind, out.spans[0]!.startTimeMs, out.spans[0]!.durationMs, out.spans[0]!.statusCode],
      ['api', 'ab'.repeat(16), 'server', 1_764_000_000_001, 2, 'error'],
    );
  });
});
