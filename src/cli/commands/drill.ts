// `vigil drill`: fire drills that measure the monitoring itself. In replay mode a fresh Vigil in
// event-clock mode receives the shop simulator's telemetry with one fault injected, and the drill
// reports time to detect, the top root cause against ground truth, severity, false incidents and
// time to all-clear; `--all` runs every fault in the catalog and prints a table.

import { intFlag, parseArgs } from '../args.js';
import { CliError } from '../command.js';
import type { Command } from '../command.js';

const usage = `usage: vigil drill FAULT|--all [--replay] [--seed N] [--rps 6] [--warmup-min 40] [--fault-min 15] [--after-min 25] [--json]

  Replay mode (the default, and the only one so far) runs on a private Vigil in event-clock mode:
  about a minute of wall time per fault instead of an hour. Faults: vigil demo faults, or
  pool-exhaustion-deploy, latency-deploy, cache-outage, memory-leak, new-exception-deploy,
  traffic-drop, noisy-neighbour-db, config-change.`;

export const drillCommand: Command = {
  name: 'drill',
  summary: 'inject faults into a simulated shop and measure detection, root cause and all-clear',
  usage,
  async run(args) {
    const p = parseArgs(args, ['all', 'replay', 'json']);
    const { FAULT_NAMES } = await import('../../sim/index.js');
    const { runReplayDrill } = await import('../../demo/index.js');
    const { formatDrillTable } = await import('../../demo/drill-report.js');
    const names = p.booleans.has('all') ? [...FAULT_NAMES] : p.positional.slice(0, 1);
    if (names.length === 0) throw new CliError(`name a fault or pass --all\n${usage}`);
    for (const n of names) if (!FAULT_NAMES.includes(n)) throw new CliError(`unknown fault "${n}" (known: ${FAULT_NAMES.join(', ')})`);
    const results = [];
    for (const fault of names) {
      if (!p.booleans.has('json')) console.error(`drill ${fault} …`);
      results.push(
        await runReplayDrill({
          fault,
          seed: intFlag(p, 'seed', 1),
          rps: intFlag(p, 'rps', 6),
          warmupMs: intFlag(p, 'warmup-min', 40) * 60_000,
          faultMs: intFlag(p, 'fault-min', 15) * 60_000,
          afterMs: intFlag(p, 'after-min', 25) * 60_000,
          env: process.env,
          progress: p.booleans.has('json') ? undefined : (text) => console.error(`  ${text}`),
        }),
      );
    }
    if (p.booleans.has('json')) console.log(JSON.stringify(results, null, 2));
    else console.log(formatDrillTable(results));
    return 0;
  },
};
