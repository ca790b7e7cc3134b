// Runs one simulated deploy through the pure release engine: a baseline period of the previous
// version, the deploy, then 10 s buckets (both versions when the new one is a canary) until the
// verdict or the window's end. Shared by the tests and bench:release; it also keeps the per-minute
// figures a fixed-horizon comparison (Mann-Whitney, as Kayenta) needs from the same traffic.
import type { ReleaseConfig } from '../config.js';
import { bucketMs, ReleaseEngine } from '../engine.js';
import type { Verdict } from '../types.js';
import type { ReleaseBreakdown } from '../breakdown.js';
import { emptySketch, mergeSketch } from '../../detect/index.js';
import type { RedAggregate } from '../types.js';
import { TrafficSimulator, type TrafficProfile, type VersionProfile } from './traffic.js';

export interface MinuteFigures {
  /** Per minute and arm: the p95 of the raw latencies and the error ratio. */
  candidate: Array<{ p95: number; errorRate: number }>;
  baseline: Array<{ p95: number; errorRate: number }>;
}

export interface DeployRun {
  verdict: Verdict;
  /** Event time from the deploy to the verdict (ms). */
  decidedAfterMs: number;
  /** The first `horizonMinutes` minutes, for a fixed-horizon test. */
  minutes: MinuteFigures;
  /** The before/after figures the report shows. */
  breakdown?: ReleaseBreakdown;
}

/** 2026-03-02T12:00:00Z. */
export const deployAtMs = 1_772_452_800_000;

/**
 * `sameTimeOfDay`: the previous version as it served at the deploy's time of day on `days` previous
 * days (an hour each) is looked up and handed to the engine, as the adapter does from the store.
 */
export function runDeploy(
  profile: TrafficProfile,
  seed: number,
  config: ReleaseConfig,
  o: { baselineMinutes: number; horizonMinutes: number; service?: string; sameTimeOfDay?: { days: number; previous: VersionProfile } },
): DeployRun {
  const sim = new TrafficSimulator(profile, seed);
  const engine = new ReleaseEngine(config);
  const service = o.service ?? 'shop';
  // The previous version alone before the deploy, a minute at a time (only the totals matter there).
  for (let m = o.baselineMinutes; m > 0; m--) {
    const at = deployAtMs - m * 60_000;
    for (const r of profile.routes) engine.observe(service, r.route, 'v1', at, sim.aggregate(r, profile.previous, 1, 60).agg);
  }
  engine.observeDeploy({ id: `deploy-${seed}`, service, version: 'v2', previousVersion: 'v1', timeMs: deployAtMs }, deployAtMs, {
    awaitReference: !!o.sameTimeOfDay,
  });
  if (o.sameTimeOfDay) {
    const routes: Record<string, RedAggregate> = { '': { requests: 0, errors: 0, latency: emptySketch() } };
    for (const r of profile.routes) {
      const agg = (routes[r.route] = sim.aggregate(r, o.sameTimeOfDay.previous, 1, 3600 * o.sameTimeOfDay.days).agg);
      routes['']!.requests += agg.requests;
      routes['']!.errors += agg.errors;
      mergeSketch(routes['']!.latency, agg.latency);
    }
    engine.setReference(`deploy-${seed}`, { routes, days: o.sameTimeOfDay.days });
  }
  const minutes: MinuteFigures = { candidate: [], baseline: [] };
  const bucketsPerMinute = 60_000 / bucketMs;
  let raw = { candidate: [] as number[], baseline: [] as number[], cErr: 0, bErr: 0 };
  const keepFigures = (b: number): boolean => b < o.horizonMinutes * bucketsPerMinute;
  for (let b = 0; deployAtMs + b * bucketMs < deployAtMs + config.windowMs || keepFigures(b); b++) {
    const at = deployAtMs + b * bucketMs;
    const figures = keepFigures(b);
    for (const r of profile.routes) {
      const cand = sim.aggregate(r, profile.candidate, profile.candidateShare, bucketMs / 1000, figures ? raw.candidate : undefined).agg;
      engine.observe(service, r.route, 'v2', at, cand);
      if (figures) raw.cErr += cand.errors;
      if (profile.candidateShare < 1) {
        const base = sim.aggregate(r, profile.previous, 1 - profile.candidateShare, bucketMs / 1000, figures ? raw.baseline : undefined).agg;
        engine.observe(service, r.route, 'v1', at, base);
        if (figures) raw.bErr += base.errors;
      }
    }
    if (figures && (b + 1) % bucketsPerMinute === 0) {
      minutes.candidate.push(minuteOf(raw.candidate, raw.cErr));
      minutes.baseline.push(minuteOf(raw.baseline, raw.bErr));
      raw = { candidate: [], baseline: [], cErr: 0, bErr: 0 };
    }
    engine.advance(at + bucketMs);
    const verdict = engine.get(`deploy-${seed}`)!.verdict;
    if (verdict.status !== 'watching' && !keepFigures(b + 1)) break;
  }
  const record = engine.get(`deploy-${seed}`)!;
  return {
    verdict: record.verdict,
    decidedAfterMs: (record.verdict.decidedAtMs ?? Infinity) - deployAtMs,
    minutes,
    ...(record.breakdown ? { breakdown: record.breakdown } : {}),
  };
}

function minuteOf(latencies: number[], errors: number): { p95: number; errorRate: number } {
  if (!latencies.length) return { p95: 0, errorRate: 0 };
  latencies.sort((a, b) => a - b);
  return { p95: latencies[Math.min(latencies.length - 1, Math.ceil(0.95 * latencies.length) - 1)]!, errorRate: errors / latencies.length };
}
