// `bench:rca-real -- --replay`: PetShop through the product itself, the way outside reviewers
// measure it. Each case gets a fresh `vigil start --clock event` (src/demo's child process), is sent
// the system's own fault-free points before it and then the case's minutes as OTLP/HTTP gauges per
// component (http.server.request.duration, .count, .failed), and the incidents Vigil opened are
// read back over its API: detection, AC@1/AC@3/Avg@5 at service level from the incidents' own
// rankings, time to detect and incidents opened before the fault (false pages). Nothing is fed to
// the ranking by hand; the live detectors (request-metrics, with windows sized from the 5-min
// spacing) decide what pages. PetShop has no traces, so its Vigil cannot learn the call graph: the
// dataset's declared graph (graph.csv) goes into the replayed Vigil's vigil.yaml as `topology.edges`,
// as its operators would write it (--no-topology leaves it out). Cases run one after another, so a
// run fits 2 shared cores.
//   node dist/bench/rca-real.js --replay [--scenario high_traffic] [--split test] [--limit N] [--history-min 120] [--no-topology]

import fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { noDistribution, type MetricPoint } from '../src/model/index.js';
import { metricsRequest } from '../src/sim/index.js';
import { VigilClient } from '../src/client/index.js';
import { listIncidents, startVigilChild, waitForWatermark } from '../src/demo/index.js';
import { machineLine } from './machine.js';
import { POINT_MS, casesOf, componentKind, isAfterFault, median, parseGraph, parsePetshopCsv, seriesOf } from './rca-real-petshop.js';
import type { Case, Table } from './rca-real-petshop.js';

const KEY = 'petshop-replay-key-0123456789abcdef';
const DAY = 86_400_000;
/** How often the replay's clock ticks between points (see replayCase). */
const TICK_MS = 30_000;
/** The dataset authors' anomaly traversal (their notebook, commit 1c5992d): top-1 / top-3 per scenario and issue metric. */
const PUBLISHED: Record<string, Record<string, [number, number]>> = {
  high_traffic: { latency: [0.57, 0.79], availability: [0.67, 1.0] },
  low_traffic: { latency: [0.57, 0.57], availability: [0.83, 1.0] },
  temporal: { latency: [1.0, 1.0], availability: [0.75, 1.0] },
};

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** One 5-min point of every component: latency (s), requests and failed requests in it. */
interface Frame {
  t: number;
  components: Array<{ node: string; latency: number; requests: number; failed: number }>;
}

export function framesOf(table: Table, rows: readonly number[]): Frame[] {
  const nodes = [...new Set(table.columns.map((c) => c.node))];
  const series = new Map(
    nodes.map((n) => [n, { latency: seriesOf(table, n, 'latency'), requests: seriesOf(table, n, 'requests'), failed: seriesOf(table, n, 'errors') }]),
  );
  return rows.map((r) => ({
    t: table.rows[r]!.t,
    components: nodes.map((node) => {
      const s = series.get(node)!;
      return { node, latency: s.latency[r]!, requests: s.requests[r]!, failed: s.failed[r]! };
    }),
  }));
}

/**
 * The system's own fault-free points before a case: the `minutes` of the scenario's fault-free
 * history ending at the case's time of day (traffic follows the clock), re-timed to end where the
 * case begins. The temporal scenarios have none in the snapshot: their other cases' minutes before
 * their faults stand in, in time order (fault-free, but not one stretch).
 */
export function historyFor(history: Table | undefined, others: readonly Case[], c: Case, minutes: number): Frame[] {
  const n = Math.max(1, Math.round((minutes * 60_000) / POINT_MS));
  const start = c.table.rows[0]!.t;
  let frames: Frame[];
  if (history) {
    const timeOfDay = (t: number): number => ((t % DAY) + DAY) % DAY;
    let end = history.rows.length;
    for (let i = history.rows.length - 1; i >= n; i--) {
      const apart = Math.abs(timeOfDay(history.rows[i]!.t) - timeOfDay(start));
      if (Math.min(apart, DAY - apart) < POINT_MS / 2) {
        end = i;
        break;
      }
    }
    const count = Math.min(n, end);
    frames = framesOf(
      history,
      Array.from({ length: count }, (_, k) => end - count + k),
    );
  } else {
    frames = others
      .flatMap((o) =>
        framesOf(
          o.table,
          o.table.rows.map((r, i) => (isAfterFault(r.t, o.faultMs) ? -1 : i)).filter((i) => i >= 0),
        ),
      )
      .sort((a, b) => a.t - b.t)
      .slice(-n);
  }
  return frames.map((f, k) => ({ ...f, t: start - (frames.length - k) * POINT_MS }));
}

