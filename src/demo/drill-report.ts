// The drill table (CLI and bench): one row per fault, then the summary figures beside their goals
// (issue 4: every fault detected, median time to detect ≤ 60 s, no false incidents, RCA@1 ≥ 80%).
// TTRC is the time from the fault's onset to a correct top root cause; context is the share of the
// context sections the incident should carry that it does (drill-score.ts).

import type { DrillResult } from './drill-score.js';

export interface DrillSummary {
  faults: number;
  detected: number;
  medianTimeToDetectS: number | undefined;
  falseIncidents: number;
  duplicates: number;
  rcaAt1: number; // share of faults, 0..1
  rcaAt3: number;
  allClear: number; // faults whose incident resolved after the fault was cleared
}

export function summarizeDrills(results: readonly DrillResult[]): DrillSummary {
  const ttd = results.flatMap((r) => (r.timeToDetectMs === undefined ? [] : [r.timeToDetectMs / 1000])).sort((a, b) => a - b);
  const mid = Math.floor(ttd.length / 2);
  const median = ttd.length === 0 ? undefined : ttd.length % 2 ? ttd[mid] : ((ttd[mid - 1] ?? 0) + (ttd[mid] ?? 0)) / 2;
  const n = Math.max(1, results.length);
  return {
    faults: results.length,
    detected: results.filter((r) => r.detected).length,
    medianTimeToDetectS: median,
    falseIncidents: results.reduce((a, r) => a + r.falseIncidents, 0),
    duplicates: results.reduce((a, r) => a + r.duplicates, 0),
    rcaAt1: results.filter((r) => r.rcaAt1).length / n,
    rcaAt3: results.filter((r) => r.rcaAt3).length / n,
    allClear: results.filter((r) => r.timeToAllClearMs !== undefined).length,
  };
}

const seconds = (ms: number | undefined): string => (ms === undefined ? '-' : `${Math.round(ms / 1000)} s`);

export function formatDrillTable(results: readonly DrillResult[]): string {
  const header = ['fault', 'truth', 'detected', 'TTD', 'top root cause', '@1', '@3', 'TTRC', 'severity', 'context', 'false', 'dup', 'all-clear', 'wall'];
  const rows = results.map((r) => [
    r.fault,
    `${r.truth.rootService} ${r.truth.rootKind}`,
    r.detected ? 'yes' : 'NO',
    seconds(r.timeToDetectMs),
    r.topRootCause ? `${r.topRootCause.service} ${r.topRootCause.kind}` : '-',
    r.rcaAt1 ? 'yes' : 'no',
    r.rcaAt3 ? 'yes' : 'no',
    seconds(r.timeToRootCauseMs),
    r.severity ?? '-',
    r.contextCompleteness === undefined ? '-' : `${Math.round(r.contextCompleteness * 100)}%`,
    String(r.falseIncidents),
    String(r.duplicates),
    seconds(r.timeToAllClearMs),
    seconds(r.replayWallMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const s = summarizeDrills(results);
  const pct = (x: number): string => `${Math.round(x * 100)}%`;
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `detected        ${s.detected}/${s.faults}   (goal: all)`,
    `median TTD      ${s.medianTimeToDetectS === undefined ? '-' : `${Math.round(s.medianTimeToDetectS)} s`}   (goal: <= 60 s)`,
    `false incidents ${s.falseIncidents}   (goal: 0; duplicates ${s.duplicates})`,
    `RCA@1           ${pct(s.rcaAt1)}   (goal: >= 80%)`,
    `RCA@3           ${pct(s.rcaAt3)}   (goal: 100%)`,
    `all-clear       ${s.allClear}/${s.faults} incidents resolved after the fault was cleared`,
    ...contextGaps(results),
  ].join('\n');
}

/** One line per fault whose incident lacks context sections, naming them. */
function contextGaps(results: readonly DrillResult[]): string[] {
  return results.filter((r) => r.contextMissing?.length).map((r) => `context of ${r.fault} lacks: ${(r.contextMissing ?? []).join(', ')}`);
}
