// Metric-only services, as Prometheus users have them: per-container CPU seconds and memory from a
// scraper (cAdvisor), plus one service exporting OTLP process.cpu.utilization. A CPU hog or a
// memory leak in one of them opens an incident naming it after 20 min of history, a clean run
// opens nothing, and the ranking (no graph at all) puts the culprit first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricPoint, Signal } from '../../model/index.js';
import { makeMetric, makeSpan } from '../../../test/support/records.js';
import { IncidentEngine } from '../../incidents/index.js';
import { rankRootCauses } from '../../rca/index.js';
import { DetectionEngine } from '../engine.js';
import { seededRandom } from '../testing/random.js';
import { resourceClassOf, resourceOwner } from '../resources.js';

const MIN = 60_000;
const T0 = 1_793_620_800_000;
const SCRAPE_MS = 15_000;
const SERVICES = ['carts', 'catalogue', 'orders', 'payment', 'user'];
const noTopology = { neighbours: (): string[] => [], isEntry: (): boolean => false };

type Fault = { service: string; kind: 'cpu' | 'memory'; atMs: number } | undefined;

function scrape(t: number, rand: () => number, totals: Map<string, number>, fault: Fault): MetricPoint[] {
  const out: MetricPoint[] = [];
  for (const [i, service] of SERVICES.entries()) {
    const hit = fault && fault.service === service && t >= fault.atMs;
    const cores = 0.05 + 0.02 * i + 0.015 * rand() + (hit && fault.kind === 'cpu' ? 0.9 : 0);
    const total = (totals.get(service) ?? 1000) + cores * (SCRAPE_MS / 1000);
    totals.set(service, total);
    const leak = hit && fault.kind === 'memory' ? ((t - fault.atMs) / MIN) * 40e6 : 0;
    const memory = 200e6 + 30e6 * i + 8e6 * Math.sin(t / (3 * MIN)) + 4e6 * rand() + leak;
    const attributes = { container: service, pod: `${service}-7d9f8b6c5-x2k4p`, namespace: 'shop' };
    out.push(
      makeMetric({
        service: 'cadvisor',
        name: 'container_cpu_usage_seconds_total',
        unit: 's',
        type: 'sum',
        isMonotonic: true,
        temporality: 'cumulative',
        timeMs: t,
        startTimeMs: T0 - 3_600_000,
        value: total,
        attributes,
      }),
      makeMetric({ service: 'cadvisor', name: 'container_memory_working_set_bytes', unit: 'By', type: 'gauge', timeMs: t, value: memory, attributes }),
    );
  }
  // One service instrumented with OTLP instead: its own name, semantic-convention metric.
  const hitUser = fault?.service === 'user-api' && t >= fault.atMs;
  out.push(
    makeMetric({
      service: 'user-api',
      name: 'process.cpu.utilization',
      unit: '1',
      type: 'gauge',
      timeMs: t,
      value: 0.12 + 0.03 * rand() + (hitUser ? 0.6 : 0),
    }),
  );
  return out;
}

function replay(
  seed: number,
  minutes: number,
  fault: Fault,
): { signals: Signal[]; opened: Array<{ atMs: number; services: string[] }>; incidents: IncidentEngine } {
  const detection = new DetectionEngine({});
  const incidents = new IncidentEngine({});
  const random = seededRandom(seed);
  const rand = (): number => random.next();
  const totals = new Map<string, number>();
  const signals: Signal[] = [];
  const opened: Array<{ atMs: number; services: string[] }> = [];
  for (let t = T0; t < T0 + minutes * MIN; t += SCRAPE_MS) {
    detection.observeMetrics(scrape(t, rand, totals, fault));
    const fired = detection.advance(t + 1);
    signals.push(...fired);
    for (const u of incidents.onSignals(fired, t, noTopology)) if (u.event === 'opened') opened.push({ atMs: t, services: [...u.incident.services] });
  }
  return { signals, opened, incidents };
}

