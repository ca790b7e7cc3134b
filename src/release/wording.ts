// The verdict's sentences, in the words the docs promise a reader: "regression in POST /pay p95
// (+48%, 99.9% confidence) after 4 min" and "no regression with 2,140 requests; 95% confident p95
// did not rise more than 10%". One place, so the API, the CLI, the fail signal on the incident
// timeline and the report read alike. Pure.
import { count } from '../format/index.js';
import { pct, provenLatencyRise, signed, type RouteComparison } from './comparison.js';
import type { DeploymentRecord } from './engine.js';
import type { Evidence } from './types.js';

/** Event time since the deploy: seconds under a minute ("20 s"), else whole minutes ("4 min"). */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.round(s / 60)} min`;
}

/** A confidence floored to 0.1% so a fail never claims more than the test showed ("99.9%"). */
export const confidenceText = (c: number): string => `${(Math.floor(c * 1000) / 10).toFixed(1)}%`;

/** One failing row as the verdict names it: where, what, how much, how sure. */
function headline(e: Evidence, quantileName: string): string {
  const where = e.route ? `${e.route} ` : '';
  const sure = `${confidenceText(e.confidence)} confidence`;
  if (e.signal === 'latency') return `${where}${quantileName} (${signed(e.change)}, ${sure})`;
  if (e.signal === 'error-rate') return `${where}error rate (${pct(e.baseline)} → ${pct(e.candidate)}, ${sure})`;
  if (e.signal === 'saturation') return `${where}(${signed(e.change)}, ${sure})`;
  // Smoke checks and new exceptions carry their own sentence (the check or the exception by name).
  return e.summary;
}

export interface VerdictWords {
  version: string;
  previousVersion: string;
  /** Event time from the deploy to now. */
  sinceDeployMs: number;
  /** The watched percentile's name ("p95"). */
  quantileName: string;
  /** What the new version was compared against: side by side, or the one-arm baseline in words. */
  sideBySide: boolean;
  baselineNote?: string;
}

/** The words a verdict of this record needs at `nowMs`. */
export function verdictWords(r: Pick<DeploymentRecord, 'deployment' | 'mode' | 'reference'>, nowMs: number, latencyQuantile: number): VerdictWords {
  return {
    version: r.deployment.version,
    previousVersion: r.deployment.previousVersion,
    sinceDeployMs: nowMs - r.deployment.timeMs,
    quantileName: `p${Math.round(latencyQuantile * 100)}`,
    sideBySide: r.mode === 'canary',
    ...(r.reference ? { baselineNote: r.reference.note } : {}),
  };
}

function against(w: VerdictWords): string {
  const previous = w.previousVersion || 'the previous version';
  return w.sideBySide ? ` (${w.version} side by side with ${previous})` : w.baselineNote ? ` (${w.version}; baseline: ${w.baselineNote})` : ` (${w.version})`;
}

/** "regression in POST /pay p95 (+48%, 99.9% confidence) after 4 min (v2 side by side with v1)". */
export function failSummary(failing: readonly Evidence[], w: VerdictWords): string {
  return `regression in ${failing.map((e) => headline(e, w.quantileName)).join('; ')} after ${elapsed(w.sinceDeployMs)}${against(w)}`;
}

/** "no regression with 2,140 requests; 95% confident p95 did not rise more than 10% and the error rate not 2x (0.18% vs 0.17%), after 16 min". */
export function passSummary(
  requests: number,
  bounds: { latencyRise: number; errorRatio: number; errorRate?: { baseline: number; candidate: number } },
  w: VerdictWords,
): string {
  const rates = bounds.errorRate ? ` (${pct(bounds.errorRate.candidate)} vs ${pct(bounds.errorRate.baseline)})` : '';
  return `no regression with ${count(requests)} requests; 95% confident ${w.quantileName} did not rise more than ${Math.round(bounds.latencyRise * 100)}% and the error rate not ${bounds.errorRatio}x${rates}, after ${elapsed(w.sinceDeployMs)}${against(w)}`;
}

/** While watching: "watching 1.4.2 against 1.4.1: 1,234 requests after 6 min, no regression so far; 95% confident p95 did not rise more than 25%". */
export function watchingSummary(
  requests: number,
  service: RouteComparison,
  waitingFor: { baseline: boolean; smoke: readonly string[] },
  w: VerdictWords,
): string {
  const known = w.previousVersion ? ` against ${w.previousVersion}` : ': no previous version known';
  const rise = provenLatencyRise(service);
  const bound = rise !== undefined ? `; 95% confident ${w.quantileName} did not rise more than ${Math.round(rise * 100)}%` : '';
  const waits = [
    ...(waitingFor.baseline ? ['the same-time-of-day baseline'] : []),
    ...(waitingFor.smoke.length ? [`smoke checks ${waitingFor.smoke.join(', ')}`] : []),
  ];
  return `watching ${w.version}${known}: ${count(requests)} requests after ${elapsed(w.sinceDeployMs)}, no regression so far${bound}${waits.length ? `; a pass waits for ${waits.join(' and ')}` : ''}`;
}

/** At the window's end without proven bounds: nothing rejected over enough requests. */
export function windowPassSummary(requests: number, windowMs: number, neverRan: readonly string[], w: VerdictWords): string {
  const smoke = neverRan.length ? `; smoke checks that never ran: ${neverRan.join(', ')}` : '';
  return `no regression with ${count(requests)} requests over the ${Math.round(windowMs / 60_000)} min window${against(w)}${smoke}`;
}
