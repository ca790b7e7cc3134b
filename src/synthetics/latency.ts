// Whether a check got slower than it usually is, decided like its failures: each series (the whole
// run and each step) keeps a baseline of its own recent passing durations; a run is slow when it
// is beyond the baseline by a real effect (relative AND absolute) and beyond its noise (robust
// z on median/MAD); only several slow runs in a row make a `synthetic-latency` signal, and as many
// normal runs recover it. Pure: fed results and the engine time, returns decisions.
import type { Signal } from '../model/index.js';
import { checkSignal } from './confirm.js';
import type { RunResult } from './result.js';
import type { CheckDefinition } from './schema.js';

/** Why these numbers: a half-hour of 1-minute runs is a baseline; 10 are needed to know the noise. */
export const latencyPolicy = {
  /** Normal runs kept per series (the newest). */
  baselineRuns: 30,
  /** No judgement before a series has this many normal runs. */
  minRuns: 10,
  /** The effect users would notice: at least 1.5× the usual and at least 100 ms more. */
  minRatio: 1.5,
  minEffectMs: 100,
  /** Beyond the series' own noise: more than 4 robust standard deviations above its median. */
  noiseZ: 4,
  /** Slow runs in a row before the signal (a blip or one cold cache is not a regression). */
  confirmRuns: 3,
  /** Steps followed per check (a script with generated step names must not grow the state forever). */
  maxSeries: 50,
} as const;

interface Series {
  /** Recent normal durations, oldest first. */
  normal: number[];
  /** Durations of the current streak of slow runs (empty: not suspicious). */
  slow: number[];
  /** Normal runs in a row while firing (towards recovery). */
  normalStreak: number;
  firing: boolean;
  /** Engine time of the first run of the current slow streak: the onset. */
  slowSinceMs?: number;
}

export interface LatencyState {
  series: Record<string, Series>;
  /** The signal of the current regression episode. */
  signal?: Signal;
}

export const initialLatencyState = (): LatencyState => ({ series: {} });

export interface LatencyDecision {
  state: LatencyState;
  signal?: Signal;
}

const RUN = 'run';
const stepKey = (name: string): string => `step ${name}`;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The duration above which a run of this series is slow; undefined while the baseline is too short. */
export function slowThreshold(normal: readonly number[]): { thresholdMs: number; medianMs: number } | undefined {
  if (normal.length < latencyPolicy.minRuns) return undefined;
  const med = median(normal);
  const sigma = 1.4826 * median(normal.map((x) => Math.abs(x - med)));
  const thresholdMs = Math.max(med * latencyPolicy.minRatio, med + latencyPolicy.minEffectMs, med + latencyPolicy.noiseZ * sigma);
  return { thresholdMs, medianMs: med };
}

function observe(prev: Series | undefined, durationMs: number, nowMs: number): Series {
  const s: Series = prev ?? { normal: [], slow: [], normalStreak: 0, firing: false };
  const limit = slowThreshold(s.normal);
  if (limit && durationMs > limit.thresholdMs) {
    // Slow runs stay out of the baseline: a regression must not become its own reference.
    const slow = [...s.slow, durationMs].slice(-latencyPolicy.baselineRuns);
    return { normal: s.normal, slow, normalStreak: 0, firing: s.firing || slow.length >= latencyPolicy.confirmRuns, slowSinceMs: s.slowSinceMs ?? nowMs };
  }
  const normal = [...s.normal, durationMs].slice(-latencyPolicy.baselineRuns);
  if (!s.firing) return { normal, slow: [], normalStreak: 0, firing: false };
  const normalStreak = s.normalStreak + 1;
  if (normalStreak >= latencyPolicy.confirmRuns) return { normal, slow: [], normalStreak: 0, firing: false };
  return { normal, slow: s.slow, normalStreak, firing: true, slowSinceMs: s.slowSinceMs };
}

type TimedRun = Pick<RunResult, 'kind' | 'durationMs'> & { steps: ReadonlyArray<{ name: string; durationMs: number }> };

function observeAll(prev: Readonly<Record<string, Series>>, run: TimedRun, nowMs: number): Record<string, Series> {
  const series: Record<string, Series> = { ...prev };
  // A browser run's total includes starting Chromium on Vigil's own machine: its steps are the site.
  if (run.kind !== 'browser') series[RUN] = observe(series[RUN], run.durationMs, nowMs);
  for (const step of run.steps) {
    const key = stepKey(step.name);
    if (!(key in series) && Object.keys(series).length > latencyPolicy.maxSeries) continue;
    series[key] = observe(series[key], step.durationMs, nowMs);
  }
  return series;
}

