// `vigil demo`: runs Vigil (embedded store) and, on a worker thread of the same process, the
// instrumented demo shop with live traffic; prints where to look and injects the seed fault after a
// warm-up. One process: the shop's instrumentation stays on its thread, and the pair shares one
// Node runtime instead of loading two (~45 MB of the demo's memory).
// `vigil demo fault <name> [--clear]` and `vigil demo faults` talk to a running demo's control API.

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveClientConfig, resolveConfig } from '../../config/index.js';
import { CliError } from '../command.js';
import type { Command } from '../command.js';
import { defineCommand, formatGroupUsage, jsonOption, parseCommand, portNumber, wholeNumber, type OptionValues } from '../options.js';

const controlOption = { control: { type: 'string', value: 'URL', description: "the running demo's control API (default http://127.0.0.1:8090)" } } as const;

export const demoRunSpec = defineCommand({
  name: 'demo',
  summary: 'Starts Vigil and an instrumented demo shop with live traffic; injects the seed fault after a warm-up.',
  options: {
    data: { type: 'string', value: 'DIR', description: 'keep the store in DIR (default a temporary directory, removed at exit)' },
    config: { type: 'string', value: 'FILE', description: 'run Vigil with your own vigil.yaml instead of the demo profile' },
    port: { type: 'string', value: 'P', description: 'API and UI port (default 8080)' },
    'otlp-port': { type: 'string', value: 'Q', description: 'OTLP/HTTP port (default 4318)' },
    'otlp-grpc-port': { type: 'string', value: 'R', description: 'OTLP/gRPC port (default 4317)' },
    'shop-port': { type: 'string', value: 'P', description: "the shop frontend's port (default 3000)" },
    'control-port': { type: 'string', value: 'P', description: 'the fault control API port (default 8090)' },
    rps: { type: 'string', value: 'N', description: 'requests per second of shop traffic (default 5)' },
    'day-minutes': { type: 'string', value: 'N', description: 'minutes of one compressed daily cycle (default 60)' },
    fault: { type: 'string', value: 'NAME', description: 'the seed fault (default pool-exhaustion-deploy)' },
    'fault-after': { type: 'string', value: 'S', description: 'seconds before the seed fault goes in (default 150)' },
    'clear-after': { type: 'string', value: 'S', description: 'seconds the seed fault lasts (default 600)' },
    'no-fault': { type: 'boolean', description: 'no seed fault' },
    duration: { type: 'string', value: 'S', description: 'stop after S seconds (default: run until Ctrl-C)' },
  },
});

const faultSpec = defineCommand({
  name: 'demo fault',
  args: 'NAME',
  maxPositionals: 1,
  summary: 'Injects a fault into a running demo (or clears it with --clear).',
  options: { clear: { type: 'boolean', description: 'clear the fault instead' }, ...controlOption },
});

const faultsSpec = defineCommand({
  name: 'demo faults',
  summary: "Lists a running demo's faults and the active ones.",
  options: { ...controlOption, ...jsonOption },
});

const usage = formatGroupUsage(
  'demo',
  'A live demo: Vigil with an instrumented shop, realistic traffic and injectable faults.',
  [demoRunSpec, faultSpec, faultsSpec],
  `Starts Vigil and a small instrumented shop (frontend, catalog, cart, checkout, payment, shipping,
  email; payment-db, shop-db, redis cache, email queue) with realistic traffic, a compressed daily
  cycle and harmless deploys. After --fault-after seconds it injects the seed fault
  (pool-exhaustion-deploy) and clears it --clear-after seconds later, unless --no-fault.
  Vigil runs with the demo detection profile, DIR/vigil.yaml (written on first use; edit it to
  experiment): it judges after 90 s of traffic instead of 10 minutes, so the seed fault opens an
  incident within about five minutes. --config FILE runs Vigil with your own vigil.yaml instead.
  The API key is VIGIL_API_KEY, or a fresh one printed at start.`,
);

const DEFAULT_CONTROL = 'http://127.0.0.1:8090';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'start Vigil with an instrumented demo shop, live traffic and injectable faults',
  usage,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'fault') return faultCommand(rest);
    if (sub === 'faults') return listFaults(rest);
    return runDemo(parseCommand(demoRunSpec, args).values);
  },
};

