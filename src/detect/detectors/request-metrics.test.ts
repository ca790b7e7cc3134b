// Request figures that arrive as metrics only (a load balancer's or CloudWatch's latency, request
// and failure counts every 5 min, no spans): a latency rise or a burst of failures of one component
// opens an incident naming it, steady noise and a lone failure against none stay silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricPoint, Signal } from '../../model/index.js';
import { makeMetric } from '../../../test/support/records.js';
import { IncidentEngine } from '../../incidents/index.js';
import { rankRootCauses } from '../../rca/index.js';
import { DetectionEngine } from '../engine.js';
import { seededRandom } from '../testing/random.js';
import { requestMeasureOf } from './request-metrics.js';

const MIN = 60_000;
const T0 = 1_793_620_800_000;
const EXPORT_MS = 5 * MIN;
const COMPONENTS = ['frontend', 'search', 'adoptions', 'payments'];
const noTopology = { neighbours: (): string[] => [], isEntry: (): boolean => false };

interface Fault {
  service: string;
  atMs: number;
  /** Latency multiplied by this, and this share of requests failing, from atMs on. */
  slower?: number;
  failing?: number;
}

function exportAt(t: number, random: () => number, fault: Fault | undefined): MetricPoint[] {
  return COMPONENTS.flatMap((service, i) => {
    const hit = fault && fault.service === service && t >= fault.atMs;
    const requests = Math.round((300 + 100 * i) * (0.9 + 0.2 * random()));
    // About one failure in 400 requests, in small bursts.
    const failures = Math.round((hit ? (fault.failing ?? 0) * requests : 0) + (random() < 0.3 ? 2 * random() : 0));
    const latency = (0.05 + 0.02 * i) * (0.9 + 0.2 * random()) * (hit ? (fault.slower ?? 1) : 1);
    const gauge = (name: string, unit: string, value: number): MetricPoint => makeMetric({ service, name, unit, type: 'gauge', timeMs: t, value });
    return [
      gauge('http.server.request.duration', 's', latency),
      gauge('http.server.request.count', '{request}', requests),
      gauge('http.server.request.failed', '{request}', failures),
    ];
  });
}

function replay(
  seed: number,
  minutes: number,
  fault?: Fault,
): { signals: Signal[]; opened: Array<{ atMs: number; services: string[] }>; incidents: IncidentEngine } {
  const detection = new DetectionEngine({});
  const incidents = new IncidentEngine({});
  const random = seededRandom(seed);
  const signals: Signal[] = [];
  const opened: Array<{ atMs: number; services: string[] }> = [];
  for (let t = T0; t < T0 + minutes * MIN; t += EXPORT_MS) {
    detection.observeMetrics(exportAt(t, () => random.next(), fault));
    for (let now = t + 10_000; now <= t + EXPORT_MS; now += 10_000) {
      const fired = detection.advance(now);
      signals.push(...fired);
      for (const u of incidents.onSignals(fired, now, noTopology)) if (u.event === 'opened') opened.push({ atMs: now, services: [...u.incident.services] });
    }
  }
  return { signals, opened, incidents };
}

test('request measures by name: latency, failures and requests under semantic-convention and Prometheus names; resources and histogram parts are not', () => {
  for (const name of ['http.server.request.duration', 'rpc.server.duration', 'http_request_duration_seconds', 'response_time_ms'])
    assert.equal(requestMeasureOf(name), 'latency', name);
  for (const name of ['http.server.request.failed', 'http_errors', 'grpc_server_failures']) assert.equal(requestMeasureOf(name), 'failures', name);
  for (const name of ['http.server.request.count', 'http_requests']) assert.equal(requestMeasureOf(name), 'requests', name);
  for (const name of ['process.cpu.utilization', 'http_request_duration_seconds_bucket', 'kpi.orders', 'db.client.connection.pending_requests'])
    assert.equal(requestMeasureOf(name), undefined, name);
});

test('a metric-only component whose requests slow down 3x opens an incident naming it within two exports; the ranking puts it first', () => {
  const fault = { service: 'search', atMs: T0 + 120 * MIN, slower: 3 };
  const { signals, opened, incidents } = replay(1, 150, fault);
  assert.deepEqual(
    signals.filter((s) => s.startedAtMs < fault.atMs).map((s) => s.summary),
    [],
  );
  assert.deepEqual(
    opened.map((o) => o.services),
    [['search']],
  );
  assert.ok(opened[0]!.atMs - fault.atMs <= 2 * EXPORT_MS, `detected after ${(opened[0]!.atMs - fault.atMs) / MIN} min`);
  const incident = incidents.list({ status: 'all' })[0]!;
  assert.equal(rankRootCauses({ signals: incident.signals, changes: [], onsetMs: incident.startedAtMs, nowMs: T0 + 150 * MIN })[0]?.service, 'search');
});

test("5% of a component's requests failing opens an incident; noise with bursts of one or two failures stays silent for 8 hours", () => {
  const fault = { service: 'adoptions', atMs: T0 + 120 * MIN, failing: 0.05 };
  const failing = replay(2, 150, fault);
  assert.deepEqual(
    failing.opened.map((o) => o.services),
    [['adoptions']],
  );
  assert.ok(failing.signals.every((s) => s.startedAtMs >= fault.atMs));
  for (const seed of [3, 4])
    assert.deepEqual(
      replay(seed, 8 * 60).signals.map((s) => s.summary),
      [],
      `seed ${seed}`,
    );
});
