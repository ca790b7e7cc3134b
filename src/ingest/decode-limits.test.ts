// The decoders under hostile input: AnyValues nested 10,000 deep (a 400, never a stack overflow),
// values with too many elements, over-long names and keys, too many events and links, oversized
// resources and scopes (trimmed with a warning), and lone surrogates (made well-formed).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OtlpDecodeError } from './errors.js';
import { defaultIngestLimits } from './limits.js';
import { decodeLogs } from './logs.js';
import { decodeMetrics } from './metrics.js';
import { keyValue, lenField, logBytes, logsRequestOf, nestedAnyValue, spanBytes, traceRequestOf } from './testing/otlp-bytes.js';
import { decodeTraces } from './traces.js';

const T = 1_764_000_000_000_000_000n;
const TS = T.toString();
const depthError = (err: unknown): boolean => err instanceof OtlpDecodeError && /ingest\.maxAnyValueDepth/.test(err.message);

/** An AnyValue nested `depth` arrays deep, as JSON text (JSON.stringify itself would overflow). */
function deepJsonText(depth: number): string {
  return '{"arrayValue":{"values":['.repeat(depth) + '{"stringValue":"bottom"}' + ']}}'.repeat(depth);
}

function deepJson(depth: number): unknown {
  return JSON.parse(deepJsonText(depth));
}

const jsonSpan = (extra: Record<string, unknown> = {}, n = 1): Record<string, unknown> => ({
  traceId: 'ab'.repeat(16),
  spanId: n.toString(16).padStart(16, '0'),
  name: 'op',
  startTimeUnixNano: TS,
  endTimeUnixNano: TS,
  ...extra,
});
const jsonTraces = (spans: unknown[], resource: unknown[] = [], scope = 'scope'): unknown => ({
  resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ scope: { name: scope }, spans }] }],
});
const attr = (key: string, value: unknown): unknown => ({ key, value });

function metricsRequestWithPointAttribute(kv: Buffer): Buffer {
  const time = Buffer.alloc(8);
  time.writeBigUInt64LE(T);
  const point = Buffer.concat([Buffer.from([0x19]), time, Buffer.from([0x21]), Buffer.alloc(8), lenField(7, kv)]);
  const metric = Buffer.concat([lenField(1, Buffer.from('m')), lenField(5, lenField(1, point))]);
  return lenField(1, lenField(2, lenField(2, metric)));
}