async function controlRequest(url: string, method: string, path: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${url.replace(/\/$/, '')}${path}`, { method, signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new CliError(`cannot reach the demo's control API at ${url} (${(err as Error).message}); is \`vigil demo\` running? (--control URL)`);
  }
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new CliError(body.error ?? `control API answered ${res.status}`);
  return body;
}

async function faultCommand(args: string[]): Promise<number> {
  const { values: v, positionals } = parseCommand(faultSpec, args);
  const name = positionals[0];
  if (!name) throw new CliError('name a fault (vigil demo faults lists them)');
  const control = v.control ?? DEFAULT_CONTROL;
  const clear = v.clear === true;
  const result = (await controlRequest(control, 'POST', `/_control/faults/${encodeURIComponent(name)}${clear ? '/clear' : ''}`)) as {
    summary?: string;
    since?: string;
  };
  console.log(clear ? `cleared ${name}` : `injected ${name} at ${result.since ?? '?'}: ${result.summary ?? ''}`);
  return 0;
}

async function listFaults(args: string[]): Promise<number> {
  const { values: v } = parseCommand(faultsSpec, args);
  const body = (await controlRequest(v.control ?? DEFAULT_CONTROL, 'GET', '/_control/faults')) as {
    catalog: Array<{ name: string; summary: string }>;
    active: Array<{ name: string; since: string }>;
  };
  if (v.json) {
    console.log(JSON.stringify(body, null, 2));
    return 0;
  }
  for (const f of body.catalog) console.log(`  ${f.name.padEnd(24)} ${f.summary}`);
  console.log(body.active.length ? `\nactive: ${body.active.map((a) => `${a.name} since ${a.since}`).join(', ')}` : '\nno fault active');
  return 0;
}