/**
 * Baselines from a check's stored runs (any order), so a restart does not wait 10 runs to judge
 * again. A suspicion starts afresh with the live runs; a regression that was confirmed (with
 * `check`, its signal rebuilt) stands, so normal runs after the restart recover the incident's
 * signal instead of leaving it firing, and runs still slow do not signal it twice.
 */
export function latencyStateFromHistory(
  runs: ReadonlyArray<{ kind: string; atMs: number; ok: boolean; durationMs: number; steps: readonly unknown[]; traceId?: string }>,
  check?: CheckDefinition,
): LatencyState {
  const isStep = (s: unknown): s is { name: string; durationMs: number; ok: boolean } =>
    typeof s === 'object' && s !== null && typeof (s as { name?: unknown }).name === 'string' && typeof (s as { durationMs?: unknown }).durationMs === 'number';
  let series: Record<string, Series> = {};
  const passed = [...runs].filter((x) => x.ok).sort((a, b) => a.atMs - b.atMs);
  for (const r of passed) series = observeAll(series, { kind: r.kind, durationMs: r.durationMs, steps: r.steps.filter(isStep) }, r.atMs);
  const kept = Object.fromEntries(Object.entries(series).map(([k, s]) => [k, s.firing ? s : { normal: s.normal, slow: [], normalStreak: 0, firing: false }]));
  const firing = Object.entries(kept).filter(([, s]) => s.firing);
  const last = passed.at(-1);
  if (!check || !last || !firing.length) return { series: kept };
  const run: RunResult = { name: check.name, kind: last.kind, atMs: last.atMs, ok: true, durationMs: last.durationMs, steps: [], details: {} };
  if (last.traceId) run.traceId = last.traceId;
  const onsetMs = Math.min(...firing.map(([, s]) => s.slowSinceMs ?? last.atMs));
  return { series: kept, signal: latencySignal(check, run, firing, onsetMs, last.atMs) };
}

/** Feeds one run; failed runs are the failure signal's business and leave the baselines alone. */
export function observeRunLatency(check: CheckDefinition, prev: LatencyState, run: RunResult, nowMs: number): LatencyDecision {
  if (!run.ok) return { state: prev };
  const series = observeAll(prev.series, run, nowMs);
  const firing = Object.entries(series).filter(([, s]) => s.firing);
  if (firing.length && !prev.signal) {
    const onsetMs = Math.min(...firing.map(([, s]) => s.slowSinceMs ?? nowMs));
    const signal = latencySignal(check, run, firing, onsetMs, nowMs);
    return { state: { series, signal }, signal };
  }
  if (!firing.length && prev.signal) {
    const recovered: Signal = {
      ...prev.signal,
      status: 'recovered',
      endedAtMs: nowMs,
      summary: `Synthetic check "${check.name}" is back to its usual duration`,
    };
    return { state: { series }, signal: recovered };
  }
  return { state: { ...prev, series } };
}

function latencySignal(check: CheckDefinition, run: RunResult, firing: Array<[string, Series]>, startedAtMs: number, nowMs: number): Signal {
  const judged = firing.map(([key, s]) => ({ key, observed: median(s.slow), baseline: median(s.normal) }));
  // The series with the largest absolute slow-down names the regression (a step, or the run).
  const lead = judged.reduce((a, b) => (b.observed - b.baseline > a.observed - a.baseline ? b : a));
  const what = lead.key === RUN ? 'the run' : `step "${lead.key.slice(stepKey('').length)}"`;
  const slowest: Record<string, string | number> = {
    slowest: what,
    observedMs: Math.round(lead.observed),
    baselineMs: Math.round(lead.baseline),
    slowRuns: firing.find(([k]) => k === lead.key)![1].slow.length,
  };
  if (judged.length > 1) slowest.slowSeries = judged.map((j) => j.key).join(', ');
  return checkSignal(check, run, startedAtMs, nowMs, {
    kind: 'synthetic-latency',
    observed: Math.round(lead.observed),
    baseline: Math.round(lead.baseline),
    unit: 'ms',
    score: check.critical ? 0.8 : 0.6,
    summary: `Synthetic check "${check.name}" slower: ${what} takes ${Math.round(lead.observed)} ms, usually ${Math.round(lead.baseline)} ms`,
    evidence: slowest,
  });
}
