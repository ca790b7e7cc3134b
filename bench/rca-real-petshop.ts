// The PetShop dataset (amazon-science, CC-BY-4.0; Hardt et al., "The PetShop Dataset — Finding
// Causes of Performance Issues across Microservices", CLeaR 2024, arXiv 2311.04806) read as Vigil
// would see it: each component's 5-min latency / requests / availability as OTLP gauge points, its
// declared call graph, and per point the robust shift of each component against a baseline (the
// resource-shift detector's robust z). A shift pages when it passes the product's gates: latency,
// robust z ≥ resource-shift's minZ and the latency detector's effect sizes (enough requests, a
// ratio and a delta); failed requests, the error-rate detector's own test (`judgeErrors`) against
// the usual failure ratio. Loading and evidence only; rca-real.ts scores.

import fs from 'node:fs';
import path from 'node:path';
import { noDistribution, type ElevatedShift, type MetricPoint, type Signal } from '../src/model/index.js';
import { resourceShiftParams, shiftState } from '../src/detect/detectors/resource-shift.js';
import { makeSignal } from '../src/rca/testing/signals.js';
import { latencySettings } from '../src/detect/detectors/latency.js';
import { breaksCleanRecord, errorRateSettings, judgeErrors } from '../src/detect/detectors/error-rate.js';
import { smoothedErrorRatio, testedErrorRatio } from '../src/detect/detectors/window.js';
import { defaultDetectionConfig } from '../src/detect/config.js';

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
        ...noDistribution(),
      });
    });
  }
  return out;
}

/**
 * What a component is when it is not an instrumented service. X-Ray's remote nodes (named
 * `…_remote`: a downstream X-Ray saw only through its caller's subsegment, such as a load
 * balancer's address or a third-party API) are external dependencies; the rest are declared as
 * services, as before.
 */