async function runDemo(v: OptionValues<typeof demoRunSpec.options>): Promise<number> {
  // Only what runs on this thread: the shop's modules (the OpenTelemetry SDK) load in its worker.
  const { ensureDemoConfig } = await import('../../demo/demo-profile.js');
  const { IncidentWatch } = await import('../../demo/incident-watch.js');
  const { startDemoShopThread } = await import('../../demo/shop-thread.js');
  const { startVigil } = await import('../../server.js');
  const { FAULT_NAMES } = await import('../../sim/index.js');
  const seedFault = v.fault ?? 'pool-exhaustion-deploy';
  if (!FAULT_NAMES.includes(seedFault)) throw new CliError(`unknown fault "${seedFault}" (known: ${FAULT_NAMES.join(', ')})`);
  const apiKey = resolveClientConfig({}).apiKey ?? `demo-${randomBytes(16).toString('hex')}`;
  // Without --data the demo's store is scratch: made here, removed when the demo stops.
  const scratchDir = v.data === undefined;
  const dataDir = v.data ?? mkdtempSync(join(tmpdir(), 'vigil-demo-'));
  const removeScratch = (): void => {
    if (scratchDir) rmSync(dataDir, { recursive: true, force: true });
  };
  // The profile judges after 90 s, so a minute of judged healthy traffic precedes the fault; the
  // pool runs dry about two minutes after the deploy, so the incident opens ~5 minutes in.
  const faultAfterS = wholeNumber(v['fault-after'], 'fault-after', 150);
  const clearAfterS = wholeNumber(v['clear-after'], 'clear-after', 600);
  const durationS = wholeNumber(v.duration, 'duration', 0);
  const rps = Number(v.rps ?? 5);
  if (!(rps > 0)) throw new CliError(`--rps must be a positive number, got "${v.rps}"`);

  mkdirSync(dataDir, { recursive: true });
  let configFile = v.config;
  if (configFile === undefined) {
    const profile = ensureDemoConfig(dataDir);
    configFile = profile.path;
    if (!profile.written) console.log(`Using the existing ${configFile}.`);
  }

  const kept = scratchDir ? ', removed at exit; --data DIR keeps it' : '';
  console.log(`Starting Vigil (data in ${dataDir}${kept}, config ${configFile}, log ${join(dataDir, 'vigil.log')}) …`);
  let vigil;
  try {
    const config = resolveConfig(
      {
        config: configFile,
        data: dataDir,
        port: portNumber(v.port, 'port', 8080),
        otlpPort: portNumber(v['otlp-port'], 'otlp-port', 4318),
        otlpGrpcPort: portNumber(v['otlp-grpc-port'], 'otlp-grpc-port', 4317),
        logLevel: 'warn',
      },
      { ...process.env, VIGIL_API_KEY: apiKey },
    );
    vigil = await startVigil(config, { logFile: join(dataDir, 'vigil.log') });
  } catch (err) {
    removeScratch();
    throw new CliError(`Vigil did not start: ${(err as Error).message}`, 1);
  }
  console.log('Starting the demo shop …');
  // Set once the run is waiting: a shop thread that dies later ends the run.
  let stopRun: (() => void) | undefined;
  const onShopFailure = (err: Error): void => {
    console.error(`The demo shop stopped: ${err.message}`);
    stopRun?.();
  };
  let shop;
  try {
    shop = await startDemoShopThread(
      {
        otlpUrl: vigil.otlpHttpUrl,
        apiUrl: vigil.apiUrl,
        apiKey,
        rps,
        dayMs: wholeNumber(v['day-minutes'], 'day-minutes', 60) * 60_000,
        frontendPort: portNumber(v['shop-port'], 'shop-port', 3000),
        controlPort: portNumber(v['control-port'], 'control-port', 8090),
      },
      onShopFailure,
    );
  } catch (err) {
    await vigil.stop();
    removeScratch();
    throw new CliError(`the demo shop did not start: ${(err as Error).message}`, 1);
  }
  console.log(`
Vigil demo is running.

  Vigil UI and API   ${vigil.apiUrl}
  API key            ${apiKey}
  OTLP/HTTP          ${vigil.otlpHttpUrl}   OTLP/gRPC port ${vigil.otlpGrpcPort}
  Shop frontend      ${shop.frontendUrl}
  Fault control      ${shop.controlUrl}

Try:
  open ${vigil.apiUrl} and log in with the API key; watch Services and Incidents
  VIGIL_URL=${vigil.apiUrl} VIGIL_API_KEY=${apiKey} vigil incidents
  vigil demo faults --control ${shop.controlUrl}
  vigil demo fault cache-outage --control ${shop.controlUrl}     (and --clear to end it)
${v['no-fault'] ? '' : `\nIn ${faultAfterS} s the seed fault (${seedFault}) goes in; it is cleared ${clearAfterS} s later.`}
Ctrl-C stops everything.`);

  const watch = new IncidentWatch({
    apiUrl: vigil.apiUrl,
    apiKey,
    onIncident: (i) =>
      console.log(
        `[${new Date().toISOString()}] Vigil opened incident #${i.id} (${i.severity}, ${i.services.join(', ')}): ${i.title}\n  details: vigil incidents show ${i.id}   (with VIGIL_URL and VIGIL_API_KEY as above)`,
      ),
  });
  watch.start();
  const timers: NodeJS.Timeout[] = [];
  if (!v['no-fault']) {
    timers.push(
      setTimeout(() => {
        void shop.inject(seedFault).then((f) => console.log(`[${new Date().toISOString()}] injected ${f.name}: ${f.summary}`));
        timers.push(
          setTimeout(() => void shop.clear(seedFault).then(() => console.log(`[${new Date().toISOString()}] cleared ${seedFault}`)), clearAfterS * 1000),
        );
      }, faultAfterS * 1000),
    );
  }
  await new Promise<void>((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    stopRun = done;
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
    if (durationS > 0) timers.push(setTimeout(done, durationS * 1000));
  });
  for (const t of timers) clearTimeout(t);
  watch.stop();
  console.log('Stopping the shop and Vigil …');
  const status = await shop.status();
  await shop.stop();
  await vigil.stop();
  removeScratch();
  console.log(
    `Sent ${status.requestsSent} requests (${Object.entries(status.responses)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')}), ${status.deploys} harmless deploys.`,
  );
  return 0;
}
