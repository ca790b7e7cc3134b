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

function failureSignal(check: CheckDefinition, run: RunResult, failures: number, startedAtMs: number, nowMs: number): Signal {
  const key = `synthetic-failure:${check.name}`;
  const reason = run.error ?? 'failed';
  const evidence: Record<string, string | number> = {
    check: check.name,
    checkKind: check.kind,
    failedRuns: failures,
    reason,
    durationMs: Math.round(run.durationMs),
  };
  if (run.traceId) evidence.traceId = run.traceId;
  if (check.critical) evidence.critical = 'yes';
  const step = run.steps.find((s) => !s.ok && !s.cleanup);
  if (step?.status !== undefined) evidence.status = step.status;
  return {
    id: `${key}@${startedAtMs}`,
    key,
    kind: 'synthetic-failure',
    status: 'firing',
    subject: { service: checkService(check), route: check.name },
    startedAtMs,
    detectedAtMs: nowMs,
    window: { fromMs: run.atMs, toMs: run.atMs + run.durationMs },
    observed: failures,
    baseline: 0,
    unit: 'count',
    pValue: NaN,
    score: check.critical ? 0.95 : 0.8,
    summary: `Synthetic check "${check.name}" failing: ${reason} (${failures} run${failures === 1 ? '' : 's'} in a row)`,
    evidence,
  };
}
