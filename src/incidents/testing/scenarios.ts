// Seeded incident scenarios as timed sequences of signals and changes (what detection would have
// emitted), plus a replay loop that drives an IncidentEngine through them on event time.
import type { ChangeEvent, Signal } from '../../model/index.js';
import type { IncidentEngine } from '../engine.js';
import type { IncidentUpdate, Topology } from '../types.js';
import { seededRandom } from '../../random/index.js';
import { changeAt, signalAt } from '../../model/testing/records.js';

/** 2026-01-01T10:00:00Z: scenarios run on event time, never on the wall clock. */
export const scenarioT0 = 1_767_261_600_000;
const min = 60_000;

export interface ScenarioStep {
  atMs: number;
  signals: Signal[];
  changes: ChangeEvent[];
}

export interface Scenario {
  name: string;
  startMs: number;
  endMs: number;
  steps: ScenarioStep[];
}

/** A firing signal (the shared test factory: detected 30 s after it started, score 0.8). */
export const signalOf = signalAt;

export function recoveredOf(signal: Signal, endedAtMs: number): Signal {
  return { ...signal, status: 'recovered', endedAtMs, detectedAtMs: signal.detectedAtMs };
}

/** A deploy of `service` at `timeMs` (the shared test factory). */
export const changeOf = changeAt;

export interface SeedCaseOptions {
  seed: number;
  /** Add a latency problem in the disconnected search stack at the same time. */
  unrelated?: boolean;
  /** Re-fire payment errors this long after the scenario's recoveries. */
  flareUpAfterRecoveryMs?: number;
  /** Leave out the rollback and the recoveries (the incident stays open). */
  noRecovery?: boolean;
}

/**
 * The seed case: a payment-service deploy raises the batch size, its database pool saturates,
 * payment errors climb from 0.1% to 15%, then checkout and frontend errors follow; a rollback fixes it.
 */
export function seedCaseScenario(options: SeedCaseOptions): Scenario {
  const rand = seededRandom(options.seed);
  const jitter = (ms: number): number => Math.round(rand() * ms);
  const t0 = scenarioT0;
  const steps: ScenarioStep[] = [];
  const at = (atMs: number, signals: Signal[], changes: ChangeEvent[] = []): void => void steps.push({ atMs, signals, changes });

  const deploy = changeOf({
    service: 'payment-service',
    timeMs: t0,
    version: 'v2.3',
    previousVersion: 'v2.2',
    description: 'raise payment batch size 50 → 500',
  });
  const link = { changeId: deploy.id, kind: 'deploy', version: 'v2.3', timeMs: t0 };
  at(t0 + 5_000, [], [deploy]);

  const pool = signalOf(
    'saturation',
    { service: 'payment-service', metric: 'db.client.connection.pool.usage', peer: 'payment-db' },
    t0 + 2 * min + jitter(30_000),
    {
      observed: 0.98,
      baseline: 0.4,
      score: 0.8 + rand() * 0.15,
      change: link,
      summary: 'payment-service connection pool to payment-db at 98% (baseline 40%)',
    },
  );
  const payErrors = signalOf('error-rate', { service: 'payment-service', route: 'POST /pay', version: 'v2.3' }, t0 + 3 * min + jitter(40_000), {
    observed: 0.02,
    baseline: 0.001,
    score: 0.7,
    change: link,
    summary: 'payment-service POST /pay errors 2.0% (baseline 0.1%)',
  });
  const payErrorsPeak: Signal = { ...payErrors, observed: 0.15, score: 0.97, summary: 'payment-service POST /pay errors 15.0% (baseline 0.1%)' };
  const exception = signalOf(
    'new-exception',
    { service: 'payment-service', fingerprint: 'TimeoutError: connection timeout acquiring connection from pool after <num> ms' },
    t0 + 3 * min + jitter(60_000),
    {
      unit: 'count',
      observed: 120,
      score: 0.75,
      summary: 'new exception in payment-service: TimeoutError: connection timeout acquiring connection from pool',
    },
  );
  const checkout = signalOf('error-rate', { service: 'checkout', route: 'POST /checkout' }, t0 + 4 * min + jitter(40_000), {
    observed: 0.09,
    baseline: 0.002,
    score: 0.9,
    summary: 'checkout POST /checkout errors 9.0% (baseline 0.2%)',
  });
  const frontend = signalOf('error-rate', { service: 'frontend', route: 'POST /checkout' }, t0 + 4 * min + jitter(60_000), {
    observed: 0.08,
    baseline: 0.002,
    score: 0.92,
    summary: 'frontend POST /checkout errors 8.0% (baseline 0.2%)',
  });
  const latency = signalOf('latency', { service: 'payment-service', route: 'POST /pay' }, t0 + 4 * min + jitter(60_000), {
    unit: 'ms',
    observed: 4900,
    baseline: 140,
    score: 0.85,
    summary: 'payment-service POST /pay p95 4,900 ms (baseline 140 ms)',
  });
  const firing = [pool, payErrors, exception, checkout, frontend, latency];
  if (options.unrelated) {
    firing.push(
      signalOf('latency', { service: 'search-api', route: 'GET /search' }, t0 + 3 * min + jitter(60_000), {
        unit: 'ms',
        observed: 2200,
        baseline: 90,
        score: 0.9,
        summary: 'search-api GET /search p95 2,200 ms (baseline 90 ms)',
      }),
    );
  }
  for (const s of firing) at(s.detectedAtMs, [s]);
  at(payErrors.detectedAtMs + 2 * min, [payErrorsPeak]);
  const steadyEnd = t0 + 12 * min;
  if (!options.noRecovery) {
    at(
      steadyEnd,
      [],
      [changeOf({ service: 'payment-service', timeMs: steadyEnd - 10_000, version: 'v2.2', previousVersion: 'v2.3', description: 'rollback' })],
    );
    const recoveredAt = steadyEnd + 2 * min;
    firing.forEach((s, i) => at(recoveredAt + i * 10_000 + jitter(20_000), [recoveredOf(s === payErrors ? payErrorsPeak : s, recoveredAt + i * 10_000)]));
    if (options.flareUpAfterRecoveryMs !== undefined) {
      const again = recoveredAt + 2 * min + options.flareUpAfterRecoveryMs;
      at(again + 30_000, [
        signalOf('error-rate', payErrors.subject, again, { observed: 0.12, score: 0.95, summary: 'payment-service POST /pay errors 12.0% again' }),
      ]);
    }
  }
  steps.sort((a, b) => a.atMs - b.atMs);
  const last = steps[steps.length - 1]?.atMs ?? t0;
  return { name: `seed-case#${options.seed}`, startMs: t0, endMs: last + 30 * min, steps };
}

/** Replays a scenario on event time: each step when its time comes, then a tick every `tickMs`. */
export function replay(engine: IncidentEngine, scenario: Scenario, topology: Topology, tickMs = 10_000): IncidentUpdate[] {
  const updates: IncidentUpdate[] = [];
  let next = 0;
  for (let now = scenario.startMs; now <= scenario.endMs; now += tickMs) {
    while (next < scenario.steps.length && (scenario.steps[next]?.atMs ?? Infinity) <= now) {
      const step = scenario.steps[next++]!;
      for (const c of step.changes) updates.push(...engine.onChange(c, step.atMs, topology));
      if (step.signals.length) updates.push(...engine.onSignals(step.signals, step.atMs, topology));
    }
    updates.push(...engine.tick(now));
  }
  return updates;
}
