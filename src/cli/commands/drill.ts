// `vigil drill`: fire drills that measure the monitoring itself. In replay mode a fresh Vigil in
// event-clock mode receives the shop simulator's telemetry with one fault injected; in live mode
// the fault goes into a running `vigil demo`. Either way the drill reports time to detect, time to
// a correct top root cause, severity, context completeness, false incidents and time to all-clear;
// `--all` runs every fault in the catalog, one after the other, and prints a table.

import { resolveClientConfig } from '../../config/index.js';
import type { DrillResult } from '../../demo/index.js';
import { CliError } from '../command.js';
import type { Command } from '../command.js';
import { defineCommand, formatUsage, jsonOption, parseCommand, wholeNumber, type OptionValues } from '../options.js';

export const drillSpec = defineCommand({
  name: 'drill',
  args: 'FAULT|--all',
  maxPositionals: 1,
  summary: 'Injects a fault (replayed, or into a running demo with --live) and measures detection, root cause and all-clear.',
  options: {
    all: { type: 'boolean', description: 'every fault in the catalog, one after the other' },
    replay: { type: 'boolean', description: 'replay mode (the default)' },
    live: { type: 'boolean', description: 'drill a running `vigil demo`' },
    seed: { type: 'string', value: 'N', description: 'replay: simulator seed (default 1)' },
    rps: { type: 'string', value: 'N', description: 'replay: requests per second (default 6)' },
    'warmup-min': { type: 'string', value: 'N', description: 'replay: healthy minutes before the fault (default 40)' },
    'fault-min': { type: 'string', value: 'N', description: 'minutes the fault lasts at most (default 15 replayed, 10 live)' },
    'after-min': { type: 'string', value: 'N', description: 'replay: minutes after the fault (default 25)' },
    api: { type: 'string', value: 'URL', description: "live: Vigil's API (default VIGIL_URL or http://127.0.0.1:8080)" },
    url: { type: 'string', value: 'URL', description: 'live: the same as --api' },
    key: { type: 'string', value: 'KEY', description: 'live: API key (default VIGIL_API_KEY)' },
    control: { type: 'string', value: 'URL', description: "live: the demo's control API (default http://127.0.0.1:8090)" },
    'settle-s': { type: 'string', value: 'N', description: 'live: seconds the top root cause must stay right (default 60)' },
    'max-detect-min': { type: 'string', value: 'N', description: 'live: give up detection after N minutes (default 5)' },
    'all-clear-min': { type: 'string', value: 'N', description: 'live: wait N minutes for the all-clear (default 20)' },
    ...jsonOption,
  },
  notes: `Replay mode (the default) runs on a private Vigil in event-clock mode: about a minute of wall
  time per fault instead of an hour. It has its own embedded store and Vigil's defaults: a
  ./vigil.yaml, VIGIL_CONFIG or VIGIL_CLICKHOUSE_URL is not used, so the drill's synthetic
  telemetry and incidents never reach your store or channels (--live drills your own Vigil).
  Live mode (--live) drills a running \`vigil demo\`: it injects the fault through the demo's control
  API, polls Vigil's incidents, clears the fault once the incident's top root cause has been right
  for --settle-s (or after --fault-min, or after --max-detect-min without an incident), then waits up
  to --all-clear-min for the incident to resolve. The key is --key or VIGIL_API_KEY (the one
  \`vigil demo\` prints); --api defaults to VIGIL_URL or http://127.0.0.1:8080. Ctrl-C clears the fault.
  The demo should have run for 2 minutes first (its Vigil judges after 90 s of traffic). Vigil gives
  the all-clear 10 stable minutes after the signals recover, so a live drill takes about 20 minutes.
  A resolved incident that flares up within Vigil's cool-down (30 min) reopens; the drill then counts
  the reopening as the detection (--all runs faults back to back, so expect reopens there).
  Faults: pool-exhaustion-deploy, latency-deploy, cache-outage, memory-leak, new-exception-deploy,
  traffic-drop, noisy-neighbour-db, config-change.`,
});

const usage = formatUsage(drillSpec);
type DrillOptions = OptionValues<typeof drillSpec.options>;

const REPLAY_ONLY = ['seed', 'rps', 'warmup-min', 'after-min'] as const;
const LIVE_ONLY = ['api', 'url', 'key', 'control', 'settle-s', 'max-detect-min', 'all-clear-min'] as const;