test('resource names: semantic conventions and Prometheus names, limits and idle parts left out, owners from container labels', () => {
  for (const name of [
    'process.cpu.utilization',
    'system.cpu.utilization',
    'container.cpu.usage',
    'k8s.pod.cpu.utilization',
    'process_cpu_seconds_total',
    'container_cpu_usage_seconds_total',
  ])
    assert.equal(resourceClassOf(name), 'cpu', name);
  for (const name of [
    'process.memory.usage',
    'jvm.memory.used',
    'container_memory_working_set_bytes',
    'k8s.pod.memory.working_set',
    'process_resident_memory_bytes',
    'carts_mem',
    'mem_usage',
    'MemoryUsage(Mi)',
  ])
    assert.equal(resourceClassOf(name), 'memory', name);
  assert.equal(resourceClassOf('CpuUsageRate(%)'), 'cpu');
  assert.equal(resourceClassOf('go_goroutines'), 'threads');
  assert.equal(resourceClassOf('jvm.thread.count'), 'threads');
  assert.equal(resourceClassOf('db.client.connection.pending_requests'), 'pool');
  for (const name of [
    'process.memory.limit',
    'db.client.connection.max',
    'k8s.container.cpu_request',
    'kpi.orders',
    'http.server.request.duration',
    'MemoryAvailable',
    'memcached_hits',
  ])
    assert.equal(resourceClassOf(name), undefined, name);
  assert.equal(resourceOwner('cadvisor', { container: 'carts', pod: 'carts-7d9f8b6c5-x2k4p' }), 'carts');
  assert.equal(resourceOwner('unknown_service:node', { pod: 'orders-5c8d7f9b4-abcde' }), 'orders');
  assert.equal(resourceOwner('payment', { pod: 'something-else' }), 'payment');
});

test('a metric-only service with a CPU hog opens an incident naming it; the graph-free ranking puts it first', () => {
  const fault = { service: 'carts', kind: 'cpu' as const, atMs: T0 + 20 * MIN };
  const { signals, opened, incidents } = replay(3, 26, fault);
  assert.deepEqual(
    signals.filter((s) => s.startedAtMs < fault.atMs).map((s) => s.summary),
    [],
    'nothing before the fault',
  );
  assert.equal(opened.length, 1, JSON.stringify(opened));
  assert.deepEqual(opened[0]!.services, ['carts']);
  assert.ok(opened[0]!.atMs - fault.atMs <= 2 * MIN, `detected after ${(opened[0]!.atMs - fault.atMs) / 1000} s`);
  const incident = incidents.list({ status: 'all' })[0]!;
  const causes = rankRootCauses({ signals: incident.signals, changes: [], onsetMs: incident.startedAtMs, nowMs: T0 + 26 * MIN });
  assert.equal(causes[0]?.service, 'carts');
  assert.equal(causes[0]?.kind, 'resource-exhaustion');
  assert.match(causes[0].explanation, /container_cpu_usage_seconds_total rose to/);
});

test('a memory leak and an OTLP CPU hog are found the same way; a clean hour opens nothing', () => {
  const leak = replay(4, 28, { service: 'orders', kind: 'memory', atMs: T0 + 20 * MIN });
  assert.deepEqual(
    leak.opened.map((o) => o.services),
    [['orders']],
  );
  const otlp = replay(5, 25, { service: 'user-api', kind: 'cpu', atMs: T0 + 20 * MIN });
  assert.deepEqual(
    otlp.opened.map((o) => o.services),
    [['user-api']],
  );
  for (const seed of [1, 2]) {
    const clean = replay(seed, 60, undefined);
    assert.deepEqual(
      clean.signals.map((s) => s.summary),
      [],
      `seed ${seed}`,
    );
  }
});

/**
 * An instrumented service whose CPU follows its traffic: `rps` requests a second, with a surge of
 * `surge`x from minute 25 on, and an extra `hog` of utilization (work per request unchanged) then.
 */
