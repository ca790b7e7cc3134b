// Root cause on real public fault data (issue 19): the PetShop dataset (amazon-science, CC-BY-4.0;
// 41 components of an AWS microservice application, latency / requests / availability every 5 min,
// 68 injected issues with labelled root causes). Each case becomes OTLP gauge points per component
// (`petshop.latency` by statistic, `petshop.requests`, `petshop.availability`, service = component),
// and Vigil's graph-free ranking (the robust z of the resource-shift detector: the case's level
// against the median/MAD of the system's fault-free history) ranks components. Scored at service
// (component) level: AC@1, AC@3, Avg@5, detection rate (robust z ≥ the detector's minZ), median
// time to detect. Which evidence the ranking reads is chosen on the dataset's train split and
// reported on its test split (few choices, each with a reason), per traffic scenario.
//
// Data (not committed; CC-BY-4.0, attribution: Hardt et al., "The PetShop Dataset", 2023):
//   use the `fetch` tool or `git clone https://github.com/amazon-science/petshop-root-cause-analysis`,
//   then copy its dataset/ folder to bench/out/petshop/dataset (bench/out is gitignored).
//   npm run bench:rca-real [-- --data bench/out/petshop/dataset]

import fs from 'node:fs';
import path from 'node:path';
import type { MetricPoint } from '../src/model/index.js';
import { resourceShiftParams } from '../src/detect/detectors/resource-shift.js';
import { machineLine } from './machine.js';

interface Table {
  /** column → [node, metric, statistic] */
  columns: Array<{ node: string; metric: string; stat: string }>;
  rows: Array<{ t: number; values: number[] }>;
}

export function parsePetshopCsv(text: string): Table {
  const lines = text.trim().split('\n');
  const [nodes, metrics, stats] = [lines[0]!, lines[1]!, lines[2]!].map((l) => l.split(','));
  const columns = nodes!.slice(1).map((node, i) => ({ node, metric: metrics![i + 1] ?? '', stat: stats![i + 1] ?? '' }));
  const rows = lines.slice(4).map((l) => {
    const cells = l.split(',');
    return { t: Number(cells[0]) * 1000, values: cells.slice(1).map((c) => (c === '' ? NaN : Number(c))) };
  });
  return { columns, rows };
}

/** A case as OTLP gauge points: what `vigil start --clock event` would ingest for it. */
export function toMetricPoints(table: Table): MetricPoint[] {
  const out: MetricPoint[] = [];
  for (const row of table.rows) {
    table.columns.forEach((c, i) => {
      const value = row.values[i];
      if (value === undefined || !Number.isFinite(value)) return;
      out.push({
        name: `petshop.${c.metric}`, description: '', unit: c.metric === 'latency' ? 's' : c.metric === 'availability' ? '%' : '{request}', type: 'gauge', temporality: 'unspecified', isMonotonic: false,
        service: c.node, serviceVersion: '', environment: 'petshop', timeMs: row.t, startTimeMs: 0, attributes: { statistic: c.stat }, resourceAttributes: {}, value,
        count: 0, sum: 0, min: NaN, max: NaN, bucketCounts: [], explicitBounds: [], expScale: 0, expZeroCount: 0, expPositiveOffset: 0, expPositiveCounts: [], expNegativeOffset: 0, expNegativeCounts: [], quantiles: [],
      });
    });
  }
  return out;
}

/** The evidence a ranking may read; each is a plausible default, none fitted to a case. */
const VARIANTS: Record<string, (metric: string, stat: string) => 1 | -1 | 0> = {
  'latency p50': (m, s) => (m === 'latency' && s === 'p50' ? 1 : 0),
  'latency average': (m, s) => (m === 'latency' && s === 'Average' ? 1 : 0),
  'latency p90': (m, s) => (m === 'latency' && s === 'p90' ? 1 : 0),
  'latency p50 + availability drop': (m, s) => (m === 'latency' && s === 'p50' ? 1 : m === 'availability' ? -1 : 0),
};

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** Robust baseline (median, scale) per column from the fault-free history, as resource-shift computes it. */
function baselines(history: Table): Map<string, { usual: number; scale: number }> {
  const out = new Map<string, { usual: number; scale: number }>();
  history.columns.forEach((c, i) => {
    const v = history.rows.map((r) => r.values[i]!).filter(Number.isFinite);
    if (v.length < resourceShiftParams.minBaselinePoints) return;
    const usual = median(v);
    const mad = median(v.map((x) => Math.abs(x - usual)));
    const meanAd = v.reduce((a, x) => a + Math.abs(x - usual), 0) / v.length;
    out.set(`${c.node}|${c.metric}|${c.stat}`, { usual, scale: Math.max(1.4826 * mad, 1.2533 * meanAd, 0.05 * Math.abs(usual), 1e-6) });
  });
  return out;
}

interface CaseResult { rank: number; detected: boolean; ttdMs: number }

/** The case's own minutes before the fault as the baseline (no drift between history and case); scale from the history. */
function ownBaselines(table: Table, targetMs: number, history: Map<string, { usual: number; scale: number }>): Map<string, { usual: number; scale: number }> {
  const out = new Map<string, { usual: number; scale: number }>();
  const before = table.rows.filter((r) => r.t + 300_000 <= targetMs);
  table.columns.forEach((c, i) => {
    const key = `${c.node}|${c.metric}|${c.stat}`;
    const v = before.map((r) => r.values[i]!).filter(Number.isFinite);
    const h = history.get(key);
    if (v.length === 0 || !h) return;
    const usual = median(v);
    out.set(key, { usual, scale: Math.max(h.scale, 0.05 * Math.abs(usual), 1e-6) });
  });
  return out;
}