void describe('ingest decode limits', () => {
  void it('answers an AnyValue nested 10,000 deep as malformed (traces, logs, metrics; protobuf and JSON), with no stack overflow', () => {
    const deep = nestedAnyValue(10_000);
    assert.throws(() => decodeTraces(traceRequestOf([spanBytes(0, T, lenField(9, keyValue('deep', deep)))]), 'protobuf'), depthError);
    assert.throws(() => decodeLogs(logsRequestOf([logBytes(T, lenField(5, deep))]), 'protobuf'), depthError);
    assert.throws(() => decodeMetrics(metricsRequestWithPointAttribute(keyValue('deep', deep)), 'protobuf'), OtlpDecodeError);
    const json = deepJsonText(10_000);
    const span = JSON.stringify(jsonTraces([jsonSpan({ attributes: [attr('deep', 'DEEP')] })])).replace('"DEEP"', json);
    assert.throws(() => decodeTraces(Buffer.from(span), 'json'), depthError);
    assert.throws(
      () => decodeLogs(Buffer.from(`{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"${TS}","body":${json}}]}]}]}`), 'json'),
      depthError,
    );
    const metrics = `{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"m","gauge":{"dataPoints":[{"timeUnixNano":"${TS}","asDouble":1,"attributes":[{"key":"deep","value":${json}}]}]}}]}]}]}`;
    assert.throws(() => decodeMetrics(Buffer.from(metrics), 'json'), depthError);
  });

  void it('takes nesting up to ingest.maxAnyValueDepth and refuses one level more', () => {
    const at = (depth: number) => decodeTraces(traceRequestOf([spanBytes(0, T, lenField(9, keyValue('deep', nestedAnyValue(depth))))]), 'protobuf');
    assert.equal(at(64).spans.length, 1);
    assert.throws(() => at(65), depthError);
    assert.equal(decodeTraces(jsonTraces([jsonSpan({ attributes: [attr('deep', deepJson(64))] })]), 'json').spans.length, 1);
    assert.throws(() => decodeTraces(jsonTraces([jsonSpan({ attributes: [attr('deep', deepJson(65))] })]), 'json'), depthError);
  });

  void it('rejects only the item whose value has more than ingest.maxAnyValueElements elements', () => {
    const limits = { ...defaultIngestLimits, maxAnyValueElements: 10 };
    const wide = { arrayValue: { values: Array.from({ length: 11 }, (_, i) => ({ intValue: i })) } };
    const out = decodeTraces(jsonTraces([jsonSpan({ attributes: [attr('wide', wide)] }, 1), jsonSpan({}, 2)]), 'json', limits);
    assert.deepEqual([out.spans.length, out.rejected.count], [1, 1]);
    assert.match(out.rejected.reasons[0]!, /ingest\.maxAnyValueElements=10/);
    const wideProto = Buffer.concat(Array.from({ length: 11 }, () => lenField(1, Buffer.alloc(0))));
    const logs = decodeLogs(logsRequestOf([logBytes(T, lenField(5, lenField(5, wideProto))), logBytes(T)]), 'protobuf', limits);
    assert.deepEqual([logs.logs.length, logs.rejected.count], [1, 1]);
    assert.match(logs.rejected.reasons[0]!, /ingest\.maxAnyValueElements=10/);
  });

  void it('rejects over-long span and event names and keys, and too many events or links, naming the limit', () => {
    const limits = { ...defaultIngestLimits, maxNameLength: 16, maxAttributeKeyLength: 16, maxEventsPerSpan: 2, maxLinksPerSpan: 1 };
    const event = (name: string): unknown => ({ timeUnixNano: TS, name });
    const link = { traceId: 'cd'.repeat(16), spanId: 'ef'.repeat(8) };
    const out = decodeTraces(
      jsonTraces([
        jsonSpan({ name: 'n'.repeat(17) }, 1),
        jsonSpan({ events: [event('e'.repeat(17))] }, 2),
        jsonSpan({ events: [event('a'), event('b'), event('c')] }, 3),
        jsonSpan({ links: [link, link] }, 4),
        jsonSpan({ attributes: [attr('k'.repeat(17), { stringValue: 'v' })] }, 5),
        jsonSpan({ name: 'n'.repeat(16), events: [event('a'), event('b')], links: [link] }, 6),
      ]),
      'json',
      limits,
    );
    assert.deepEqual(
      out.spans.map((s) => s.spanId),
      ['6'.padStart(16, '0')],
    );
    assert.equal(out.rejected.count, 5);
    assert.deepEqual(
      out.rejected.reasons.map((r) => /ingest\.(\w+)=/.exec(r)?.[1]),
      ['maxNameLength', 'maxNameLength', 'maxEventsPerSpan', 'maxLinksPerSpan', 'maxAttributeKeyLength'],
    );
  });

  void it('trims an oversized resource and scope name instead of rejecting their items, keeping the identity and warning', () => {
    const limits = { ...defaultIngestLimits, maxResourceAttributes: 4, maxResourceAttributeValueLength: 64, maxNameLength: 16 };
    const resource = [
      ...Array.from({ length: 6 }, (_, i) => attr(`extra.${i}`, { stringValue: 'x' })),
      attr('service.name', { stringValue: 'pay' }),
      attr('cmd', { stringValue: 'a'.repeat(63) + '😀' }),
    ];
    const out = decodeTraces(jsonTraces([jsonSpan()], resource, 's'.repeat(40)), 'json', limits);
    assert.equal(out.spans.length, 1);
    const span = out.spans[0]!;
    assert.equal(span.service, 'pay');
    assert.deepEqual(Object.keys(span.resourceAttributes), ['service.name', 'extra.0', 'extra.1', 'extra.2']);
    assert.equal(span.scopeName, 's'.repeat(16));
    assert.equal(out.rejected.count, 0);
    assert.ok(
      out.rejected.reasons.some((r) => r.includes('ingest.maxResourceAttributes=4')),
      String(out.rejected.reasons),
    );
    assert.ok(
      out.rejected.reasons.some((r) => r.includes('ingest.maxNameLength=16')),
      String(out.rejected.reasons),
    );
    const cut = decodeTraces(jsonTraces([jsonSpan()], [attr('cmd', { stringValue: 'a'.repeat(63) + '😀' })]), 'json', limits).spans[0]!;
    assert.equal(cut.resourceAttributes.cmd, 'a'.repeat(63), 'the emoji is dropped whole, not cut in half');
  });

  void it('makes every JSON string well-formed: lone surrogates become U+FFFD in names, keys, values, nested values, bodies and resources', () => {
    const lone = 'x\ud83d';
    const out = decodeTraces(
      Buffer.from(
        JSON.stringify(
          jsonTraces(
            [
              jsonSpan({
                name: lone,
                attributes: [
                  attr(lone, { stringValue: lone }),
                  attr('nested', { kvlistValue: { values: [attr(lone, { arrayValue: { values: [{ stringValue: lone }] } })] } }),
                ],
                events: [{ timeUnixNano: TS, name: lone }],
                status: { message: lone },
              }),
            ],
            [attr('service.name', { stringValue: lone })],
            lone,
          ),
        ),
      ),
      'json',
    );
    const span = out.spans[0]!;
    assert.equal(span.name, 'x\ufffd');
    assert.equal(span.service, 'x\ufffd');
    assert.equal(span.scopeName, 'x\ufffd');
    assert.equal(span.statusMessage, 'x\ufffd');
    assert.equal(span.attributes['x\ufffd'], 'x\ufffd');
    assert.equal(span.attributes.nested, '{"x\ufffd":["x\ufffd"]}');
    assert.equal(span.events[0]!.name, 'x\ufffd');
    assert.doesNotMatch(JSON.stringify(out.spans), /\\ud[89a-f]/i, 'no surrogate escape reaches a row');
    const logs = decodeLogs(
      { resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: TS, severityText: lone, body: { stringValue: lone } }] }] }] },
      'json',
    ).logs;
    assert.deepEqual([logs[0]!.body, logs[0]!.severityText], ['x\ufffd', 'x\ufffd']);
  });

  void it('turns invalid UTF-8 in protobuf strings into U+FFFD', () => {
    const bad = Buffer.from([0x61, 0xed, 0xa0, 0xbd, 0xff]);
    const out = decodeTraces(traceRequestOf([spanBytes(0, T, lenField(9, keyValue('k', lenField(1, bad))))]), 'protobuf');
    assert.equal(out.spans[0]!.attributes.k, 'a\ufffd\ufffd\ufffd\ufffd');
    assert.ok(out.spans[0]!.attributes.k.isWellFormed());
  });
});
