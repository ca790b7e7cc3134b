// A failed release becomes a signal the incident engine correlates like a detector's: its kind is
// the failing evidence's (error rate, latency, new exception, synthetic failure, so severity and
// titles need nothing new), its subject the new version and its change link names the deploy. It
// starts when the regression did, which may be well after the deploy (the change keeps the deploy time).
import type { Signal, SignalKind } from '../model/index.js';
import type { DeploymentRecord } from './engine.js';
import type { EvidenceSignal } from './types.js';

const kindOf: Record<EvidenceSignal, SignalKind> = {
  'error-rate': 'error-rate',
  latency: 'latency',
  'throughput-share': 'throughput-drop',
  saturation: 'saturation',
  smoke: 'synthetic-failure',
  'new-exception': 'new-exception',
  'new-log-template': 'new-log-pattern',
};

/**
 * When the regression that failed the release began, never before the deploy: the earliest onset
 * among the failing rows (a test's change-point, a new exception's first sighting, the first failed
 * smoke run). A version can serve well for a while before it regresses (a leak, a lazy path, an
 * outside fault beside it), and a signal dated at the deploy would claim a symptom older than it is.
 * A row that cannot say (a record from before rows kept their onset) counts from the deploy.
 */
export function regressionStartMs(r: DeploymentRecord, nowMs: number): number {
  const d = r.deployment;
  const onsets = r.verdict.evidence.filter((e) => e.failing).map((e) => e.sinceMs ?? d.timeMs);
  return onsets.length ? Math.min(nowMs, Math.max(d.timeMs, Math.min(...onsets))) : d.timeMs;
}

export function failSignal(r: DeploymentRecord, nowMs: number): Signal {
  const d = r.deployment;
  const failing = r.verdict.evidence.filter((e) => e.failing);
  const first = failing[0];
  const key = `release:${d.service}:${d.id}`;
  const startedAtMs = regressionStartMs(r, nowMs);
  return {
    id: `${key}@${d.timeMs}`,
    key,
    kind: first ? kindOf[first.signal] : 'error-rate',
    status: 'firing',
    subject: { service: d.service, version: d.version, ...(first?.route && first.signal !== 'smoke' ? { route: first.route } : {}) },
    startedAtMs,
    detectedAtMs: nowMs,
    window: { fromMs: d.timeMs, toMs: nowMs },
    observed: first?.candidate ?? 0,
    baseline: first?.baseline ?? 0,
    unit: first?.unit === 'ms' ? 'ms' : first?.unit === 'count' ? 'count' : 'ratio',
    pValue: first ? 1 - first.confidence : NaN,
    score: Math.max(0.9, first?.confidence ?? 0),
    summary: `Deploy ${d.service} ${d.version} failed release validation: ${r.verdict.summary}`,
    evidence: {
      deploymentId: d.id,
      deployedAtMs: d.timeMs,
      version: d.version,
      previousVersion: d.previousVersion,
      verdict: 'fail',
      failing: failing.map((e) => e.signal).join(', '),
      candidateRequests: r.totals.candidateRequests,
    },
    change: { changeId: d.id, kind: 'deploy', version: d.version, timeMs: d.timeMs },
  };
}

/** Why a failed release's signal ended: its version stopped serving, or the regression it failed for did not last. */
export type FailureRecovery = 'gone' | 'back-to-normal';

export function recoveredSignal(s: Signal, nowMs: number, why: FailureRecovery = 'gone'): Signal {
  const version = `${s.subject.service} ${s.subject.version ?? ''}`;
  const summary =
    why === 'gone'
      ? `${version} no longer serves (rolled back or replaced)`
      : `${version} is back within bounds of the previous version: the regression it failed for did not last (an outside fault beside the deploy?)`;
  return { ...s, status: 'recovered', endedAtMs: nowMs, summary };
}
