// The simulator's OTLP/JSON must decode, through Vigil's own OTLP decoder, back into the same
// records: ids, times, kinds, semantic fields, exceptions, resources, log and metric values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeLogs, decodeMetrics, decodeTraces } from '../ingest/index.js';
import { logsRequest, metricsRequest, tracesRequest } from './otlp.js';
import { simulateShop } from './simulate.js';

const T0 = Date.UTC(2026, 0, 12, 10, 0, 0);

void describe('simulator → OTLP/JSON', () => {
  const batches = [...simulateShop({ seed: 4, startMs: T0, durationMs: 30_000, faults: [{ name: 'new-exception-deploy', atMs: T0 }] })];
  const spans = batches.flatMap((b) => b.spans);
  const logs = batches.flatMap((b) => b.logs);
  const metrics = batches.flatMap((b) => b.metrics);

  void it('round-trips spans through the OTLP decoder', () => {
    const decoded = decodeTraces(JSON.stringify(tracesRequest(spans)), 'json').spans;
    assert.equal(decoded.length, spans.length);
    const byId = new Map(decoded.map((s) => [s.spanId, s]));
    for (const s of spans) {
      const d = byId.get(s.spanId);
      assert.ok(d);
      assert.equal(d.traceId, s.traceId);
      assert.equal(d.parentSpanId, s.parentSpanId);
      assert.equal(d.service, s.service);
      assert.equal(d.serviceVersion, s.serviceVersion);
      assert.equal(d.kind, s.kind);
      assert.equal(d.statusCode, s.statusCode);
      assert.equal(d.httpRoute, s.httpRoute);
      assert.equal(d.httpStatusCode, s.httpStatusCode);
      assert.equal(d.peerService, s.peerService);
      assert.equal(d.userId, s.userId);
      assert.equal(d.exceptionType, s.exceptionType);
      assert.ok(Math.abs(d.startTimeMs - s.startTimeMs) < 0.01);
      assert.ok(Math.abs(d.durationMs - s.durationMs) < 0.01);
    }
    assert.ok(decoded.some((s) => s.exceptionType === 'TypeError'));
  });

  void it('round-trips logs and metrics', () => {
    const decodedLogs = decodeLogs(JSON.stringify(logsRequest(logs)), 'json').logs;
    assert.equal(decodedLogs.length, logs.length);
    assert.deepEqual(new Set(decodedLogs.map((l) => l.body)), new Set(logs.map((l) => l.body)));
    assert.ok(decodedLogs.filter((l) => l.severityText === 'ERROR').every((l) => l.traceId.length === 32));
    const decodedMetrics = decodeMetrics(JSON.stringify(metricsRequest(metrics)), 'json').metrics;
    assert.equal(decodedMetrics.length, metrics.length);
    const max = decodedMetrics.find((m) => m.name === 'db.client.connection.max' && m.attributes['db.client.connection.pool.name'] === 'payment-db');
    assert.equal(max?.value, 50);
    const wait = decodedMetrics.find((m) => m.name === 'db.client.connection.wait_time');
    assert.equal(wait?.type, 'histogram');
  });
});
