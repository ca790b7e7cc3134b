// The PetShop dataset (amazon-science, CC-BY-4.0; Hardt et al., "The PetShop Dataset — Finding
// Causes of Performance Issues across Microservices", CLeaR 2024, arXiv 2311.04806) read as Vigil
// would see it: each component's 5-min latency / requests / availability as OTLP gauge points, its
// declared call graph, and per point the robust shift of each component against a baseline (the
// resource-shift detector's robust z). A shift pages when it passes the product's gates: robust z
// ≥ resource-shift's minZ for significance, and the effect sizes of the latency detector (enough
// requests, a ratio and a delta) or of the error-rate detector (enough errors, a ratio and an
// absolute increase), read from their settings. Loading and evidence only; rca-real.ts scores.

import fs from 'node:fs';
import path from 'node:path';
import type { MetricPoint } from '../src/model/index.js';
import { resourceShiftParams } from '../src/detect/detectors/resource-shift.js';
import { latencySettings } from '../src/detect/detectors/latency.js';
import { errorRateSettings } from '../src/detect/detectors/error-rate.js';

export interface Table {
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
        name: `petshop.${c.metric}`,
        description: '',
        unit: c.metric === 'latency' ? 's' : c.metric === 'availability' ? '%' : '{request}',
        type: 'gauge',
        temporality: 'unspecified',
        isMonotonic: false,
        service: c.node,
        serviceVersion: '',
        environment: 'petshop',
        timeMs: row.t,
        startTimeMs: 0,
        attributes: { statistic: c.stat },
        resourceAttributes: {},
        value,
        count: 0,
        sum: 0,
        min: NaN,
        max: NaN,
        bucketCounts: [],
        explicitBounds: [],
        expScale: 0,
        expZeroCount: 0,
        expPositiveOffset: 0,
        expPositiveCounts: [],
        expNegativeOffset: 0,
        expNegativeCounts: [],
        quantiles: [],
      });
    });
  }
  return out;
}

/** Declared caller → callee edges (graph.csv: row calls column). */
export function parseGraph(text: string): Array<[string, string]> {
  const lines = text
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const names = lines[0]!.slice(1);
  const edges: Array<[string, string]> = [];
  for (const row of lines.slice(1)) row.slice(1).forEach((v, j) => (Number(v) > 0 ? edges.push([row[0]!, names[j]!]) : undefined));
  return edges;
}

/**
 * The request-level evidence of a component, each a series per row: latency (its average) and
 * failed requests (requests × (1 − availability)), the two things a user of the service feels.
 */
export type Evidence = 'latency' | 'errors';
type Series = Evidence | 'requests';

export function seriesOf(table: Table, node: string, evidence: Series): number[] {
  const col = (metric: string, stat: string): number => table.columns.findIndex((c) => c.node === node && c.metric === metric && c.stat === stat);
  if (evidence === 'requests') {
    const i = col('requests', 'Sum');
    return table.rows.map((r) => (i >= 0 ? r.values[i]! : NaN));
  }
  if (evidence === 'latency') {
    const i = col('latency', 'Average');
    return table.rows.map((r) => (i >= 0 ? r.values[i]! : NaN));
  }
  const a = col('availability', 'Average');
  const q = col('requests', 'Sum');
  return table.rows.map((r) => (a >= 0 && q >= 0 ? r.values[q]! * (1 - r.values[a]! / 100) : NaN));
}

export function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** The noise scale resource-shift uses (MAD, then mean deviation, then a twentieth of the level); errors are counts, so never below Poisson noise. */
export function robustScale(values: readonly number[], evidence: Series): { usual: number; scale: number } | undefined {
  const v = values.filter(Number.isFinite);
  if (v.length < resourceShiftParams.minBaselinePoints) return undefined;
  const usual = median(v);
  const mad = median(v.map((x) => Math.abs(x - usual)));
  const meanAd = v.reduce((a, x) => a + Math.abs(x - usual), 0) / v.length;
  let scale = Math.max(1.4826 * mad, 1.2533 * meanAd, 0.05 * Math.abs(usual), 1e-3);
  if (evidence === 'errors') scale = Math.max(scale, Math.sqrt(Math.max(usual, 1)));
  return { usual, scale };
}

export interface Shift {
  node: string;
  evidence: Evidence;
  z: number;
  value: number;
  usual: number;
  gated: boolean;
}

