// Fire-drill benchmark (issue 4): `vigil drill --all` in replay mode. Each fault of the catalog is
// injected into the seeded shop simulator, replayed through a fresh Vigil in event-clock mode over
// its real OTLP and API endpoints, and scored against ground truth. Prints the table and the
// goals: every fault detected, median time to detect <= 60 s, no false incidents, RCA@1 >= 80%.
//   npm run bench:drill [-- --only <fault> --seed 1 --rps 6 --warmup-min 40 --fault-min 15 --after-min 25]

import { runReplayDrill } from '../src/demo/index.js';
import type { DrillResult } from '../src/demo/index.js';
import { formatDrillTable } from '../src/demo/drill-report.js';
import { FAULT_NAMES } from '../src/sim/index.js';
import { machineLine } from './machine.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const num = (name: string, fallback: number): number => Number(arg(name) ?? fallback);

const only = arg('only');
const faults = only ? [only] : [...FAULT_NAMES];
const options = { seed: num('seed', 1), rps: num('rps', 6), warmupMin: num('warmup-min', 40), faultMin: num('fault-min', 15), afterMin: num('after-min', 25) };

console.log(machineLine());
console.log(
  `workload: ${faults.length} faults, each a fresh Vigil (--clock event) fed ${options.warmupMin} min healthy + ${options.faultMin} min fault + ${options.afterMin} min after clearing ` +
    `of the shop simulator at ${options.rps} req/s (seed ${options.seed}), OTLP/JSON over HTTP in event-time order, deploys/config changes over the API`,
);
const results: DrillResult[] = [];
const t0 = Date.now();
for (const fault of faults) {
  const r = await runReplayDrill({
    fault,
    seed: options.seed,
    rps: options.rps,
    warmupMs: options.warmupMin * 60_000,
    faultMs: options.faultMin * 60_000,
    afterMs: options.afterMin * 60_000,
    env: process.env,
    progress: (text) => console.error(`  ${text}`),
  });
  results.push(r);
  console.error(`${fault}: ${r.detected ? `detected after ${Math.round((r.timeToDetectMs ?? 0) / 1000)} s` : 'NOT detected'}, top cause ${r.topRootCause ? `${r.topRootCause.service} ${r.topRootCause.kind}` : '-'}, ${r.spans} spans in ${Math.round(r.replayWallMs / 1000)} s`);
}
console.log(formatDrillTable(results));
const spans = results.reduce((a, r) => a + r.spans, 0);
console.log(`replay throughput: ${spans} spans (plus logs and metrics) in ${Math.round((Date.now() - t0) / 1000)} s wall = ${Math.round(spans / ((Date.now() - t0) / 1000))} spans/s`);
for (const r of results) if (r.falseIncidentTitles.length) console.log(`false incidents in ${r.fault}: ${r.falseIncidentTitles.join(' | ')}`);