export const drillCommand: Command = {
  name: 'drill',
  summary: 'inject faults (replayed or into a running demo) and measure detection, root cause and all-clear',
  usage,
  async run(args) {
    const { values: v, positionals } = parseCommand(drillSpec, args);
    const { FAULT_NAMES } = await import('../../sim/index.js');
    const { formatDrillTable } = await import('../../demo/index.js');
    const names = v.all ? [...FAULT_NAMES] : positionals.slice(0, 1);
    if (names.length === 0) throw new CliError(`name a fault or pass --all\n${usage}`);
    for (const n of names) if (!FAULT_NAMES.includes(n)) throw new CliError(`unknown fault "${n}" (known: ${FAULT_NAMES.join(', ')})`);
    const live = v.live === true;
    if (live && v.replay) throw new CliError('--live and --replay exclude each other');
    const wrong = (live ? REPLAY_ONLY : LIVE_ONLY).filter((f) => v[f] !== undefined);
    if (wrong.length)
      throw new CliError(`${wrong.map((f) => `--${f}`).join(', ')} ${wrong.length > 1 ? 'apply' : 'applies'} only ${live ? 'without' : 'with'} --live`);
    const log = (text: string): void => console.error(`  ${text}`);
    // A live drill takes minutes: its progress goes to stderr even with --json.
    const results = live ? await liveDrills(names, v, log) : await replayDrills(names, v, v.json ? undefined : log);
    if (v.json) console.log(JSON.stringify(results, null, 2));
    else console.log(formatDrillTable(results));
    return 0;
  },
};

async function replayDrills(names: string[], v: DrillOptions, log: ((text: string) => void) | undefined): Promise<DrillResult[]> {
  const { runReplayDrill } = await import('../../demo/index.js');
  const results = [];
  for (const fault of names) {
    if (log) console.error(`drill ${fault} …`);
    results.push(
      await runReplayDrill({
        fault,
        seed: wholeNumber(v.seed, 'seed', 1),
        rps: wholeNumber(v.rps, 'rps', 6),
        warmupMs: wholeNumber(v['warmup-min'], 'warmup-min', 40) * 60_000,
        faultMs: wholeNumber(v['fault-min'], 'fault-min', 15) * 60_000,
        afterMs: wholeNumber(v['after-min'], 'after-min', 25) * 60_000,
        env: process.env,
        progress: log,
      }),
    );
  }
  return results;
}

async function liveDrills(names: string[], v: DrillOptions, log: (text: string) => void): Promise<DrillResult[]> {
  const { runLiveDrill, LiveDrillAborted, LiveDrillError } = await import('../../demo/index.js');
  const client = resolveClientConfig({ url: v.api ?? v.url, key: v.key });
  if (!client.apiKey) throw new CliError('no API key: pass --key or set VIGIL_API_KEY (the key `vigil demo` prints)');
  const plan = {
    apiUrl: client.url,
    apiKey: client.apiKey,
    controlUrl: v.control ?? 'http://127.0.0.1:8090',
    maxFaultMs: wholeNumber(v['fault-min'], 'fault-min', 10) * 60_000,
    settleMs: wholeNumber(v['settle-s'], 'settle-s', 60) * 1000,
    maxDetectMs: wholeNumber(v['max-detect-min'], 'max-detect-min', 5) * 60_000,
    maxAllClearMs: wholeNumber(v['all-clear-min'], 'all-clear-min', 20) * 60_000,
  };
  // Ctrl-C during a drill takes the injected fault out of the demo before the CLI exits.
  const stop = new AbortController();
  const onSignal = (): void => stop.abort(new Error('interrupted'));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const results: DrillResult[] = [];
  try {
    for (const fault of names) {
      console.error(`drill ${fault} (live, ${plan.controlUrl} → ${plan.apiUrl}) …`);
      results.push(await runLiveDrill({ ...plan, fault, signal: stop.signal, progress: log }));
    }
    return results;
  } catch (err) {
    if (results.length) {
      const { formatDrillTable } = await import('../../demo/index.js');
      if (v.json) console.log(JSON.stringify(results, null, 2));
      else console.log(`${results.length} of ${names.length} drills finished before the stop:\n${formatDrillTable(results)}`);
    }
    if (err instanceof LiveDrillAborted) throw new CliError(err.message, 130);
    if (err instanceof LiveDrillError) throw new CliError(err.message);
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
