// `vigil start`: runs the server (API, OTLP/HTTP, OTLP/gRPC) on the embedded store or a
// ClickHouse URL, until SIGINT/SIGTERM, then shuts down gracefully (acknowledged data is flushed).
import { ConfigError, resolveConfig, type StartFlags } from '../../config/index.js';
import { parseArgs } from '../args.js';
import { CliError, type Command } from '../command.js';

const usage = `usage: vigil start [--config vigil.yaml] [--data DIR] [--port P] [--otlp-port Q] [--otlp-grpc-port R]
                   [--host H] [--clickhouse-url URL] [--clock wall|event] [--log-level info] [--exit-with-parent]
                   [--tls-cert cert.pem --tls-key key.pem] [--checks DIR]

  The admin API key comes from VIGIL_API_KEY; without it, the first start creates one and prints it once.
  --exit-with-parent shuts down gracefully when the process that started Vigil dies (used by
  \`vigil demo\` and drills, so a killed demo never leaves an orphan Vigil behind).
  --tls-cert/--tls-key (PEM files) make the API, OTLP/HTTP and OTLP/gRPC listeners serve TLS only.
  Files and directories Vigil creates under --data are readable by their owner only.
  --checks DIR loads every *.yaml synthetic check file in DIR and reloads them when they change.`;

function port(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`--${flag} must be a port number (0-65535), got "${value}"`);
  return n;
}

export function startFlagsFrom(args: string[]): StartFlags {
  const p = parseArgs(args, ['exit-with-parent']);
  const known = new Set(['config', 'data', 'port', 'otlp-port', 'otlp-grpc-port', 'host', 'clickhouse-url', 'clock', 'log-level', 'tls-cert', 'tls-key', 'checks']);
  for (const name of p.flags.keys()) if (!known.has(name)) throw new CliError(`unknown option --${name}\n${usage}`);
  if (p.positional.length) throw new CliError(`unexpected argument "${p.positional[0]}"\n${usage}`);
  const clock = p.flags.get('clock');
  if (clock !== undefined && clock !== 'wall' && clock !== 'event') throw new CliError('--clock must be wall or event');
  return {
    config: p.flags.get('config'),
    data: p.flags.get('data'),
    port: port(p.flags.get('port'), 'port'),
    otlpPort: port(p.flags.get('otlp-port'), 'otlp-port'),
    otlpGrpcPort: port(p.flags.get('otlp-grpc-port'), 'otlp-grpc-port'),
    host: p.flags.get('host'),
    clickhouseUrl: p.flags.get('clickhouse-url'),
    clock,
    logLevel: p.flags.get('log-level'),
    tlsCert: p.flags.get('tls-cert'),
    tlsKey: p.flags.get('tls-key'),
    checks: p.flags.get('checks'),
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
    const parentPid = parseArgs(args, ['exit-with-parent']).booleans.has('exit-with-parent') ? process.ppid : undefined;
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