function gauge(service: string, name: string, unit: string, timeMs: number, value: number): MetricPoint {
  return {
    name,
    description: '',
    unit,
    type: 'gauge',
    temporality: 'unspecified',
    isMonotonic: false,
    service,
    serviceVersion: '',
    environment: 'petshop',
    timeMs,
    startTimeMs: timeMs - POINT_MS,
    attributes: {},
    // OTLP names the service by its resource, as any exporter does.
    resourceAttributes: { 'service.name': service, 'deployment.environment.name': 'petshop' },
    value,
    ...noDistribution(),
  };
}

/** A point's figures are known when its 5 minutes end: it is stamped then. */
export function pointsOf(f: Frame, shiftMs: number): MetricPoint[] {
  const at = f.t + POINT_MS + shiftMs;
  return f.components.flatMap((c) =>
    [
      gauge(c.node, 'http.server.request.duration', 's', at, c.latency),
      gauge(c.node, 'http.server.request.count', '{request}', at, c.requests),
      gauge(c.node, 'http.server.request.failed', '{request}', at, c.failed),
    ].filter((p) => Number.isFinite(p.value)),
  );
}

interface ReplayResult {
  c: Case;
  detected: boolean;
  ttdMs: number;
  rank: number;
  top: string[];
  before: number;
  historyMs: number;
  wallMs: number;
}

/** The replayed Vigil's vigil.yaml: the declared call graph (names quoted: they hold spaces, colons and slashes), remote nodes as external. */
export function topologyYaml(edges: ReadonlyArray<readonly [string, string]>): string {
  const lines = edges
    .filter(([from, to]) => from !== to)
    .map(([from, to]) => {
      const kind = componentKind(to);
      return `    - { from: ${JSON.stringify(from)}, to: ${JSON.stringify(to)}${kind ? `, kind: ${kind}` : ''} }`;
    });
  return lines.length ? `topology:\n  edges:\n${lines.join('\n')}\n` : '';
}

