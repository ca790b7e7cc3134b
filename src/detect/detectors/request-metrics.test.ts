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
  /** Latency multiplied by this, and this share of requests (or this many) failing, from atMs on (until untilMs). */
  slower?: number;
  failing?: number;
  failed?: number;
  untilMs?: number;
  /** Services that never fail otherwise. */
  clean?: readonly string[];
}

function exportAt(t: number, random: () => number, faults: readonly Fault[]): MetricPoint[] {
  return COMPONENTS.flatMap((service, i) => {
    const hits = faults.filter((f) => f.service === service && t >= f.atMs && t < (f.untilMs ?? Infinity));
    const requests = Math.round((300 + 100 * i) * (0.9 + 0.2 * random()));
    // About one failure in 400 requests, in small bursts.
    const background = random() < 0.3 ? 2 * random() : 0;
    const failed = hits.reduce((n, f) => n + (f.failed ?? (f.failing ?? 0) * requests), 0);
    const failures = Math.round(failed + (faults.some((f) => f.clean?.includes(service)) ? 0 : background));
    const latency = (0.05 + 0.02 * i) * (0.9 + 0.2 * random()) * hits.reduce((x, f) => x * (f.slower ?? 1), 1);
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
  ...faults: Fault[]
): { signals: Signal[]; opened: Array<{ atMs: number; services: string[] }>; incidents: IncidentEngine } {
  const detection = new DetectionEngine({});
  const incidents = new IncidentEngine({});
  const random = seededRandom(seed);
  const signals: Signal[] = [];
  const opened: Array<{ atMs: number; services: string[] }> = [];
  for (let t = T0; t < T0 + minutes * MIN; t += EXPORT_MS) {
    detection.observeMetrics(exportAt(t, () => random.next(), faults));
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
  // Exported-CSV and dashboard names: camelCase, dashes, units in brackets, percentiles, shares.
  for (const name of ['PodServerLatencyP90(s)', 'latency-90', 'latency_p99', 'ResponseTimeMs']) assert.equal(requestMeasureOf(name), 'latency', name);
  for (const name of ['ErrorRate(%)', 'http_error_ratio', 'failure_percent']) assert.equal(requestMeasureOf(name), 'failureRatio', name);
  for (const name of ['k8s.container.cpu_request', 'MemoryUsage(Mi)']) assert.equal(requestMeasureOf(name), undefined, name);
});

test('percentile latencies and error rates under exported-CSV names, every 15 s: 20 minutes of history are enough, each fault opens an incident naming its component, noise stays silent', () => {
  const SCRAPE_MS = 15_000;
  const run = (fault?: { service: string; atMs: number; slower?: number; failing?: number }): Signal[] => {
    const detection = new DetectionEngine({});
    const random = seededRandom(11);
    const signals: Signal[] = [];
    for (let t = T0; t < T0 + 30 * MIN; t += SCRAPE_MS) {
      const points = COMPONENTS.flatMap((service, i) => {
        const hit = fault && fault.service === service && t >= fault.atMs;
        const p90 = (0.08 + 0.02 * i) * (0.9 + 0.2 * random.next()) * (hit ? (fault.slower ?? 1) : 1);
        // A few requests in a thousand fail as usual (in percent); the fault's share on top.
        const share = 0.2 + 0.4 * random.next() + (hit ? (fault.failing ?? 0) * 100 : 0);
        const gauge = (name: string, value: number): MetricPoint => makeMetric({ service, name, unit: '', type: 'gauge', timeMs: t, value });
        return [gauge('PodServerLatencyP90(s)', p90), gauge('latency-50', p90 / 2), gauge('ErrorRate(%)', share)];
      });
      detection.observeMetrics(points);
      for (let now = t + 5_000; now <= t + SCRAPE_MS; now += 5_000) signals.push(...detection.advance(now));
    }
    return signals;
  };
  const at = T0 + 20 * MIN;
  assert.deepEqual(
    run().map((s) => s.summary),
    [],
    'noise',
  );
  for (const fault of [
    { service: 'search', atMs: at, slower: 3 },
    { service: 'payments', atMs: at, failing: 0.05 },
  ]) {
    const signals = run(fault);
    assert.deepEqual([...new Set(signals.map((s) => s.subject.service))], [fault.service], JSON.stringify(signals.map((s) => s.summary)));
    const first = Math.min(...signals.map((s) => s.startedAtMs));
    assert.ok(first >= at && first - at <= 2 * MIN, `detected ${(first - at) / 1000} s after the fault`);
    if (fault.failing) assert.match(signals[0]!.summary, /ErrorRate\(%\) rose to 5\.\d% from a usual 0\.\d%/);
  }
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

test('a component that failed nothing for a day pages on its first few failures, which its robust z (under the Poisson floor) cannot; they hold the page until they stop', () => {
  const day = 24 * 60;
  const fault = { service: 'frontend', atMs: T0 + (day + 60) * MIN, untilMs: T0 + (day + 90) * MIN, failed: 5, clean: ['frontend'] };
  const frontendSignals = (signals: Signal[]): Signal[] => signals.filter((s) => s.subject.service === 'frontend');
  const { signals, opened } = replay(5, day + 120, fault);
  const frontend = frontendSignals(signals);
  assert.deepEqual([...new Set(frontend.map((s) => s.startedAtMs - fault.atMs))], [0]);
  assert.ok(opened.some((o) => o.services.includes('frontend') && o.atMs - fault.atMs <= EXPORT_MS));
  assert.match(frontend[0]!.summary, /5 of \d+ requests failed over the last 5 min, the first failures after 2\d\.\d h without one/);
  const ended = frontend[frontend.length - 1]!.endedAtMs;
  assert.ok(
    ended !== undefined && ended >= fault.untilMs && ended <= fault.untilMs + EXPORT_MS,
    `ended ${ended === undefined ? 'never' : (ended - fault.untilMs) / MIN} min after`,
  );
  // Two hours are no day: two failures are no news then (the young record's test below wants more); one failure six hours before the fault breaks the record.
  assert.deepEqual(frontendSignals(replay(5, 180, { ...fault, atMs: T0 + 120 * MIN, untilMs: T0 + 150 * MIN, failed: 2 }).signals), []);
  const once = { service: 'frontend', atMs: fault.atMs - 360 * MIN, untilMs: fault.atMs - 355 * MIN, failed: 1 };
  assert.deepEqual(frontendSignals(replay(5, day + 120, fault, once).signals), []);
});

test('a component that never failed since it was first seen, two hours ago, pages on failures its clean requests make improbable; fewer, an earlier failure, or ten minutes of history do not', () => {
  const frontend = (signals: Signal[]): Signal[] => signals.filter((s) => s.subject.service === 'frontend');
  const fault = (atMin: number, failed: number): Fault => ({
    service: 'frontend',
    atMs: T0 + atMin * MIN,
    untilMs: T0 + (atMin + 30) * MIN,
    failed,
    clean: ['frontend'],
  });
  // About 300 requests an export: two hours served clean allow a rate of 3 in 7,200, so 5 of 300 in one export are news.
  const young = replay(6, 180, fault(120, 5));
  const paged = frontend(young.signals);
  assert.deepEqual([...new Set(paged.map((s) => s.startedAtMs - T0))], [120 * MIN]);
  assert.ok(
    young.opened.some((o) => o.services.includes('frontend') && o.atMs - (T0 + 120 * MIN) <= EXPORT_MS),
    JSON.stringify(young.opened.map((o) => [(o.atMs - T0) / MIN, o.services])),
  );
  assert.match(
    paged[0]!.summary,
    /5 of \d+ requests failed over the last 5 min, the first failures since it was first seen 1\.\d h before, [\d,]+ requests without one/,
  );
  assert.ok(Number(paged[0]!.evidence['cleanRequests']) > 5_000, JSON.stringify(paged[0]!.evidence));
  // Its size for the ranking is the five failures over the Poisson floor, not the median's (still 0 with the clean exports before).
  assert.equal(paged[0]!.evidence['robustZ'], 5);
  // Three of 300 in one export are not (that rate is still allowed at 95%); three in each of two exports are, from the first.
  assert.deepEqual(frontend(replay(6, 180, { ...fault(120, 3), untilMs: T0 + 125 * MIN }).signals), []);
  const sustained = frontend(replay(6, 180, fault(120, 3)).signals);
  assert.deepEqual(
    [...new Set(sustained.map((s) => `onset ${(s.startedAtMs - T0) / MIN} min, paged by ${s.detectedAtMs - T0 <= 130 * MIN ? 130 : 'later'}`))],
    ['onset 120 min, paged by 130'],
  );
  assert.match(sustained[0]!.summary, /the first failures since it was first seen 2\.0 h before/);
  // A component that failed once before has shown it fails now and then: it waits for a clean day.
  const earlier = { service: 'frontend', atMs: T0 + 30 * MIN, untilMs: T0 + 35 * MIN, failed: 1 };
  assert.deepEqual(frontend(replay(6, 180, fault(120, 5), earlier).signals), []);
  // Restarted from a snapshot taken before the first failure was kept by time, the earlier failure still counts.
  const random = seededRandom(6);
  let detection = new DetectionEngine({});
  const restored: Signal[] = [];
  for (let t = T0; t < T0 + 180 * MIN; t += EXPORT_MS) {
    if (t === T0 + 60 * MIN) {
      const snapshot = detection.snapshot();
      const state = snapshot.detectors['request-metrics'] as { series: Record<string, { firstFailedMs?: number }> };
      for (const series of Object.values(state.series)) delete series.firstFailedMs;
      detection = new DetectionEngine({}, snapshot);
    }
    detection.observeMetrics(exportAt(t, () => random.next(), [fault(120, 5), earlier]));
    for (let now = t + 10_000; now <= t + EXPORT_MS; now += 10_000) restored.push(...detection.advance(now));
  }
  assert.deepEqual(frontend(restored), []);
  // Ten minutes of history say too little for 5 failures; a serious failure (10% of requests) is news even then.
  assert.deepEqual(frontend(replay(6, 40, fault(10, 5)).signals), []);
  const serious = replay(6, 40, { service: 'frontend', atMs: T0 + 10 * MIN, failing: 0.1, clean: ['frontend'] });
  assert.ok(frontend(serious.signals).length > 0, JSON.stringify(serious.signals.map((x) => x.summary)));
});

test("a function's cold starts, two slow exports every hour or so, page the first times only: a rise to the same level pages once it outlasts them, a higher one at once", () => {
  const day = 24 * 60;
  const colds: number[] = [];
  const random = seededRandom(9);
  for (let m = 60; m < day + 60; m += 55 + Math.floor(random.next() * 40)) colds.push(T0 + m * MIN);
  const run = (rise?: { atMs: number; seconds: number }): Signal[] => {
    const detection = new DetectionEngine({});
    const noise = seededRandom(10);
    const signals: Signal[] = [];
    for (let t = T0; t < T0 + (day + 180) * MIN; t += EXPORT_MS) {
      const cold = colds.some((c) => t >= c && t < c + 2 * EXPORT_MS);
      const sustained = rise !== undefined && t >= rise.atMs && t < rise.atMs + 60 * MIN;
      const latency = sustained ? rise.seconds : cold ? 1.6 + 0.4 * noise.next() : 0.35 * (0.9 + 0.2 * noise.next());
      const gauge = (name: string, unit: string, value: number): MetricPoint => makeMetric({ service: 'steps', name, unit, type: 'gauge', timeMs: t, value });
      detection.observeMetrics([
        gauge('http.server.request.duration', 's', latency),
        gauge('http.server.request.count', '{request}', 60 + Math.round(10 * noise.next())),
      ]);
      for (let now = t + 30_000; now <= t + EXPORT_MS; now += 30_000) signals.push(...detection.advance(now));
    }
    return [...new Map(signals.map((s) => [s.id, s])).values()];
  };
  const quiet = run();
  // The first cold starts are news; once two have come and gone the rest are the function's habit.
  assert.ok(quiet.length >= 1 && quiet.length <= 3, `${quiet.length} pages: ${quiet.map((s) => (s.startedAtMs - T0) / MIN).join(', ')} min`);
  assert.ok(quiet.every((s) => s.startedAtMs < colds[4]!));
  const atMs = T0 + (day + 100) * MIN;
  const same = run({ atMs, seconds: 1.9 }).filter((s) => s.startedAtMs >= atMs);
  assert.equal(same.length, 1, JSON.stringify(same.map((s) => s.summary)));
  assert.ok(same[0]!.detectedAtMs - atMs > 2 * EXPORT_MS && same[0]!.detectedAtMs - atMs <= 6 * EXPORT_MS, `${(same[0]!.detectedAtMs - atMs) / MIN} min`);
  const higher = run({ atMs, seconds: 5 }).filter((s) => s.startedAtMs >= atMs);
  assert.ok(higher.length === 1 && higher[0]!.detectedAtMs - atMs <= 2 * EXPORT_MS, JSON.stringify(higher.map((s) => s.summary)));
});