function rankCase(table: Table, truth: string, targetMs: number, base: Map<string, { usual: number; scale: number }>, variant: (m: string, s: string) => 1 | -1 | 0): CaseResult {
  const score = new Map<string, number>();
  let firstDetectMs = NaN;
  for (const row of table.rows) {
    table.columns.forEach((c, i) => {
      const dir = variant(c.metric, c.stat);
      const b = base.get(`${c.node}|${c.metric}|${c.stat}`);
      const v = row.values[i];
      if (!dir || !b || v === undefined || !Number.isFinite(v)) return;
      const z = (dir * (v - b.usual)) / b.scale;
      score.set(c.node, Math.max(score.get(c.node) ?? -Infinity, z));
      if (z >= resourceShiftParams.minZ && Number.isNaN(firstDetectMs) && row.t + 300_000 >= targetMs) firstDetectMs = row.t;
    });
  }
  const ranked = [...score.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([n]) => n);
  // A 5-min point covers [t, t + 5 min): detection is counted at its end.
  const ttd = Number.isNaN(firstDetectMs) ? NaN : Math.max(0, firstDetectMs + 300_000 - targetMs);
  return { rank: ranked.indexOf(truth) + 1, detected: !Number.isNaN(firstDetectMs), ttdMs: ttd };
}

function summary(rs: CaseResult[]): { n: number; ac1: number; ac3: number; avg5: number; det: number; ttd: number } {
  const n = rs.length;
  const ac = (k: number): number => rs.filter((r) => r.rank > 0 && r.rank <= k).length / Math.max(1, n);
  const ttds = rs.filter((r) => r.detected).map((r) => r.ttdMs);
  return { n, ac1: ac(1), ac3: ac(3), avg5: [1, 2, 3, 4, 5].reduce((a, k) => a + ac(k), 0) / 5, det: rs.filter((r) => r.detected).length / Math.max(1, n), ttd: median(ttds) };
}

function casesOf(dir: string): Array<{ table: Table; truth: string; targetMs: number }> {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((d) => d.startsWith('issue_')).sort().map((d) => {
    const target = JSON.parse(fs.readFileSync(path.join(dir, d, 'target.json'), 'utf8')) as { target: { timestamp: number }; root_cause: { node: string } };
    return { table: parsePetshopCsv(fs.readFileSync(path.join(dir, d, 'metrics.csv'), 'utf8')), truth: target.root_cause.node, targetMs: target.target.timestamp * 1000 };
  });
}

function main(): void {
  const i = process.argv.indexOf('--data');
  const root = i >= 0 ? process.argv[i + 1]! : 'bench/out/petshop/dataset';
  if (!fs.existsSync(root)) {
    console.log(`no PetShop data at ${root}: see the header of bench/rca-real.ts for how to fetch it`);
    process.exitCode = 1;
    return;
  }
  console.log(machineLine());
  const fmt = (x: number): string => x.toFixed(2);
  for (const scenario of fs.readdirSync(root).sort()) {
    const historyFile = path.join(root, scenario, 'noissue', 'metrics.csv');
    if (!fs.existsSync(historyFile)) {
      console.log(`${scenario}: its fault-free history (noissue/metrics.csv) is missing; skipped`);
      continue;
    }
    const history = parsePetshopCsv(fs.readFileSync(historyFile, 'utf8'));
    const base = baselines(history);
    const train = casesOf(path.join(root, scenario, 'train'));
    const test = casesOf(path.join(root, scenario, 'test'));
    const points = [...train, ...test].reduce((a, c) => a + toMetricPoints(c.table).length, 0);
    // Choose the evidence on train (AC@1, then Avg@5), report it on test.
    // Baseline: the system's fault-free history, or the case's own minutes before the fault.
    const run = (cases: typeof train, v: (m: string, s: string) => 1 | -1 | 0, own: boolean): CaseResult[] =>
      cases.map((c) => rankCase(c.table, c.truth, c.targetMs, own ? ownBaselines(c.table, c.targetMs, base) : base, v));
    const scored = Object.entries(VARIANTS).flatMap(([name, v]) =>
      [false, true].map((own) => ({ name: `${name}${own ? ', own pre-fault baseline' : ''}`, train: summary(run(train, v, own)), test: summary(run(test, v, own)) })),
    );
    const chosen = [...scored].sort((a, b) => b.train.ac1 - a.train.ac1 || b.train.avg5 - a.train.avg5)[0]!;
    console.log(`\n${scenario}: ${train.length} train + ${test.length} test cases, ${history.rows.length} fault-free points of history, ${points.toLocaleString('en-US')} OTLP gauge points in the cases`);
    console.log('  evidence                                                 split  n   AC@1  AC@3  Avg@5  detected  median TTD');
    for (const s of scored) {
      for (const [split, r] of [['train', s.train], ['test', s.test]] as const) {
        console.log(`  ${(s.name + (s === chosen ? ' *' : '')).padEnd(57)}${split.padEnd(7)}${String(r.n).padEnd(4)}${fmt(r.ac1).padEnd(6)}${fmt(r.ac3).padEnd(6)}${fmt(r.avg5).padEnd(7)}${`${Math.round(r.det * 100)}%`.padEnd(10)}${Number.isNaN(r.ttd) ? '-' : `${Math.round(r.ttd / 1000)} s`}`);
      }
    }
    console.log(`  chosen on train (*): ${chosen.name} → test AC@1 ${fmt(chosen.test.ac1)}, AC@3 ${fmt(chosen.test.ac3)}, Avg@5 ${fmt(chosen.test.avg5)}, detected ${Math.round(chosen.test.det * 100)}%`);
  }
}

main();
