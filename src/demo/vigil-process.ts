// Runs Vigil as a child process (`node bin/vigil.js start …`) for `vigil drill` replays: a fresh
// Vigil on its own store, which stops by itself if the drill is killed (--exit-with-parent).

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VigilClient } from '../client/index.js';

export interface VigilChildOptions {
  dataDir: string;
  apiKey: string;
  port?: number; // 0 or absent: a free port
  otlpPort?: number;
  otlpGrpcPort?: number;
  clock?: 'wall' | 'event';
  /** vigil.yaml for the child (`--config`), e.g. the demo detection profile. */
  configFile?: string;
  logFile?: string;
  /** Environment of the child (the CLI passes its own; VIGIL_API_KEY is set from apiKey). */
  env: Record<string, string | undefined>;
}

export interface VigilChild {
  apiUrl: string;
  otlpUrl: string;
  otlpGrpcPort: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** bin/vigil.js of this installation, whether we run from src/ (tsx) or dist/. */
export function vigilBin(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'bin', 'vigil.js');
    if (existsSync(candidate) && !dir.endsWith('/dist')) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error('bin/vigil.js not found above ' + import.meta.url);
    dir = up;
  }
}

/** bin/vigil, the command users run (npm's bin): a launcher that starts bin/vigil.js with its node flags. */
export function vigilLauncher(): string {
  return join(dirname(vigilBin()), 'vigil');
}

/** Settings of the caller's own Vigil that a private child must not inherit. */
const callerOnlyEnv = new Set(['VIGIL_CONFIG', 'VIGIL_CLICKHOUSE_URL']);

/** `n` distinct free ports: each listener is held until all are known, so the system cannot hand one out twice. */
async function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => createServer());
  try {
    return await Promise.all(
      servers.map(
        (s) =>
          new Promise<number>((resolve, reject) => {
            s.on('error', reject);
            s.listen(0, '127.0.0.1', () => {
              const a = s.address();
              resolve(typeof a === 'object' && a ? a.port : 0);
            });
          }),
      ),
    );
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve()))));
  }
}

export async function startVigilChild(o: VigilChildOptions): Promise<VigilChild> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(o);
    } catch (e) {
      // Ports chosen here can be taken by another process between their choice and the child's bind: choose again.
      const chosenHere = !o.port || !o.otlpPort || !o.otlpGrpcPort;
      if (!(chosenHere && attempt < 3 && e instanceof Error && e.message.includes('VIGIL_PORT_IN_USE'))) throw e;
    }
  }
}

async function startOnce(o: VigilChildOptions): Promise<VigilChild> {
  const [a, b, c] = await freePorts(3);
  const port = o.port || a!;
  const otlpPort = o.otlpPort || b!;
  const otlpGrpcPort = o.otlpGrpcPort || c!;
  const args = [
    vigilBin(),
    'start',
    '--data',
    o.dataDir,
    '--port',
    String(port),
    '--otlp-port',
    String(otlpPort),
    '--otlp-grpc-port',
    String(otlpGrpcPort),
    '--log-level',
    'warn',
    '--exit-with-parent',
  ];
  if (o.clock) args.push('--clock', o.clock);
  if (o.configFile) args.push('--config', o.configFile);
  // A private Vigil whatever the caller's folder and shell hold: a ./vigil.yaml or VIGIL_CONFIG /
  // VIGIL_CLICKHOUSE_URL meant for the user's own Vigil would send a drill's synthetic telemetry
  // into their store and its incidents to their channels. Only configFile configures it.
  const env = Object.fromEntries(Object.entries(o.env).filter(([name]) => !callerOnlyEnv.has(name)));
  const child = spawn(process.execPath, args, { cwd: o.dataDir, env: { ...env, VIGIL_API_KEY: o.apiKey }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = o.logFile ? createWriteStream(o.logFile, { flags: 'a' }) : undefined;
  let out = '';
  const keep = (d: Buffer): void => {
    out = (out + d.toString()).slice(-20_000);
    log?.write(d);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.on('exit', () => (exited = true));
  const apiUrl = `http://127.0.0.1:${port}`;
  const health = new VigilClient({ url: apiUrl, apiKey: o.apiKey, timeoutMs: 2000 });
  const started = Date.now();
  for (;;) {
    if (exited) throw new Error(`vigil start exited before it was ready:\n${out.slice(-3000)}`);
    const ok = await health.health().then(
      () => true,
      () => false,
    );
    if (ok) break;
    if (Date.now() - started > 90_000) {
      child.kill('SIGKILL');
      throw new Error(`vigil start was not healthy after 90 s:\n${out.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    apiUrl,
    otlpUrl: `http://127.0.0.1:${otlpPort}`,
    otlpGrpcPort,
    child,
    output: () => out,
    async stop() {
      if (exited) return;
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await done;
      clearTimeout(timer);
      log?.end();
    },
  };
}