/**
 * Whether a shift would page: significant (robust z ≥ minZ) and as large as the product's request
 * detectors demand — latency: ≥ minSamples requests in the point, ≥ minRatio × usual and ≥ minDeltaMs
 * slower (PetShop latency is in seconds); failed requests: ≥ minErrors, ≥ minRatio × the usual
 * error ratio and ≥ minIncrease more of the requests.
 */
export function passesGate(evidence: Evidence, z: number, value: number, usual: number, requests: number, usualRequests: number): boolean {
  if (!(z >= resourceShiftParams.minZ)) return false;
  if (evidence === 'latency') {
    const l = latencySettings.defaults;
    return requests >= l.minSamples && value >= l.minRatio * usual && (value - usual) * 1000 >= l.minDeltaMs;
  }
  const e = errorRateSettings.defaults;
  const ratio = requests > 0 ? value / requests : 0;
  const usualRatio = usualRequests > 0 ? Math.max(0, usual) / usualRequests : 0;
  return value >= e.minErrors && ratio >= e.minRatio * usualRatio && ratio - usualRatio >= e.minIncrease;
}

export interface Baselines {
  scale: Map<string, { usual: number; scale: number }>;
}

/** Per component and evidence, the fault-free history's usual level and noise scale. */
export function historyBaselines(history: Table, evidence: readonly Evidence[]): Baselines {
  const scale = new Map<string, { usual: number; scale: number }>();
  const nodes = [...new Set(history.columns.map((c) => c.node))];
  for (const node of nodes) {
    for (const e of [...evidence, 'requests' as const]) {
      const b = robustScale(seriesOf(history, node, e), e);
      if (b) scale.set(`${node}|${e}`, b);
    }
  }
  return { scale };
}

/**
 * The shifts of every component at row `at`. Level from the history (`own` false) or from the
 * median of the `own` rows before it (the case's own minutes: no drift between history and case).
 */
export function shiftsAt(table: Table, at: number, base: Baselines, evidence: readonly Evidence[], ownRows: readonly number[] | undefined): Shift[] {
  const out: Shift[] = [];
  const nodes = [...new Set(table.columns.map((c) => c.node))];
  for (const node of nodes) {
    for (const e of evidence) {
      const b = base.scale.get(`${node}|${e}`);
      const series = seriesOf(table, node, e);
      const value = series[at];
      if (!b || value === undefined || !Number.isFinite(value)) continue;
      const before = ownRows ? ownRows.map((i) => series[i]!).filter(Number.isFinite) : [];
      if (ownRows && before.length === 0) continue;
      const usual = ownRows ? median(before) : b.usual;
      const scale = Math.max(b.scale, 0.05 * Math.abs(usual), 1e-3);
      const z = (value - usual) / scale;
      const requests = seriesOf(table, node, 'requests')[at] ?? 0;
      const usualRequests = ownRows
        ? median(ownRows.map((i) => seriesOf(table, node, 'requests')[i]!).filter(Number.isFinite))
        : (base.scale.get(`${node}|requests`)?.usual ?? 0);
      out.push({ node, evidence: e, z, value, usual, gated: passesGate(e, z, value, usual, requests, usualRequests) });
    }
  }
  return out;
}

export interface Case {
  scenario: string;
  split: 'train' | 'test';
  name: string;
  table: Table;
  truth: string;
  targetMetric: string;
  faultMs: number;
}

export function casesOf(root: string, scenario: string): Case[] {
  const out: Case[] = [];
  for (const split of ['train', 'test'] as const) {
    const dir = path.join(root, scenario, split);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs
      .readdirSync(dir)
      .filter((d) => d.startsWith('issue_'))
      .sort()) {
      const target = JSON.parse(fs.readFileSync(path.join(dir, name, 'target.json'), 'utf8')) as {
        target: { timestamp: number; metric: string };
        root_cause: { node: string };
      };
      out.push({
        scenario,
        split,
        name,
        table: parsePetshopCsv(fs.readFileSync(path.join(dir, name, 'metrics.csv'), 'utf8')),
        truth: target.root_cause.node,
        targetMetric: target.target.metric,
        faultMs: target.target.timestamp * 1000,
      });
    }
  }
  return out;
}

/** A 5-min point covers [t, t + 5 min): it is "after the fault" once most of it is. */
export const POINT_MS = 300_000;
export function isAfterFault(rowT: number, faultMs: number): boolean {
  return rowT + POINT_MS / 2 >= faultMs;
}
