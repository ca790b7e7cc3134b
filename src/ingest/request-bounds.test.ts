// Whole-request bounds: the 4 MB amplification shape (one resource with huge attributes copied
// into many tiny spans) stays within ingest.maxAmplification, and item times the store cannot hold
// or that sit years ahead of their request are rejected with partial success, never stored.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { Attributes, Span } from '../model/index.js';
import { defaultIngestLimits } from './limits.js';
import { decodeLogs } from './logs.js';
import { decodeMetrics } from './metrics.js';
import { amplificationRequest, spanBytes, traceRequestOf } from './testing/otlp-bytes.js';
import { sdkSpans } from './testing/sdk-telemetry.js';
import { decodeTraces } from './traces.js';

const T = 1_764_000_000_000_000_000n;
const YEAR_NS = 366n * 86_400n * 1_000_000_000n;

/** Bytes of the resource (its attribute map and its identity columns) and scope name the rows would
 * carry into the write-ahead log: one copy per row. */
function copiedResourceBytes(rows: Span[]): number {
  const sizes = new Map<Attributes, number>();
  let total = 0;
  for (const row of rows) {
    let size = sizes.get(row.resourceAttributes);
    if (size === undefined)
      sizes.set(
        row.resourceAttributes,
        (size = JSON.stringify(row.resourceAttributes).length + row.service.length + row.serviceVersion.length + row.environment.length),
      );
    total += size + row.scopeName.length;
  }
  return total;
}

void describe('request bounds', () => {
  void it('keeps a 4 MB request of one huge resource and many tiny spans within 8× its size, and says so', () => {
    const { body, spans } = amplificationRequest(4_000_000, T);
    const out = decodeTraces(body, 'protobuf');
    const copied = copiedResourceBytes(out.spans);
    assert.ok(copied <= 8 * body.length, `${copied} bytes copied into rows from a ${body.length}-byte request`);
    assert.ok(out.spans.length > 0, 'the spans within the bound are kept');
    assert.equal(out.spans.length + out.rejected.count, spans, 'every span is stored or counted as rejected');
    assert.ok(
      out.rejected.reasons.some((r) => r.includes('ingest.maxAmplification=8')),
      String(out.rejected.reasons),
    );
    assert.equal(out.spans[0]!.service, 'a'.repeat(defaultIngestLimits.maxResourceAttributeValueLength));
  });

  void it('leaves an ordinary SDK request untouched', () => {
    const out = decodeTraces(Buffer.from(ProtobufTraceSerializer.serializeRequest(sdkSpans())!), 'protobuf');
    assert.deepEqual(out.rejected, { count: 0, reasons: [] });
    assert.equal(out.spans[0]!.resourceAttributes['host.name'], 'h1');
  });

  void it('rejects spans at time 0, before 1971, after 2100 or years ahead of their request, naming why', () => {
    const times = [0n, 1_000_000n, 7_258_118_400_000_000_000n, T + 5n * YEAR_NS, T, T + 1n, T + 2n];
    const out = decodeTraces(traceRequestOf(times.map((t, n) => spanBytes(n, t))), 'protobuf');
    assert.deepEqual(
      out.spans.map((s) => s.name),
      ['s4', 's5', 's6'],
    );
    assert.equal(out.rejected.count, 4);
    assert.deepEqual(out.rejected.reasons, [
      'span start_time_unix_nano is 0 (unset)',
      'span start_time_unix_nano is before 1971-01-01',
      'span start_time_unix_nano is after 2100-01-01',
      "spans more than 366 days ahead of the request's median time were rejected (a broken clock)",
    ]);
  });

  void it('says nothing about a request spread over years (backfill) when no span is far ahead of its median (found by the fuzzer)', () => {
    const times = [T - 4n * YEAR_NS, T - 86_400_000_000_000n, T];
    const out = decodeTraces(traceRequestOf(times.map((t, n) => spanBytes(n, t))), 'protobuf');
    assert.deepEqual(out.rejected, { count: 0, reasons: [] });
  });

  void it('judges a log record without time at its observed time, and rejects one with neither', () => {
    const out = decodeLogs(
      {
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  { observedTimeUnixNano: T.toString(), body: { stringValue: 'observed' } },
                  { body: { stringValue: 'timeless' } },
                  { timeUnixNano: '5', observedTimeUnixNano: T.toString() },
                ],
              },
            ],
          },
        ],
      },
      'json',
    );
    assert.deepEqual(
      out.logs.map((l) => [l.body, l.timeMs]),
      [['observed', 1_764_000_000_000]],
    );
    assert.equal(out.rejected.count, 2);
    assert.match(out.rejected.reasons[0]!, /time_unix_nano, else observed_time_unix_nano\) is 0/);
    assert.match(out.rejected.reasons[1]!, /time_unix_nano is before 1971/);
  });

  void it('rejects metric points with no time or a start time past 2100', () => {
    const point = (timeUnixNano: string, startTimeUnixNano = '0'): unknown => ({ timeUnixNano, startTimeUnixNano, asDouble: 1 });
    const out = decodeMetrics(
      {
        resourceMetrics: [
          {
            scopeMetrics: [{ metrics: [{ name: 'm', gauge: { dataPoints: [point('0'), point(T.toString()), point(T.toString(), '9000000000000000000')] } }] }],
          },
        ],
      },
      'json',
    );
    assert.equal(out.metrics.length, 1);
    assert.equal(out.rejected.count, 2);
    assert.deepEqual(out.rejected.reasons, ['data point time_unix_nano is 0 (unset)', 'data point start_time_unix_nano is after 2100-01-01']);
  });
});
