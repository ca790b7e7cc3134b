// Benchmark of the pure incident core: correlation + lifecycle cost per signal batch over a day of
// seeded problems in a 300-service topology, how well signals group (one incident per problem),
// and context assembly over in-memory spans as a reference for the ClickHouse implementation.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { assembleContext, InMemoryContextQueries } from '../src/context/index.js';
import { seedTelemetry } from '../src/context/testing/seedTelemetry.js';
import { IncidentEngine } from '../src/incidents/index.js';
import { replay, scenarioT0, seedCaseScenario, signalOf } from '../src/incidents/testing/scenarios.js';
import { EdgeListTopology, shopTopology } from '../src/incidents/testing/topology.js';
import { seededRandom } from '../src/incidents/testing/rng.js';
import type { Signal, SignalKind } from '../src/model/index.js';
import { machineLine, percentile } from './machine.js';

const min = 60_000;
const clusters = 100;
const perCluster = 3;
const problems = 480; // one every 3 minutes for a day
const rand = seededRandom(20261125);

// 100 independent stacks of 3 services (entry → api → db client), so ground truth is clear.
const edges: Array<[string, string]> = [];
for (let c = 0; c < clusters; c++) for (let i = 0; i < perCluster - 1; i++) edges.push([`c${c}-s${i}`, `c${c}-s${i + 1}`]);
const topology = new EdgeListTopology(edges);

interface Timed {
  atMs: number;
  signal: Signal;
  problem: number;
}
const kinds: SignalKind[] = ['error-rate', 'latency', 'saturation', 'new-exception', 'log-pattern-spike'];
const events: Timed[] = [];
for (let p = 0; p < problems; p++) {
  const cluster = Math.floor(rand() * clusters);
  const onset = scenarioT0 + p * 3 * min + Math.floor(rand() * 30_000);
  const n = 3 + Math.floor(rand() * 6);
  const lastsMs = (5 + rand() * 15) * min;
  for (let i = 0; i < n; i++) {
    const service = `c${cluster}-s${Math.floor(rand() * perCluster)}`;
    const kind = kinds[Math.floor(rand() * kinds.length)]!;
    const start = onset + Math.floor(rand() * 3 * min);
    const s = signalOf(kind, { service, route: `GET /r${i}` }, start, { score: 0.5 + rand() * 0.5, detectedAtMs: start + 30_000 });
    events.push({ atMs: s.detectedAtMs, signal: s, problem: p });
    events.push({ atMs: start + lastsMs, signal: { ...s, status: 'recovered', endedAtMs: start + lastsMs }, problem: p });
  }
}
events.sort((a, b) => a.atMs - b.atMs);

const engine = new IncidentEngine({ retainResolved: 100_000 });
const batchMs: number[] = [];
const tickMs: number[] = [];
const problemOf = new Map<string, number>();
for (const e of events) problemOf.set(e.signal.id, e.problem);
let i = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let now = scenarioT0; i < events.length || now < events[events.length - 1]!.atMs + 60 * min; now += 10_000) {
  const batch: Signal[] = [];
  while (i < events.length && events[i]!.atMs <= now) batch.push(events[i++]!.signal);
  if (batch.length) {
    const s = performance.now();
    engine.onSignals(batch, now, topology);
    batchMs.push(performance.now() - s);
  }
  const s = performance.now();
  engine.tick(now);
  tickMs.push(performance.now() - s);
}
const totalMs = performance.now() - t0;
const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
const engineCpuMs = cpuMs(process.cpuUsage(cpu0));
const firing = events.filter((e) => e.signal.status === 'firing').length;

// Grouping quality against the ground truth kept in memory (resolved incidents are retained).
const incidents = engine.list({ status: 'all' });
const incidentsPerProblem = new Map<number, Set<string>>();
let mixed = 0;
for (const inc of incidents) {
  const ps = new Set(inc.signals.map((s) => problemOf.get(s.id)!));
  if (ps.size > 1) mixed += 1;
  for (const p of ps) (incidentsPerProblem.get(p) ?? incidentsPerProblem.set(p, new Set()).get(p)!).add(inc.id);
}
const split = [...incidentsPerProblem.values()].filter((s) => s.size > 1).length;
const reopened = incidents.reduce((n, inc) => n + inc.reopenCount, 0);

// Seed case end to end in the engine: open latency in event time and in wall time.
const seedEngine = new IncidentEngine();
const seedStart = performance.now();
const seedUpdates = replay(seedEngine, seedCaseScenario({ seed: 1, noRecovery: true }), shopTopology);
const seedWall = performance.now() - seedStart;
const opened = seedUpdates.find((u) => u.event === 'opened')!.incident;

// Context assembly over in-memory spans (reference only: the 10M-span goal is for the store).
const telemetry = seedTelemetry({ seed: 7, t0: scenarioT0, fromMs: scenarioT0 - 60 * min, toMs: scenarioT0 + 10 * min, meanGapMs: 100 });
const queries = new InMemoryContextQueries(telemetry);
const contextRuns: number[] = [];
const contextCpu: number[] = [];
for (let r = 0; r < 5; r++) {
  const s = performance.now();
  const c = process.cpuUsage();
  await assembleContext(seedEngine.get('1')!, queries, { nowMs: scenarioT0 + 10 * min, entryServices: ['frontend'] });
  contextRuns.push(performance.now() - s);
  contextCpu.push(cpuMs(process.cpuUsage(c)));
}

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const fmt = (ms: number): string => `${ms.toFixed(3)} ms`;
console.log(machineLine());
console.log(`workload: ${problems} problems over 24 h of event time in ${clusters} independent 3-service stacks; ${firing} firing + ${firing} recovered signals; a tick every 10 s`);
console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (wall figures stretch when the 2 cores are shared; CPU time is steadier)`);
console.log(`engine total: ${(totalMs / 1000).toFixed(2)} s wall, ${(engineCpuMs / 1000).toFixed(2)} s CPU for ${events.length} signals and ${tickMs.length} ticks (${Math.round(events.length / (engineCpuMs / 1000))} signals per CPU-second incl. ticks)`);
console.log(`onSignals per batch: p50 ${fmt(percentile(sorted(batchMs), 0.5))}, p99 ${fmt(percentile(sorted(batchMs), 0.99))}, max ${fmt(Math.max(...batchMs))}   goal: open latency < 5 s end to end (engine share should be < 10 ms)`);
console.log(`tick: p50 ${fmt(percentile(sorted(tickMs), 0.5))}, p99 ${fmt(percentile(sorted(tickMs), 0.99))}`);
console.log(`grouping: ${incidents.length} incidents for ${problems} problems (${reopened} reopenings); incidents mixing problems: ${mixed} (overlapping problems in one stack merge by design); problems split over >1 incident: ${split}`);
console.log(`seed case: opened ${((opened.detectedAtMs - opened.startedAtMs) / 1000).toFixed(0)} s of event time after the first onset (goal < 120 s); replay of the scenario ${fmt(seedWall)} wall`);
console.log(`context assembly (in-memory reference, ${telemetry.spans.length.toLocaleString('en-US')} spans, ${telemetry.logs.length.toLocaleString('en-US')} logs): p50 ${fmt(percentile(sorted(contextRuns), 0.5))} wall, ${fmt(percentile(sorted(contextCpu), 0.5))} CPU; goal < 1 s applies to the ClickHouse queries on 10M spans`);
