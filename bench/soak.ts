// Soak benchmark of the detection engine (`npm run bench:soak`). Part 1: 7 days of clean,
// seasonal traffic for 20 services (benign deploys, 3× surges, quiet nights) replayed in event
// time: false signals per service per week (goal ≤ 0.5). Part 2: injected step changes (errors
// ×10, latency ×2, traffic −70%): detection delay, median goal ≤ 60 s. Also engine spans/s.
import os from 'node:os';
import { DetectionEngine } from '../src/detect/index.js';
import type { DetectionConfigInput } from '../src/detect/config.js';
import type { Signal } from '../src/model/index.js';
import { generateTraffic, syntheticFleet, type Fault, type FaultKind } from '../src/detect/testing/traffic.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 10, 2); // a Monday, 00:00 UTC
const SERVICES = 20;

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown cpu'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}`;
}

interface RunResult {
  signals: Signal[];
  spans: number;
  /** Wall time inside the engine calls. */
  engineMs: number;
  /** CPU time inside the engine calls (the honest figure on a shared machine). */
  engineCpuMs: number;
}

// `-- --config '{"errorRate":{"alpha":1e-5}}'` tries detector settings (the `detect:` section).
const configAt = process.argv.indexOf('--config');
const detectConfig = configAt >= 0 ? (JSON.parse(process.argv[configAt + 1] ?? '{}') as DetectionConfigInput) : {};

function run(options: Parameters<typeof generateTraffic>[0], endMs: number): RunResult {
  const engine = new DetectionEngine(detectConfig);
  const signals: Signal[] = [];
  let spans = 0;
  let engineMs = 0;
  let engineCpuMs = 0;
  for (const chunk of generateTraffic(options, endMs)) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const change of chunk.changes) engine.observeChange(change);
    engine.observeSpans(chunk.spans);
    signals.push(...engine.advance(chunk.toMs));
    const c = process.cpuUsage(c0);
    engineCpuMs += (c.user + c.system) / 1000;
    engineMs += performance.now() - t0;
    spans += chunk.spans.length;
  }
  return { signals, spans, engineMs, engineCpuMs };
}

function soak(): void {
  const days = Number(process.env.SOAK_DAYS ?? 7);
  const services = syntheticFleet(SERVICES, 7);
  const surges = [
    { service: 'svc-03', atMs: START + 2 * DAY + 10 * HOUR, durationMs: 45 * 60_000, factor: 3 },
    { service: 'svc-11', atMs: START + 4 * DAY + 19 * HOUR, durationMs: 60 * 60_000, factor: 3 },
  ];
  const t0 = performance.now();
  const result = run({ seed: 42, startMs: START, services, deployEveryHours: 12, surges }, START + days * DAY);
  const wallS = (performance.now() - t0) / 1000;
  const fired = result.signals.filter((s) => s.status === 'firing');
  const perServiceWeek = fired.length / SERVICES / (days / 7);
  const deploys = Math.round((days * 24 * SERVICES) / 12);
  console.log(
    `\n[1] false-positive soak: ${days} days, ${SERVICES} services × 3 routes (+1 db edge each), ~${deploys} benign deploys, 2 surges ×3, quiet nights (15% of peak), weekends 70%`,
  );
  console.log(`    spans fed: ${result.spans.toLocaleString('en-US')} in ${wallS.toFixed(1)} s; ${throughput(result)}`);
  const byKind = new Map<string, number>();
  for (const s of fired) byKind.set(s.kind, (byKind.get(s.kind) ?? 0) + 1);
  console.log(`    false signals: ${fired.length} (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})`);
  for (const s of fired.slice(0, 10)) console.log(`      ${new Date(s.detectedAtMs).toISOString()} ${s.summary}`);
  console.log(`    false signals per service per week: ${perServiceWeek.toFixed(2)}   goal ≤ 0.5   ${perServiceWeek <= 0.5 ? 'MET' : 'NOT MET'}`);
}

function delays(): void {
  const services = syntheticFleet(SERVICES, 11, 2);
  const kinds: Array<[FaultKind, number, string]> = [
    ['errors', 10, 'errors ×10'],
    ['latency', 2, 'latency ×2'],
    ['traffic', 0.3, 'traffic −70%'],
  ];
  const faults: Fault[] = [];
  // Each service gets one fault at a different hour of the afternoon, after a 10 h warm-up.
  services.forEach((s, i) => {
    const [kind, factor] = kinds[i % kinds.length]!;
    faults.push({ service: s.name, kind, factor, atMs: START + 10 * HOUR + i * 17 * 60_000 + 3_333 * i, durationMs: 10 * 60_000 });
  });
  const endMs = START + 10 * HOUR + SERVICES * 17 * 60_000 + HOUR;
  const t0 = performance.now();
  const result = run({ seed: 43, startMs: START, services, faults, deployEveryHours: 0 }, endMs);
  const wallS = (performance.now() - t0) / 1000;
  console.log(`\n[2] detection delay: ${SERVICES} services (peaks 1-5 req/s per route), one step fault each after 10 h of history, 10 min long`);
  const all: number[] = [];
  for (const [kind, , label] of kinds) {
    const ds: number[] = [];
    let missed = 0;
    for (const f of faults.filter((x) => x.kind === kind)) {
      const hit = result.signals.find(
        (s) => s.status === 'firing' && s.subject.service === f.service && s.detectedAtMs >= f.atMs && s.detectedAtMs <= f.atMs + f.durationMs,
      );
      if (hit) ds.push((hit.detectedAtMs - f.atMs) / 1000);
      else missed++;
    }
    all.push(...ds);
    console.log(
      `    ${label.padEnd(14)} detected ${ds.length}/${ds.length + missed}, delays ${ds.map((d) => `${d.toFixed(0)}s`).join(' ')}; median ${median(ds).toFixed(0)} s`,
    );
  }
  const outside = result.signals.filter(
    (s) =>
      s.status === 'firing' &&
      !faults.some((f) => f.service === s.subject.service && s.detectedAtMs >= f.atMs && s.detectedAtMs <= f.atMs + f.durationMs + 5 * 60_000),
  );
  console.log(`    signals outside any fault window: ${outside.length}`);
  for (const s of outside.slice(0, 5)) console.log(`      ${new Date(s.detectedAtMs).toISOString()} ${s.summary}`);
  const m = median(all);
  console.log(`    median detection delay: ${m.toFixed(0)} s   goal ≤ 60 s   ${m <= 60 ? 'MET' : 'NOT MET'}`);
  console.log(`    run ${wallS.toFixed(1)} s incl. generation; ${throughput(result)}`);
}

function throughput(r: RunResult): string {
  const perS = (ms: number): string => Math.round(r.spans / (ms / 1000)).toLocaleString('en-US');
  return `engine ${(r.engineCpuMs / 1000).toFixed(1)} s CPU (${(r.engineMs / 1000).toFixed(1)} s wall) → ${perS(r.engineCpuMs)} spans/s per core (${perS(r.engineMs)} wall)`;
}

function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

console.log(`vigil soak benchmark — ${machine()}`);
if (process.env.SOAK_PART !== '2') soak();
if (process.env.SOAK_PART !== '1') delays();
