// Fire-drill benchmark (issue 4): `vigil drill --all` in replay mode. Each fault of the catalog is
// injected into the seeded shop simulator, replayed through a fresh Vigil in event-clock mode over
// its real OTLP and API endpoints, and scored against ground truth. Prints the table and the
// goals: every fault detected, median time to detect <= 60 s, no false incidents, RCA@1 >= 80%.
//   npm run bench:drill [-- --only <fault> --seed 1 --rps 6 --warmup-min 40 --fault-min 15 --after-min 25]
//   npm run bench:drill -- --topology marketplace --background 0.0015 --deploy-every-min 4 --warmup-min 180
// (the second shop, unseen by the detectors' tuning, with an error background and frequent deploys)
//   add `--harmless-deploy` for the confounder scenario: a harmless deploy of an affected service
//   30–120 s before each fault (it must not be blamed)
//   add `--in-process` to feed the pure engines directly (no Vigil child, no HTTP, no store): hours
//   of event time in minutes; the context then has no log lines (the replay keeps no logs)

import { runReplayDrill } from '../src/demo/index.js';
import { runEngineDrill } from '../src/demo/engine-drill.js';
import type { DrillResult } from '../src/demo/index.js';
import { formatDrillTable } from '../src/demo/drill-report.js';
import { faultNamesOf } from '../src/sim/index.js';
import { machineLine } from './machine.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const num = (name: string, fallback: number): number => Number(arg(name) ?? fallback);

const only = arg('only');
const topology = arg('topology') ?? 'shop';
const faults = only ? [only] : faultNamesOf(topology);
const options = { seed: num('seed', 1), rps: num('rps', 6), warmupMin: num('warmup-min', 40), faultMin: num('fault-min', 15), afterMin: num('after-min', 25) };
const background = arg('background') !== undefined ? num('background', 0.001) : undefined;
const inProcess = process.argv.includes('--in-process');
const deployEveryMin = arg('deploy-every-min') !== undefined ? num('deploy-every-min', 20) : undefined;
const harmlessDeploy = process.argv.includes('--harmless-deploy');

console.log(machineLine());
console.log(
  `workload: ${faults.length} faults, each ${inProcess ? 'replayed in process into fresh engines (detect, graph, incidents, rca, impact over in-memory spans)' : 'a fresh Vigil (--clock event)'} fed ${options.warmupMin} min healthy + ${options.faultMin} min fault + ${options.afterMin} min after clearing ` +
    `of the ${topology} simulator at ${options.rps} req/s (seed ${options.seed}; background errors ${background ?? 0.001} per span, a benign deploy every ~${deployEveryMin ?? 20} min${harmlessDeploy ? ' and one of an affected service 30–120 s before the fault' : ''}), ` +
    (inProcess ? 'in event-time order' : 'OTLP/JSON over HTTP in event-time order, deploys/config changes over the API'),
);
const results: DrillResult[] = [];
const t0 = Date.now();
for (const fault of faults) {
  const r = await (inProcess ? runEngineDrill : runReplayDrill)({
    fault,
    seed: options.seed,
    rps: options.rps,
    warmupMs: options.warmupMin * 60_000,
    faultMs: options.faultMin * 60_000,
    afterMs: options.afterMin * 60_000,
    topology,
    ...(background !== undefined ? { backgroundErrorRate: background } : {}),
    ...(deployEveryMin !== undefined ? { deployEveryMs: deployEveryMin * 60_000 } : {}),
    ...(harmlessDeploy ? { harmlessDeploy } : {}),
    env: process.env,
    progress: (text) => console.error(`  ${text}`),
  });
  results.push(r);
  console.error(
    `${fault}: ${r.detected ? `detected after ${Math.round((r.timeToDetectMs ?? 0) / 1000)} s` : 'NOT detected'}, top cause ${r.topRootCause ? `${r.topRootCause.service} ${r.topRootCause.kind}` : '-'}, ${r.spans} spans in ${Math.round(r.replayWallMs / 1000)} s`,
  );
}
console.log(formatDrillTable(results));
const spans = results.reduce((a, r) => a + r.spans, 0);
console.log(
  `replay throughput: ${spans} spans (plus logs and metrics) in ${Math.round((Date.now() - t0) / 1000)} s wall = ${Math.round(spans / ((Date.now() - t0) / 1000))} spans/s`,
);
for (const r of results) if (r.falseIncidentTitles.length) console.log(`false incidents in ${r.fault}: ${r.falseIncidentTitles.join(' | ')}`);
for (const r of results) if (r.duplicateIncidents?.length) console.log(`duplicate incidents in ${r.fault}: ${r.duplicateIncidents.join(' | ')}`);