export function componentKind(name: string): 'external' | undefined {
  return name.endsWith('_remote') ? 'external' : undefined;
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
  // Failed requests are counts: availability × requests carries float noise (4.9999… for 5).
  return table.rows.map((r) => (a >= 0 && q >= 0 ? Math.round(r.values[q]! * (1 - r.values[a]! / 100)) : NaN));
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
 * Whether a shift would page: significant (robust z ≥ resource-shift's minZ) and as large as the
 * product's request detectors demand — latency: ≥ minSamples requests in the point, ≥ minRatio ×
 * usual and ≥ minDeltaMs slower (PetShop latency is in seconds); failed requests: ≥ minErrors,
 * ≥ minRatio × the usual error ratio and ≥ minIncrease more of the requests. With `errorTest`
 * 'binomial' failed requests are judged instead by the error-rate detector's own test
 * (`judgeErrors`: its effect sizes and binomial tail) against the usual ratio as that detector
 * holds it: failures over requests, smoothed by its prior, resting on at most its decayed window
 * (`errorHalfLifeMs`), the higher of the history's level and the case's own (errorBaseline's rule).
 */
export function passesGate(
  evidence: Evidence,
  z: number,
  value: number,
  usual: number,
  requests: number,
  usualRequests: number,
  errors: ErrorTest,
  cleanForMs = 0,
): boolean {
  if (evidence === 'latency') {
    const l = latencySettings.defaults;
    return z >= resourceShiftParams.minZ && requests >= l.minSamples && value >= l.minRatio * usual && (value - usual) * 1000 >= l.minDeltaMs;
  }
  const e = errorRateSettings.defaults;
  if (errors.test === 'binomial') return requests > 0 && binomialPages(value, requests, errors.bases);
  const ratio = requests > 0 ? value / requests : 0;
  const usualRatio = usualRequests > 0 ? Math.max(0, usual) / usualRequests : 0;
  const shift = z >= resourceShiftParams.minZ && value >= e.minErrors && ratio >= e.minRatio * usualRatio && ratio - usualRatio >= e.minIncrease;
  return shift || breaksCleanRecord(value, requests, cleanForMs, e);
}

/**
 * How long a component went without a failed request before row `at`: back to its last failing
 * point; a case whose own minutes were clean carries on the fault-free history's record before them.
 */
function cleanRecordOf(table: Table, node: string, at: number, history: Table): number {
  const lastFailure = (failed: readonly number[], from: number): number => {
    let j = from;
    while (j >= 0 && !(failed[j]! > 0)) j--;
    return j;
  };
  const j = lastFailure(seriesOf(table, node, 'errors'), at - 1);
  if (j >= 0 || table === history) return (at - 1 - j) * POINT_MS;
  const h = seriesOf(history, node, 'errors');
  return (at + h.length - 1 - lastFailure(h, h.length - 1)) * POINT_MS;
}

/** How failed requests are judged: the robust z and the error-rate detector's effect sizes, or that detector's binomial test. */
export type ErrorTest = { test: 'robust' } | { test: 'binomial'; bases: ReadonlyArray<ErrorBase | undefined> };

function binomialPages(errors: number, requests: number, bases: ReadonlyArray<ErrorBase | undefined>): boolean {
  const c = errorRateSettings.defaults;
  const { bucketMs, errorHalfLifeMs } = defaultDetectionConfig;
  // The detector's decayed level rests on 1 / (1 − decay) buckets of traffic (about 87 min) …
  const window = 1 / (1 - Math.pow(0.5, bucketMs / errorHalfLifeMs)) / (POINT_MS / bucketMs);
  const usuals = bases
    .filter((b): b is ErrorBase => b !== undefined)
    .map((b) => smoothedErrorRatio(b.errorsPerPoint * Math.min(b.points, window), b.requestsPerPoint * Math.min(b.points, window), c));
  if (usuals.length === 0) return false;
  // … and of its recent and seasonal levels the higher is the usual.
  const { ratio, requests: rests } = usuals.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  return judgeErrors(errors, requests, ratio, testedErrorRatio(ratio, rests, c), c, c.minRatio, c.alpha)?.anomalous ?? false;
}

/** A component's failures as the error-rate detector learns them: mean failed and total requests per point, over so many points. */
export interface ErrorBase {
  errorsPerPoint: number;
  requestsPerPoint: number;
  points: number;
}

function errorBaseOf(errors: readonly number[], requests: readonly number[]): ErrorBase | undefined {
  const both = errors.map((e, i) => [e, requests[i]!] as const).filter(([e, r]) => Number.isFinite(e) && Number.isFinite(r));
  if (both.length === 0) return undefined;
  const sum = (k: 0 | 1): number => both.reduce((a, x) => a + x[k], 0);
  return { errorsPerPoint: sum(0) / both.length, requestsPerPoint: sum(1) / both.length, points: both.length };
}

export interface Baselines {
  scale: Map<string, { usual: number; scale: number }>;
  errors: Map<string, ErrorBase>;
  /** The fault-free history itself: clean records reach back through it. */
  history: Table;
}

/** Per component and evidence, the fault-free history's usual level and noise scale. */
export function historyBaselines(history: Table, evidence: readonly Evidence[]): Baselines {
  const scale = new Map<string, { usual: number; scale: number }>();
  const errors = new Map<string, ErrorBase>();
  const nodes = [...new Set(history.columns.map((c) => c.node))];
  for (const node of nodes) {
    const e = errorBaseOf(seriesOf(history, node, 'errors'), seriesOf(history, node, 'requests'));
    if (e) errors.set(node, e);
    for (const e of [...evidence, 'requests' as const]) {
      const b = robustScale(seriesOf(history, node, e), e);
      if (b) scale.set(`${node}|${e}`, b);
    }
  }
  return { scale, errors, history };
}

/**
 * The shifts of every component at row `at`. Level from the history (`own` false) or from the
 * median of the `own` rows before it (the case's own minutes: no drift between history and case).
 */
export function shiftsAt(
  table: Table,
  at: number,
  base: Baselines,
  evidence: readonly Evidence[],
  ownRows: readonly number[] | undefined,
  errorTest: 'robust' | 'binomial' = 'robust',
): Shift[] {
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
      // The error-rate detector's usual failure ratio: the higher of its seasonal level (the history)
      // and its recent one (the case's own minutes, when judged against them).
      const bases = [
        base.errors.get(node),
        ownRows
          ? errorBaseOf(
              ownRows.map((i) => seriesOf(table, node, 'errors')[i]!),
              ownRows.map((i) => seriesOf(table, node, 'requests')[i]!),
            )
          : undefined,
      ];
      out.push({
        node,
        evidence: e,
        z,
        value,
        usual,
        gated: passesGate(
          e,
          z,
          value,
          usual,
          requests,
          usualRequests,
          errorTest === 'binomial' ? { test: 'binomial', bases } : { test: 'robust' },
          e === 'errors' ? cleanRecordOf(table, node, at, base.history) : 0,
        ),
      });
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

/**
 * Which shifts the ranking reads. 'product': what the engine hands it live — the moves past the
 * paging bar (resource-shift's verdict) as signals, the sub-threshold ('elevated') ones as its
 * elevatedShifts, weak evidence. For reference only: 'paged only' (before the elevated moves were
 * passed), 'N-Sigma 3' (every shift past 3 as a full signal).
 */
export type SignalMode = 'product' | 'paged only' | 'N-Sigma 3';

/** The ranking's input at the point starting `atMs`: each shift a `metric-anomaly` signal or an elevated shift, as the mode reads it. */
export function rankingInput(shifts: readonly Shift[], atMs: number, mode: SignalMode): { signals: Signal[]; elevated: ElevatedShift[] } {
  const signals: Signal[] = [];
  const elevated: ElevatedShift[] = [];
  for (const x of shifts) {
    const rise = x.usual !== 0 ? (x.value - x.usual) / Math.abs(x.usual) : Infinity;
    const state = mode === 'N-Sigma 3' ? (x.z >= 3 ? 'anomalous' : 'normal') : shiftState(x.z, rise);
    if (state === 'normal' || (state === 'elevated' && mode !== 'product')) continue;
    const move = {
      kind: 'metric-anomaly' as const,
      subject: { service: x.node, metric: `petshop.${x.evidence}` },
      observed: x.value,
      baseline: x.usual,
      unit: x.evidence === 'latency' ? 's' : '{request}',
      score: Math.min(1, 0.5 + Math.log10(Math.max(0, x.z) / resourceShiftParams.minZ + 1) / 2),
      summary: `${x.node} ${x.evidence} ${x.value.toFixed(3)} against a usual ${x.usual.toFixed(3)} (robust z ${x.z.toFixed(0)})`,
      // As request-metrics hands a latency move over: with the time it added to each request.
      evidence: { robustZ: Math.round(x.z * 10) / 10, ...(x.evidence === 'latency' ? { riseMs: (x.value - x.usual) * 1000 } : {}) },
    };
    if (state === 'anomalous') signals.push(makeSignal(move.kind, move.subject, atMs, move));
    else elevated.push({ ...move, key: `metric-anomaly|${x.node}|${x.evidence}`, startedAtMs: atMs, lastSeenMs: atMs + POINT_MS });
  }
  return { signals, elevated };
}
