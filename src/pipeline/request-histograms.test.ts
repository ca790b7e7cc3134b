// Request figures of services known from metrics alone, the way SDKs and Prometheus export them: the
// OpenTelemetry JS SDK's cumulative `http.server.request.duration` histogram split by route and
// status, and Prometheus `http_requests_total{code}` counters that restart. Each export's requests,
// 5xx and mean duration are worked out from the totals; a slowdown or a share of 5xx opens a signal
// naming the service, a counter restart or a service that also sends spans does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { MetricPoint, Signal } from '../model/index.js';
import { makeMetric, makeSpan } from '../../test/support/records.js';
import { decodeMetrics } from '../ingest/metrics.js';
import { DetectionEngine } from '../detect/engine.js';
import { seededRandom } from '../detect/testing/random.js';
import { failedRequest } from '../detect/detectors/request-metrics.js';

const MIN = 60_000;
const T0 = 1_793_620_800_000;
const EXPORT_MS = 30_000;
const SERVICES = ['search', 'payments', 'catalog'];

class CollectingReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

interface Fault {
  service: string;
  atMs: number;
  slower?: number;
  failing?: number;
}

/** One SDK per service, as each process has its own; every export goes through the OTLP protobuf encoding and Vigil's decoder. */
async function sdkReplay(minutes: number, fault?: Fault, traced?: string): Promise<Signal[]> {
  const random = seededRandom(7);
  const sdks = SERVICES.map((service) => {
    const reader = new CollectingReader();
    const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': service }), readers: [reader] });
    const histogram = provider.getMeter('http').createHistogram('http.server.request.duration', { unit: 's' });
    return { service, reader, provider, histogram };
  });
  const engine = new DetectionEngine({});
  const signals: Signal[] = [];
  for (let t = T0; t < T0 + minutes * MIN; t += EXPORT_MS) {
    for (const [i, { service, reader, histogram }] of sdks.entries()) {
      const hit = fault?.service === service && t >= fault.atMs;
      for (let r = 0; r < 150; r++) {
        const route = r % 3 === 0 ? '/api/items' : '/api/items/{id}';
        // About one request in 500 fails as usual; the fault's share on top.
        const failed = random.next() < 0.002 + (hit ? (fault.failing ?? 0) : 0);
        const seconds = (0.04 + 0.01 * i) * (0.5 + random.next()) * (hit ? (fault.slower ?? 1) : 1);
        histogram.record(seconds, { 'http.route': route, 'http.request.method': 'GET', 'http.response.status_code': failed ? 500 : 200 });
      }
      const { resourceMetrics } = await reader.collect();
      const decoded = decodeMetrics(Buffer.from(ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!), 'protobuf');
      assert.equal(decoded.rejected.count, 0);
      // The SDK stamps its wall clock; the replay's clock is the export's.
      engine.observeMetrics(decoded.metrics.map((p) => ({ ...p, timeMs: t })));
      if (service === traced)
        engine.observeSpans(
          Array.from({ length: 20 }, (_, k) =>
            makeSpan({ service, name: 'GET /api/items', httpRoute: '/api/items', kind: 'server', startTimeMs: t - k * 1000, durationMs: 50 }),
          ),
        );
    }
    for (let now = t + 10_000; now <= t + EXPORT_MS; now += 10_000) signals.push(...engine.advance(now));
  }
  for (const { provider } of sdks) await provider.shutdown();
  return signals;
}

const ofRequests = (signals: Signal[]): Signal[] => signals.filter((s) => /http\.server\.request\.duration/.test(s.subject.metric ?? ''));

test('failed requests by attribute: 5xx, server-side gRPC codes, SERVER_ERROR outcomes and error.type; 4xx and OK are not', () => {
  const failing: Array<Record<string, string>> = [
    { 'http.response.status_code': '503' },
    { code: '5xx' },
    { 'rpc.grpc.status_code': '14' },
    { outcome: 'SERVER_ERROR' },
    { 'error.type': 'timeout' },
  ];
  const fine: Array<Record<string, string>> = [
    { 'http.response.status_code': '404' },
    { code: '200' },
    { 'rpc.grpc.status_code': '0' },
    { outcome: 'CLIENT_ERROR' },
    {},
  ];
  for (const a of failing) assert.equal(failedRequest(a), true, JSON.stringify(a));
  for (const a of fine) assert.equal(failedRequest(a), false, JSON.stringify(a));
});

test("the SDK's request-duration histogram of a metric-only service: 20 minutes of history, then a 3x slowdown pages naming it, nothing before", async () => {
  const fault = { service: 'search', atMs: T0 + 20 * MIN, slower: 3 };
  const signals = ofRequests(await sdkReplay(26, fault));
  assert.deepEqual(
    signals.filter((s) => s.startedAtMs < fault.atMs).map((s) => s.summary),
    [],
  );
  assert.deepEqual([...new Set(signals.map((s) => s.subject.service))], ['search'], JSON.stringify(signals.map((s) => s.summary)));
  assert.ok(signals[0]!.detectedAtMs - fault.atMs <= 2 * MIN, `detected ${(signals[0]!.detectedAtMs - fault.atMs) / 1000} s after`);
  assert.match(signals[0]!.summary, /search http\.server\.request\.duration mean rose to \d+ ms from a usual \d+ ms/);
});

