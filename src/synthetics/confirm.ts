// Whether a check is failing, decided like a test runner that retries a flaky test: a failed run
// counts only after `confirm` failed runs in a row (the scheduler retries a failed run soon, so a
// blip costs seconds, not an interval). A confirmed failure is a `synthetic-failure` signal; the
// next passing run recovers it. Pure: fed results and the engine time, returns decisions.
import type { Signal } from '../model/index.js';
import type { RunResult } from './result.js';
import type { CheckDefinition } from './schema.js';

export type CheckStatus = 'pending' | 'passing' | 'failing';

export interface CheckState {
  status: CheckStatus;
  consecutiveFailures: number;
  /** Engine time of the first failed run in the current run of failures: the onset. */
  failingSinceMs?: number;
  /** The signal of the current failing episode. */
  signal?: Signal;
}

export const initialCheckState = (): CheckState => ({ status: 'pending', consecutiveFailures: 0 });

export interface ConfirmDecision {
  state: CheckState;
  /** A signal to hand to the incident engine (firing, or its recovery). */
  signal?: Signal;
  /** True when the failure is not confirmed yet: run again soon instead of after a full interval. */
  retrySoon: boolean;
}

/** The service a check's failures belong to: its `service`, else the host it calls. */
export function checkService(check: CheckDefinition): string {
  if (check.service) return check.service;
  const url = check.kind === 'http' ? check.url : check.kind === 'journey' ? check.steps[0]?.url : undefined;
  if (url) {
    try {
      return new URL(url).hostname;
    } catch {
      // a templated URL: fall through
    }
  }
  if (check.kind === 'tls' || check.kind === 'tcp') return check.host;
  if (check.kind === 'dns') return check.hostname;
  return 'synthetics';
}

export function confirmRun(check: CheckDefinition, prev: CheckState, run: RunResult, nowMs: number): ConfirmDecision {
  if (run.ok) {
    const state: CheckState = { status: 'passing', consecutiveFailures: 0 };
    if (!prev.signal) return { state, retrySoon: false };
    const recovered: Signal = { ...prev.signal, status: 'recovered', endedAtMs: nowMs, summary: `Synthetic check "${check.name}" passes again` };
    return { state, signal: recovered, retrySoon: false };
  }
  const failures = prev.consecutiveFailures + 1;
  const failingSinceMs = prev.failingSinceMs ?? nowMs;
  if (failures < check.confirm) return { state: { ...prev, consecutiveFailures: failures, failingSinceMs }, retrySoon: true };
  if (prev.signal) return { state: { ...prev, status: 'failing', consecutiveFailures: failures }, retrySoon: false };
  const signal = failureSignal(check, run, failures, failingSinceMs, nowMs);
  return { state: { status: 'failing', consecutiveFailures: failures, failingSinceMs, signal }, signal, retrySoon: false };
}

/**
 * A check's confirmation state rebuilt from its latest runs (newest first, at most `confirm`), for
 * its first run after a restart: failures still count towards confirming, and a failure that was
 * confirmed is still signalled, so the next passing run recovers the incident's signal (the
 * engine matches it by key) instead of leaving it firing for ever, and a failure goes on without
 * a second signal.
 */
export function confirmationFromHistory(check: CheckDefinition, newestFirst: readonly RunResult[], nowMs: number): CheckState {
  const failed = newestFirst.findIndex((r) => r.ok);
  const failures = failed < 0 ? newestFirst.length : failed;
  const status: CheckStatus = newestFirst.length > failures ? 'passing' : 'pending';
  if (failures === 0) return { status, consecutiveFailures: 0 };
  const failingSinceMs = newestFirst[failures - 1]!.atMs;
  if (failures < check.confirm) return { status, consecutiveFailures: failures, failingSinceMs };
  const signal = failureSignal(check, newestFirst[0]!, failures, failingSinceMs, nowMs);
  return { status: 'failing', consecutiveFailures: failures, failingSinceMs, signal };
}

/** The recovery of a check's signal when the check itself is gone (removed from the files). */
export function removedCheckSignal(signal: Signal, nowMs: number): Signal {
  return {
    ...signal,
    status: 'recovered',
    endedAtMs: nowMs,
    summary: `Synthetic check "${String(signal.evidence.check ?? signal.subject.route)}" was removed`,
  };
}

function failureSignal(check: CheckDefinition, run: RunResult, failures: number, startedAtMs: number, nowMs: number): Signal {
  const reason = run.error ?? 'failed';
  const step = run.steps.find((s) => !s.ok && !s.cleanup);
  return checkSignal(check, run, startedAtMs, nowMs, {
    kind: 'synthetic-failure',
    observed: failures,
    baseline: 0,
    unit: 'count',
    score: check.critical ? 0.95 : 0.8,
    summary: `Synthetic check "${check.name}" failing: ${reason} (${failures} run${failures === 1 ? '' : 's'} in a row)`,
    evidence: { failedRuns: failures, reason, durationMs: Math.round(run.durationMs) },
    ...(step?.status !== undefined ? { lastEvidence: { status: step.status } } : {}),
  });
}

/** What a check signal says of itself; the rest every check signal has alike. */
export interface CheckSignalParts extends Pick<Signal, 'kind' | 'observed' | 'baseline' | 'unit' | 'score' | 'summary'> {
  /** Evidence after the check's name and kind, before its trace and criticality. */
  evidence: Record<string, string | number>;
  /** Evidence after those. */
  lastEvidence?: Record<string, string | number>;
}

/** A firing signal about a check (failing or slower than usual), as of `run`, from `startedAtMs`. */
export function checkSignal(check: CheckDefinition, run: RunResult, startedAtMs: number, nowMs: number, parts: CheckSignalParts): Signal {
  const key = `${parts.kind}:${check.name}`;
  const evidence: Record<string, string | number> = { check: check.name, checkKind: check.kind, ...parts.evidence };
  if (run.traceId) evidence.traceId = run.traceId;
  if (check.critical) evidence.critical = 'yes';
  Object.assign(evidence, parts.lastEvidence);
  return {
    id: `${key}@${startedAtMs}`,
    key,
    kind: parts.kind,
    status: 'firing',
    subject: { service: checkService(check), route: check.name },
    startedAtMs,
    detectedAtMs: nowMs,
    window: { fromMs: run.atMs, toMs: run.atMs + run.durationMs },
    observed: parts.observed,
    baseline: parts.baseline,
    unit: parts.unit,
    pValue: NaN,
    score: parts.score,
    summary: parts.summary,
    evidence,
  };
}
