// `vigil start`: runs the server (API, OTLP/HTTP, OTLP/gRPC) on the embedded store or a
// ClickHouse URL, until SIGINT/SIGTERM, then shuts down gracefully (acknowledged data is flushed).
import { ConfigError, resolveConfig, type StartFlags } from '../../config/index.js';
import { CliError, type Command } from '../command.js';
import { defineCommand, formatUsage, parseCommand, portNumber } from '../options.js';

export const startSpec = defineCommand({
  name: 'start',
  summary: 'Runs Vigil (API, OTLP/HTTP and OTLP/gRPC receivers, detection, incidents) until Ctrl-C or SIGTERM.',
  options: {
    config: { type: 'string', value: 'FILE', description: 'vigil.yaml to read (default ./vigil.yaml or VIGIL_CONFIG)' },
    data: { type: 'string', value: 'DIR', description: 'data directory (default ./vigil-data)' },
    port: { type: 'string', value: 'P', description: 'API and UI port (default 8080)' },
    'otlp-port': { type: 'string', value: 'Q', description: 'OTLP/HTTP port (default 4318)' },
    'otlp-grpc-port': { type: 'string', value: 'R', description: 'OTLP/gRPC port (default 4317)' },
    host: { type: 'string', value: 'H', description: 'address to bind (default 127.0.0.1: this machine only)' },
    'clickhouse-url': { type: 'string', value: 'URL', description: 'a ClickHouse server instead of the embedded store' },
    clock: { type: 'string', value: 'wall|event', description: 'follow the wall clock (default) or the event time of the data' },
    'log-level': { type: 'string', value: 'LEVEL', description: 'fatal, error, warn, info (default), debug, trace or silent' },
    'log-format': { type: 'string', value: 'auto|text|json', description: 'text lines on a terminal, JSON lines otherwise (auto, the default)' },
    'tls-cert': { type: 'string', value: 'cert.pem', description: 'serve TLS only on all three listeners (with --tls-key)' },
    'tls-key': { type: 'string', value: 'key.pem', description: 'the private key of --tls-cert' },
    checks: { type: 'string', value: 'DIR', description: 'load every *.yaml synthetic check and *.journey.ts browser journey in DIR and reload on change' },
    'exit-with-parent': { type: 'boolean', description: 'stop gracefully when the process that started Vigil dies' },
  },
  notes: `The admin API key comes from VIGIL_API_KEY; without it, the first start creates one and prints it once.
--exit-with-parent is what \`vigil demo\` and drills use, so a killed demo never leaves an orphan Vigil behind.
Files and directories Vigil creates under --data are readable by their owner only.
Exit status: 1 when Vigil cannot start (busy port, locked data directory, invalid configuration), 2 on a misused flag.`,
});

const usage = formatUsage(startSpec);

export function startFlagsFrom(args: string[]): StartFlags {
  const { values: v } = parseCommand(startSpec, args);
  const clock = v.clock;
  if (clock !== undefined && clock !== 'wall' && clock !== 'event') throw new CliError(`--clock must be wall or event, got "${clock}"`);
  const logFormat = v['log-format'];
  if (logFormat !== undefined && logFormat !== 'auto' && logFormat !== 'text' && logFormat !== 'json')
    throw new CliError(`--log-format must be auto, text or json, got "${logFormat}"`);
  return {
    config: v.config,
    data: v.data,
    port: portNumber(v.port, 'port'),
    otlpPort: portNumber(v['otlp-port'], 'otlp-port'),
    otlpGrpcPort: portNumber(v['otlp-grpc-port'], 'otlp-grpc-port'),
    host: v.host,
    clickhouseUrl: v['clickhouse-url'],
    clock,
    logLevel: v['log-level'],
    logFormat,
    tlsCert: v['tls-cert'],
    tlsKey: v['tls-key'],
    checks: v.checks,
  };
}

export const startCommand: Command = {
  name: 'start',
  summary: 'run Vigil (API, OTLP/HTTP and OTLP/gRPC receivers, detection, incidents)',
  usage,
  async run(args) {
    // Everything Vigil creates (WAL, checkpoint, quarantine, notify state, the embedded store's
    // files) holds telemetry or key hashes: owner-only, whatever the shell's umask.
    process.umask(0o077);
    let config;
    try {
      config = resolveConfig(startFlagsFrom(args));
    } catch (err) {
      if (err instanceof ConfigError) throw new CliError(err.message);
      throw err;
    }
    const [{ startVigil }, { StartupError }] = await Promise.all([import('../../server.js'), import('../../server/index.js')]);
    // Read before anything slow: once the parent is gone, ppid is already the reaper's.
    const parentPid = parseCommand(startSpec, args).values['exit-with-parent'] ? process.ppid : undefined;
    // Our output goes to that parent: once it is gone, a write must not crash the graceful stop.
    if (parentPid !== undefined) for (const out of [process.stdout, process.stderr]) out.on('error', () => undefined);
    let vigil;
    try {
      vigil = await startVigil(config);
    } catch (err) {
      if (err instanceof StartupError) throw new CliError(err.message, 1);
      // Invalid check files: every problem with its file and line, then exit 1.
      if ((err as { code?: string }).code === 'VIGIL_CHECKS_INVALID') throw new CliError((err as Error).message, 1);
      throw err;
    }
    if (vigil.generatedAdminKey) {
      console.log(`\nFirst start: created the admin API key (shown once, store it now):\n\n  ${vigil.generatedAdminKey}\n`);
    }
    console.log(`Vigil is up. API ${vigil.apiUrl}  OTLP/HTTP ${vigil.otlpHttpUrl}  OTLP/gRPC port ${vigil.otlpGrpcPort}`);
    await new Promise<void>((resolve) => {
      let parentWatch: NodeJS.Timeout | undefined;
      const shutdown = (): void => {
        process.off('SIGINT', shutdown);
        process.off('SIGTERM', shutdown);
        clearInterval(parentWatch);
        resolve();
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
      // Node has no parent-death signal; a process whose parent died is re-parented (new ppid).
      if (parentPid !== undefined) {
        parentWatch = setInterval(() => {
          if (process.ppid === parentPid) return;
          console.error(`the parent process ${parentPid} exited; shutting down`);
          shutdown();
        }, 1000);
      }
    });
    await vigil.stop();
    return 0;
  },
};