test('10% of requests answered 500 (a status attribute set of the histogram) pages as failures within 2 min; a service that also sends spans is left to the span detectors', async () => {
  // 15 failures an export against a usual 0.3: a count's robust z needs a recent median of 8 (the Poisson floor), so 5% of 150 takes about 3.5 min.
  const fault = { service: 'payments', atMs: T0 + 20 * MIN, failing: 0.1 };
  const signals = ofRequests(await sdkReplay(26, fault));
  assert.deepEqual([...new Set(signals.map((s) => `${s.subject.service} ${s.subject.metric}`))], ['payments http.server.request.duration failed']);
  assert.ok(
    signals[0]!.startedAtMs >= fault.atMs && signals[0]!.detectedAtMs - fault.atMs <= 2 * MIN,
    `${(signals[0]!.startedAtMs - fault.atMs) / 1000} s, ${(signals[0]!.detectedAtMs - fault.atMs) / 1000} s: ${signals[0]!.summary}`,
  );
  assert.deepEqual(ofRequests(await sdkReplay(26, fault, 'payments')), []);
});

test('Prometheus request counters by status code: a restart (totals back to zero) is no news; 10% 5xx after it pages', () => {
  const random = seededRandom(3);
  const restartMs = T0 + 20 * MIN;
  const faultMs = T0 + 30 * MIN;
  const totals = new Map<string, number>();
  const engine = new DetectionEngine({});
  const signals: Signal[] = [];
  for (let t = T0; t < T0 + 36 * MIN; t += 15_000) {
    if (t === restartMs) totals.clear();
    const points: MetricPoint[] = [];
    for (const code of ['200', '404', '500']) {
      const share = code === '200' ? 0.95 : code === '404' ? 0.05 : t >= faultMs ? 0.1 : random.next() < 0.05 ? 0.005 : 0;
      const total = (totals.get(code) ?? 0) + Math.round(200 * share * (0.9 + 0.2 * random.next()));
      totals.set(code, total);
      points.push(
        makeMetric({
          service: 'orders',
          name: 'http_requests_total',
          unit: '',
          type: 'sum',
          isMonotonic: true,
          temporality: 'cumulative',
          timeMs: t,
          startTimeMs: t >= restartMs ? restartMs : T0,
          value: total,
          attributes: { code },
        }),
      );
    }
    engine.observeMetrics(points);
    for (let now = t + 5_000; now <= t + 15_000; now += 5_000) signals.push(...engine.advance(now));
  }
  const orders = signals.filter((s) => s.subject.service === 'orders');
  assert.deepEqual(
    orders.filter((s) => s.startedAtMs < faultMs).map((s) => s.summary),
    [],
  );
  assert.equal(orders[0]?.subject.metric, 'http_requests_total failed', JSON.stringify(orders.map((s) => s.summary)));
  assert.ok(orders[0].detectedAtMs - faultMs <= 2 * MIN);
});

test("a client's request histogram (its callees' time) is not its own requests: a 3x slower http.client.request.duration pages nothing", () => {
  const engine = new DetectionEngine({});
  const random = seededRandom(5);
  const signals: Signal[] = [];
  const atMs = T0 + 20 * MIN;
  for (let t = T0; t < T0 + 26 * MIN; t += EXPORT_MS) {
    const count = 150;
    const mean = 0.05 * (0.9 + 0.2 * random.next()) * (t >= atMs ? 3 : 1);
    const point = (name: string): MetricPoint =>
      makeMetric({ service: 'web', name, unit: 's', type: 'histogram', temporality: 'delta', timeMs: t, startTimeMs: t - EXPORT_MS, count, sum: count * mean });
    engine.observeMetrics([point('http.client.request.duration')]);
    for (let now = t + 10_000; now <= t + EXPORT_MS; now += 10_000) signals.push(...engine.advance(now));
  }
  assert.deepEqual(
    signals.map((s) => s.summary),
    [],
  );
  // The same figures as the server's own histogram do page.
  const server = new DetectionEngine({});
  const again = seededRandom(5);
  const own: Signal[] = [];
  for (let t = T0; t < T0 + 26 * MIN; t += EXPORT_MS) {
    const mean = 0.05 * (0.9 + 0.2 * again.next()) * (t >= atMs ? 3 : 1);
    server.observeMetrics([
      makeMetric({
        service: 'web',
        name: 'http.server.request.duration',
        unit: 's',
        type: 'histogram',
        temporality: 'delta',
        timeMs: t,
        startTimeMs: t - EXPORT_MS,
        count: 150,
        sum: 150 * mean,
      }),
    ]);
    for (let now = t + 10_000; now <= t + EXPORT_MS; now += 10_000) own.push(...server.advance(now));
  }
  assert.ok(own.some((s) => s.subject.metric === 'http.server.request.duration mean'));
});
