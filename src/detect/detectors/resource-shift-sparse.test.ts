// Sparse metric series: points 5 min apart (CloudWatch, a slow Prometheus job), where a fixed 2 min
// recent window would hold no point and a 30 min baseline too few. The detector sizes its windows
// from the series' own spacing: a CPU hog of a metric-only service opens an incident naming it
// within two points, steady noise stays silent, and missed points neither page nor end a shift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricPoint, Signal } from '../../model/index.js';
import { makeMetric } from '../../../test/support/records.js';
import { IncidentEngine } from '../../incidents/index.js';
import { rankRootCauses } from '../../rca/index.js';
import { DetectionEngine } from '../engine.js';
import { seededRandom } from '../testing/random.js';
import { pointSpacing, windowsFor } from './point-spacing.js';
import { resourceShiftParams } from './resource-shift.js';

const MIN = 60_000;
const T0 = 1_793_620_800_000;
const EXPORT_MS = 5 * MIN;
const SERVICES = ['carts', 'catalogue', 'orders', 'payment', 'user'];
const noTopology = { neighbours: (): string[] => [], isEntry: (): boolean => false };

interface Run {
  signals: Signal[];
  opened: Array<{ atMs: number; services: string[] }>;
  incidents: IncidentEngine;
}

/** Each service's CPU utilization every 5 min (± 15% noise); `hogAtMs` adds a core's worth to carts; `missing` points are never sent. */
function replay(seed: number, minutes: number, hogAtMs?: number, missing: (t: number, service: string) => boolean = () => false): Run {
  const detection = new DetectionEngine({});
  const incidents = new IncidentEngine({});
  const random = seededRandom(seed);
  const run: Run = { signals: [], opened: [], incidents };
  for (let t = T0; t < T0 + minutes * MIN; t += EXPORT_MS) {
    const points: MetricPoint[] = SERVICES.filter((service) => !missing(t, service)).map((service, i) =>
      makeMetric({
        service,
        name: 'process.cpu.utilization',
        unit: '1',
        type: 'gauge',
        timeMs: t,
        value: (0.1 + 0.03 * i) * (0.85 + 0.3 * random.next()) + (service === 'carts' && hogAtMs !== undefined && t >= hogAtMs ? 0.5 : 0),
      }),
    );
    detection.observeMetrics(points);
    // The engine's clock moves in 10 s buckets until the next export, as an event-clock replay's would.
    for (let now = t + 10_000; now <= t + EXPORT_MS; now += 10_000) {
      const fired = detection.advance(now);
      run.signals.push(...fired);
      for (const u of incidents.onSignals(fired, now, noTopology)) if (u.event === 'opened') run.opened.push({ atMs: now, services: [...u.incident.services] });
    }
  }
  return run;
}

test('windows follow the point spacing: dense series keep the defaults, a 5 min series gets two points recent and 16 in its baseline', () => {
  const every = (ms: number): Array<[number, number, number]> => Array.from({ length: 12 }, (_, i) => [T0 + i * ms, 1, 1]);
  assert.equal(windowsFor(every(15_000), resourceShiftParams), resourceShiftParams);
  assert.equal(windowsFor(every(10_000), resourceShiftParams), resourceShiftParams);
  const sparse = windowsFor(every(EXPORT_MS), resourceShiftParams);
  assert.equal(sparse.recentMs, 12.5 * MIN);
  assert.equal(sparse.baselineMs, 80 * MIN);
  // One missed point (a gap twice as long) does not stretch the spacing.
  const gap = every(EXPORT_MS).filter((_, i) => i !== 9);
  assert.equal(pointSpacing(gap), EXPORT_MS);
});

test('a metric-only service with a CPU hog in 5-min points opens an incident naming it within two points; the ranking puts it first', () => {
  const hogAtMs = T0 + 120 * MIN;
  const { signals, opened, incidents } = replay(3, 150, hogAtMs);
  assert.deepEqual(
    signals.filter((s) => s.startedAtMs < hogAtMs).map((s) => s.summary),
    [],
    'nothing before the fault',
  );
  assert.equal(opened.length, 1, JSON.stringify(opened));
  assert.deepEqual(opened[0]!.services, ['carts']);
  assert.ok(opened[0]!.atMs - hogAtMs <= 2 * EXPORT_MS, `detected after ${(opened[0]!.atMs - hogAtMs) / MIN} min`);
  const incident = incidents.list({ status: 'all' })[0]!;
  const causes = rankRootCauses({ signals: incident.signals, changes: [], onsetMs: incident.startedAtMs, nowMs: T0 + 150 * MIN });
  assert.equal(causes[0]?.service, 'carts');
  assert.equal(causes[0]?.kind, 'resource-exhaustion');
});

test('steady noise in 5-min points stays silent for 8 hours, with or without missed points', () => {
  for (const seed of [1, 2])
    assert.deepEqual(
      replay(seed, 8 * 60).signals.map((s) => s.summary),
      [],
      `seed ${seed}`,
    );
  // About one point in six never arrives, some two in a row.
  const lossy = (t: number, service: string): boolean => ((t - T0) / EXPORT_MS + service.length) % 6 === 0 || ((t - T0) / EXPORT_MS) % 37 < 2;
  assert.deepEqual(
    replay(4, 8 * 60, undefined, lossy).signals.map((s) => s.summary),
    [],
  );
});

test('a missed point during a 5-min shift neither ends it nor opens a second incident', () => {
  const hogAtMs = T0 + 120 * MIN;
  const lost = hogAtMs + 3 * EXPORT_MS;
  const run = replay(5, 160, hogAtMs, (t, service) => service === 'carts' && t === lost);
  const carts = run.signals.filter((s) => s.subject.service === 'carts');
  assert.deepEqual(
    carts.map((s) => s.status),
    ['firing'],
    'fired once and still firing after the missed point',
  );
  assert.equal(run.opened.length, 1);
});
