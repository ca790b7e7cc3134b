// decodeMetrics against the OpenTelemetry SDK's serializers: each metric type the SDK emits
// (sum, up-down sum, gauge, histogram, exponential histogram) plus a hand-built summary.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { decodeMetrics } from './metrics.js';
import { otlpTypes } from './proto/root.js';
import { sdkMetrics } from './testing/sdk-telemetry.js';
import type { MetricPoint } from '../model/index.js';

function byName(points: MetricPoint[], name: string): MetricPoint {
  const p = points.find((x) => x.name === name);
  assert.ok(p, `metric ${name}`);
  return p;
}

void describe('decodeMetrics', async () => {
  const rm = await sdkMetrics();
  const proto = decodeMetrics(Buffer.from(ProtobufMetricsSerializer.serializeRequest(rm)!), 'protobuf');
  const json = decodeMetrics(Buffer.from(JsonMetricsSerializer.serializeRequest(rm)!), 'json');

  void it('reads each metric type the SDK sent, in protobuf', () => {
    assert.equal(proto.rejected.count, 0);
    assert.equal(proto.metrics.length, 5);
    const counter = byName(proto.metrics, 'orders.placed');
    assert.deepEqual(
      [counter.type, counter.temporality, counter.isMonotonic, counter.value, counter.unit, counter.description, counter.attributes.region],
      ['sum', 'cumulative', true, 5, '{order}', 'orders', 'eu'],
    );
    assert.deepEqual([counter.service, counter.serviceVersion, counter.environment], ['checkout', '2.3.1', 'staging']);
    assert.ok(counter.timeMs > 1.7e12 && counter.startTimeMs > 1.7e12 && counter.timeMs >= counter.startTimeMs);
    const updown = byName(proto.metrics, 'queue.depth');
    assert.deepEqual([updown.type, updown.isMonotonic, updown.value], ['sum', false, -3]);
    const gauge = byName(proto.metrics, 'pool.used');
    assert.deepEqual([gauge.type, gauge.value, gauge.attributes.pool], ['gauge', 7.5, 'payments']);
    const h = byName(proto.metrics, 'payment.latency');
    assert.deepEqual([h.type, h.count, h.sum, h.min, h.max, h.bucketCounts, h.explicitBounds], ['histogram', 5, 5615, 5, 5000, [1, 2, 1, 1], [10, 100, 1000]]);
    const e = byName(proto.metrics, 'payment.latency.exp');
    assert.equal(e.type, 'exponential_histogram');
    assert.deepEqual([e.count, e.sum, e.min, e.max, e.expZeroCount], [5, 1015, 1, 1000, 0]);
    assert.ok(e.expScale <= 20 && e.expPositiveCounts.length > 0);
    assert.equal(
      e.expPositiveCounts.reduce((a, b) => a + b, 0),
      5,
    );
    assert.deepEqual(e.expNegativeCounts, []);
  });

  void it('gives identical records for the JSON encoding', () => {
    assert.equal(json.rejected.count, 0);
    assert.deepEqual(json.metrics, proto.metrics);
  });

  void it('reads summaries and 64-bit integer values', () => {
    const request = otlpTypes.metricsRequest.fromObject({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'rpc.latency',
                  summary: {
                    dataPoints: [
                      {
                        timeUnixNano: '1764000000000000000',
                        count: 10,
                        sum: 42.5,
                        quantileValues: [
                          { quantile: 0.5, value: 3 },
                          { quantile: 0.99, value: 9.5 },
                        ],
                      },
                    ],
                  },
                },
                {
                  name: 'bytes.total',
                  sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [{ timeUnixNano: '1764000000000000000', asInt: '9007199254740993' }] },
                },
              ],
            },
          ],
        },
      ],
    });
    const out = decodeMetrics(Buffer.from(otlpTypes.metricsRequest.encode(request).finish()), 'protobuf');
    const s = byName(out.metrics, 'rpc.latency');
    assert.deepEqual(
      [s.type, s.count, s.sum, s.quantiles, s.timeMs],
      [
        'summary',
        10,
        42.5,
        [
          { quantile: 0.5, value: 3 },
          { quantile: 0.99, value: 9.5 },
        ],
        1_764_000_000_000,
      ],
    );
    const b = byName(out.metrics, 'bytes.total');
    assert.deepEqual([b.temporality, b.value], ['delta', 9007199254740992]);
  });

  void it('rejects points whose numbers the store cannot hold (found by the fuzzer: one such point got a whole insert refused)', () => {
    const t = '1764000000000000000';
    const histogram = (extra: Record<string, unknown>): unknown => ({ timeUnixNano: t, count: '3', bucketCounts: ['1', '2'], explicitBounds: [10], ...extra });
    const out = decodeMetrics(
      {
        resourceMetrics: [
          {
            scopeMetrics: [
              {
                metrics: [
                  {
                    name: 'h',
                    histogram: {
                      dataPoints: [
                        histogram({}),
                        histogram({ bucketCounts: [1e308, 2] }),
                        histogram({ count: '-5' }),
                        histogram({ count: '99999999999999999999999' }),
                        histogram({ explicitBounds: ['Infinity'] }),
                      ],
                    },
                  },
                  {
                    name: 'e',
                    exponentialHistogram: {
                      dataPoints: [
                        { timeUnixNano: t, scale: 2.5 },
                        { timeUnixNano: t, positive: { offset: 1, bucketCounts: [1.5] } },
                      ],
                    },
                  },
                  { name: 's', summary: { dataPoints: [{ timeUnixNano: t, quantileValues: [{ quantile: 0.5, value: 'NaN' }] }] } },
                ],
              },
            ],
          },
        ],
      },
      'json',
    );
    assert.equal(out.metrics.length, 1);
    assert.equal(out.rejected.count, 7);
    assert.deepEqual(out.rejected.reasons, [
      'data point bucket counts must be unsigned 64-bit integers',
      'data point count and zero_count must be unsigned 64-bit integers',
      'data point explicit_bounds must be finite numbers',
      'data point scale and bucket offsets must be 32-bit integers',
      'summary quantiles and their values must be finite numbers',
    ]);
  });

  void it('throws on a malformed protobuf body', () => {
    assert.throws(() => decodeMetrics(Buffer.from([0x0a, 0xff, 0x01, 0x02]), 'protobuf'), /not an ExportMetricsServiceRequest/);
  });
});
