// A deployment's smoke journeys: the smoke checks its deploy triggered (synthetics runs them at once)
// and the runs they made since, judged like the synthetics judge a check — a failed run counts once
// the next run fails too (a failure is retried within seconds), so one blip does not fail a release
// but a smoke journey that stays broken does, by name.
import type { Evidence, SmokeResult, SmokeRun } from './types.js';

/** Runs kept per check and deployment: the first ones after the deploy are the ones that judge it. */
const keptRuns = 3;

export const expectedSmoke = (checks: readonly string[]): SmokeResult[] => [...new Set(checks)].map((check) => ({ check, status: 'pending', runs: [] }));

/** Adds a run (in time order, once) and re-reads the check's status; false when nothing changed. */
export function addSmokeRun(results: SmokeResult[], run: SmokeRun): boolean {
  const r = results.find((x) => x.check === run.check);
  if (!r || r.status !== 'pending' || r.runs.length >= keptRuns || r.runs.some((x) => x.atMs === run.atMs)) return false;
  r.runs.push(run);
  r.runs.sort((a, b) => a.atMs - b.atMs);
  r.status = smokeStatus(r.runs, false);
  return true;
}

/** `final`: the watch is over, so a lone failure with no confirmation run counts. */
export function smokeStatus(runs: readonly SmokeRun[], final: boolean): SmokeResult['status'] {
  const [first, second] = runs;
  if (!first) return 'pending';
  if (first.ok) return 'pass';
  if (second) return second.ok ? 'pass' : 'fail';
  return final ? 'fail' : 'pending';
}

export function smokeEvidence(results: readonly SmokeResult[]): Evidence[] {
  const out: Evidence[] = [];
  for (const r of results) {
    if (!r.runs.length) continue;
    const failed = r.runs.filter((x) => !x.ok).length;
    const last = r.runs[r.runs.length - 1]!;
    const failedRun = r.runs.find((x) => !x.ok);
    const trace = (run: SmokeRun): string => (run.traceId ? `, trace ${run.traceId}` : '');
    const summary =
      r.status === 'fail'
        ? `smoke check "${r.check}" failed after the deploy: ${failedRun?.error || 'failed'} (${failed} of ${r.runs.length} runs${trace(failedRun ?? last)})`
        : r.status === 'pass'
          ? `smoke check "${r.check}" passed in ${Math.round(last.durationMs)} ms${failed ? ` after ${failed} failed run retried` : ''}${trace(last)}`
          : `smoke check "${r.check}" failed once (${failedRun?.error || 'failed'}); waiting for its confirmation run${trace(last)}`;
    out.push({
      signal: 'smoke',
      route: r.check,
      baseline: 0,
      candidate: failed,
      change: failed,
      confidence: r.status === 'fail' ? 1 : 0,
      unit: 'count',
      failing: r.status === 'fail',
      ...(r.status === 'fail' && failedRun ? { sinceMs: failedRun.atMs } : {}),
      summary,
    });
  }
  return out;
}