async function replayCase(c: Case, history: Frame[], edges: ReadonlyArray<readonly [string, string]>): Promise<ReplayResult> {
  const wallStart = Date.now();
  // Whole days to a recent date: the time of day stays, the store's retention never sees 2023.
  const shiftMs = Math.round((Date.UTC(2026, 10, 3) - c.faultMs) / DAY) * DAY;
  const faultMs = c.faultMs + shiftMs;
  const caseFrames = framesOf(
    c.table,
    c.table.rows.map((_, i) => i),
  );
  const after = c.table.rows.filter((r) => isAfterFault(r.t, c.faultMs));
  // Detected: an incident opened by the end of the second point after the fault (+1 min to close its buckets).
  const deadline = (after[1] ?? after[0])!.t + POINT_MS + shiftMs + 60_000;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-petshop-'));
  const configFile = path.join(dataDir, 'vigil.yaml');
  fs.writeFileSync(configFile, topologyYaml(edges));
  const vigil = await startVigilChild({ dataDir, apiKey: KEY, clock: 'event', env: process.env, configFile });
  try {
    const api = new VigilClient({ url: vigil.apiUrl, apiKey: KEY, timeoutMs: 120_000 });
    const post = async (points: MetricPoint[]): Promise<void> => {
      const res = await fetch(`${vigil.otlpUrl}/v1/metrics`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(metricsRequest(points)),
        signal: AbortSignal.timeout(120_000),
      });
      if (!res.ok) throw new Error(`POST /v1/metrics answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    };
    // Between two 5-min points a live Vigil's clock keeps moving and its windows close as time
    // passes; an event clock moves only with data. A clock series no detector reads ticks every
    // TICK_MS between the points, so incidents open (and time to detect is measured) as they would live.
    for (const f of [...history, ...caseFrames]) {
      await post(pointsOf(f, shiftMs));
      const at = f.t + POINT_MS + shiftMs;
      for (let tick = at + TICK_MS; tick < at + POINT_MS; tick += TICK_MS) await post([gauge('replay-clock', 'replay.clock', '1', tick, 0)]);
    }
    const lastMs = caseFrames[caseFrames.length - 1]!.t + 2 * POINT_MS + shiftMs;
    await post([gauge('replay-clock', 'replay.clock', '1', lastMs, 0)]);
    await waitForWatermark(api, lastMs - 10_000);
    const incidents = (await listIncidents(api)).map((i) => ({ ...i, at: Date.parse(i.detectedAt) }));
    const pages = incidents
      .filter((i) => i.at >= faultMs && i.at <= deadline)
      .sort((a, b) => a.at - b.at || (b.topRootCause?.score ?? 0) - (a.topRootCause?.score ?? 0));
    if (VERBOSE)
      for (const i of incidents.filter((x) => x.at < faultMs))
        console.log(`    before the fault: ${i.id} opened ${Math.round((faultMs - i.at) / 60_000)} min before it: ${i.title}`);
    // What the on-call reads, first page first: each incident's ranked services in the order they opened.
    const ranked: string[] = [];
    for (const p of pages) {
      const detail = await api.getIncident(p.id);
      if (VERBOSE) console.log(describeIncident(detail, faultMs));
      for (const rc of detail.rootCauses) if (!ranked.includes(rc.service)) ranked.push(rc.service);
    }
    return {
      c,
      detected: pages.length > 0,
      ttdMs: pages.length > 0 ? pages[0]!.at - faultMs : NaN,
      rank: ranked.indexOf(c.truth) + 1,
      top: ranked.slice(0, 3),
      before: incidents.filter((i) => i.at < faultMs).length,
      historyMs: history.length * POINT_MS + (c.faultMs - c.table.rows[0]!.t),
      wallMs: Date.now() - wallStart,
    };
  } finally {
    await vigil.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `--verbose`: each paged incident's signals and ranking, to see why a case missed. */
const VERBOSE = process.argv.includes('--verbose');
function describeIncident(i: Awaited<ReturnType<VigilClient['getIncident']>>, faultMs: number): string {
  const at = (iso: string | undefined): string => (iso ? `${Math.round((Date.parse(iso) - faultMs) / 1000)} s` : '-');
  const lines = [`    incident ${i.id} opened ${at(i.detectedAt)} after the fault, onset ${at(i.startedAt)}: ${i.title}`];
  for (const s of i.signals)
    lines.push(`      signal ${s.subject.service} ${s.kind} ${s.subject.metric ?? ''} onset ${at(s.startedAt)} detected ${at(s.detectedAt)}: ${s.summary}`);
  for (const rc of i.rootCauses) lines.push(`      cause ${rc.score.toFixed(3)} ${rc.service} (${rc.kind}): ${rc.explanation.slice(0, 300)}`);
  return lines.join('\n');
}

const f2 = (x: number): string => x.toFixed(2);
const pct = (x: number): string => `${Math.round(x * 100)}%`;
const secs = (ms: number): string => (Number.isNaN(ms) ? '-' : `${Math.round(ms / 1000)} s`);

function summaryRow(label: string, rs: readonly ReplayResult[], published?: [number, number]): string {
  const n = rs.length;
  const ac = (k: number): number => rs.filter((r) => r.rank > 0 && r.rank <= k).length / Math.max(1, n);
  const avg5 = [1, 2, 3, 4, 5].reduce((a, k) => a + ac(k), 0) / 5;
  const det = rs.filter((r) => r.detected).length / Math.max(1, n);
  const ttd = median(rs.filter((r) => r.detected).map((r) => r.ttdMs));
  const before = rs.reduce((a, r) => a + r.before, 0);
  const days = rs.reduce((a, r) => a + r.historyMs, 0) / DAY;
  const pub = published ? `${f2(published[0])} / ${f2(published[1])}` : '';
  return `  ${label.padEnd(34)}${String(n).padEnd(4)}${pub.padEnd(13)}${f2(ac(1)).padEnd(6)}${f2(ac(3)).padEnd(6)}${f2(avg5).padEnd(7)}${pct(det).padEnd(9)}${secs(ttd).padEnd(8)}${before} (${(before / Math.max(days, 1e-9)).toFixed(1)}/day)`;
}

export async function replayMain(): Promise<void> {
  const root = option('--data') ?? 'bench/out/petshop/dataset';
  if (!fs.existsSync(root)) {
    console.log(`no PetShop data at ${root}: see the header of bench/rca-real.ts for how to fetch it`);
    process.exitCode = 1;
    return;
  }
  const minutes = Number(option('--history-min') ?? 120);
  const limit = Number(option('--limit') ?? Infinity);
  const split = option('--split') ?? 'all';
  const only = option('--scenario');
  // One case by its split and name (e.g. `--scenario high_traffic --case train/issue_1`), to compare it with the direct feed.
  const onlyCase = option('--case');
  const declared = !process.argv.includes('--no-topology');
  console.log(machineLine());
  console.log(
    `replay: each case through a fresh vigil start --clock event over OTLP/HTTP; ${minutes} min of fault-free history before it; split ${split}; ${declared ? "the dataset's call graph declared in vigil.yaml (topology.edges)" : 'no declared topology'}`,
  );
  const all: ReplayResult[] = [];
  for (const scenario of fs.readdirSync(root).sort()) {
    if (only && scenario !== only) continue;
    const cases = casesOf(root, scenario);
    const historyFile = path.join(root, scenario, 'noissue', 'metrics.csv');
    const history = fs.existsSync(historyFile) ? parsePetshopCsv(fs.readFileSync(historyFile, 'utf8')) : undefined;
    const edges = declared ? parseGraph(fs.readFileSync(path.join(root, scenario, 'graph.csv'), 'utf8')) : [];
    const chosen = cases.filter((c) => (split === 'all' || c.split === split) && (!onlyCase || `${c.split}/${c.name}` === onlyCase)).slice(0, limit);
    console.log(
      `\n${scenario}: ${chosen.length} cases, history: ${history ? 'its fault-free history' : "other cases' pre-fault points (no fault-free history in the snapshot)"}, ${edges.length} declared edges`,
    );
    for (const c of chosen) {
      const r = await replayCase(
        c,
        historyFor(
          history,
          cases.filter((o) => o !== c),
          c,
          minutes,
        ),
        edges,
      );
      all.push(r);
      console.log(
        `  ${`${c.split}/${c.name}`.padEnd(22)}${`${c.targetMetric} · ${c.truth}`.padEnd(58)}${r.detected ? `+${secs(r.ttdMs)}`.padEnd(9) : 'missed   '}${`rank ${r.rank || '-'}`.padEnd(9)}top ${r.top.join(' | ') || '-'}; before the fault ${r.before}; ${secs(r.wallMs)} wall`,
      );
    }
  }
  console.log(`\n  ${''.padEnd(34)}n   published    AC@1  AC@3  Avg@5  detected TTD     incidents before the fault`);
  const groups = [...new Set(all.map((r) => (r.c.scenario.startsWith('temporal') ? 'temporal' : r.c.scenario)))];
  for (const g of groups) {
    const of = all.filter((r) => (g === 'temporal' ? r.c.scenario.startsWith('temporal') : r.c.scenario === g));
    console.log(summaryRow(`${g} · all`, of));
    for (const metric of ['latency', 'availability'])
      console.log(
        summaryRow(
          `${g} · ${metric}`,
          of.filter((r) => r.c.targetMetric === metric),
          PUBLISHED[g]?.[metric],
        ),
      );
    console.log(
      summaryRow(
        `${g} · test split`,
        of.filter((r) => r.c.split === 'test'),
      ),
    );
  }
  console.log(summaryRow('all cases', all));
}