function cpuWithTraffic(surge: number, hog: number): Signal[] {
  const detection = new DetectionEngine({});
  const random = seededRandom(7);
  const signals: Signal[] = [];
  for (let t = T0; t < T0 + 40 * MIN; t += SCRAPE_MS) {
    const later = t >= T0 + 25 * MIN;
    const rps = 20 * (later ? surge : 1);
    const spans = Array.from({ length: Math.round((rps * SCRAPE_MS) / 1000) }, (_, i) =>
      makeSpan({ service: 'checkout', name: 'POST /pay', startTimeMs: t + (i * SCRAPE_MS) / (rps * 15), durationMs: 20 }),
    );
    detection.observeSpans(spans);
    const cpu = 0.004 * rps * (1 + 0.05 * random.next()) + (later ? hog : 0);
    detection.observeMetrics([makeMetric({ service: 'checkout', name: 'process.cpu.utilization', unit: '1', type: 'gauge', timeMs: t, value: cpu })]);
    signals.push(...detection.advance(t + SCRAPE_MS));
  }
  return signals.filter((x) => x.kind === 'metric-anomaly' && x.status === 'firing');
}

void test('CPU that rises with a 3x traffic surge is load, not a fault; the same rise under steady traffic fires', () => {
  assert.deepEqual(
    cpuWithTraffic(3, 0).map((x) => x.key),
    [],
    'a surge that triples CPU per its traffic',
  );
  const hog = cpuWithTraffic(1, 0.16);
  assert.ok(
    hog.some((x) => x.subject.service === 'checkout'),
    'a CPU hog under steady traffic',
  );
  // A surge does not hide a hog on top of it: CPU per request doubled.
  assert.ok(
    cpuWithTraffic(3, 0.24).some((x) => x.subject.service === 'checkout'),
    'a hog during a surge',
  );
});

test("an hourly job's CPU pages the first times only; a hog at the same level pages once it outlasts the job, a higher one at once", () => {
  const day = 24 * 60;
  const run = (hog?: { atMs: number; cpu: number }): Signal[] => {
    const engine = new DetectionEngine({});
    const noise = seededRandom(21);
    const signals: Signal[] = [];
    for (let t = T0; t < T0 + (day + 120) * MIN; t += SCRAPE_MS) {
      // The job runs for 2 minutes at the top of every hour.
      const job = (t - T0) % (60 * MIN) < 2 * MIN && t > T0 + 30 * MIN;
      const hogging = hog !== undefined && t >= hog.atMs;
      const cpu = hogging ? hog.cpu : job ? 0.6 + 0.1 * noise.next() : 0.2 + 0.02 * noise.next();
      engine.observeMetrics([makeMetric({ service: 'reports', name: 'process.cpu.utilization', unit: '1', type: 'gauge', timeMs: t, value: cpu })]);
      signals.push(...engine.advance(t + SCRAPE_MS));
    }
    return [...new Map(signals.map((s) => [s.id, s])).values()];
  };
  const quiet = run();
  assert.ok(quiet.length >= 1 && quiet.length <= 3, `${quiet.length} pages: ${quiet.map((s) => (s.startedAtMs - T0) / MIN).join(', ')} min`);
  const atMs = T0 + (day + 70) * MIN;
  const same = run({ atMs, cpu: 0.65 }).filter((s) => s.startedAtMs >= atMs);
  assert.equal(same.length, 1, JSON.stringify(same.map((s) => s.summary)));
  const after = (same[0]!.detectedAtMs - atMs) / MIN;
  assert.ok(after > 2 && after <= 6, `${after} min`);
  // (At 95% the saturation detector pages as well; this is the shift's own page.)
  const higher = run({ atMs, cpu: 0.95 }).filter((s) => s.startedAtMs >= atMs && s.kind === 'metric-anomaly');
  assert.ok(higher.length === 1 && higher[0]!.detectedAtMs - atMs <= 2 * MIN, JSON.stringify(higher.map((s) => s.summary)));
});
