// Starts a real `vigil start` as a child process on free loopback ports with its own data
// directory, for black-box tests: health polling, Vigil's typed client, raw requests, graceful stop
// and kill -9.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilClient } from '../../src/client/index.js';
import { repoRoot } from './paths.js';

export const TEST_KEY = 'test-admin-key-0123456789abcdef';

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });

export interface VigilProcess {
  api: string;
  otlp: string;
  grpcPort: number;
  dataDir: string;
  child: ChildProcess;
  output(): string;
  /** Vigil's typed client with the test key: for calls that should succeed (a refusal throws with its VIGIL_* code). */
  client: VigilClient;
  /** Raw: any URL, method, body and key, answering the status and body as they came (for refusals and bad input). */
  request<T = unknown>(
    path: string,
    init?: { method?: string; body?: unknown; key?: string | null },
  ): Promise<{ status: number; json: T; text: string; headers: Headers }>;
  waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs?: number, what?: string): Promise<T>;
  stop(): Promise<void>;
  kill9(): Promise<void>;
  cleanup(): void;
}

export interface StartOptions {
  dataDir?: string;
  clock?: 'wall' | 'event';
  extraArgs?: string[];
  env?: Record<string, string>;
  ports?: { api: number; otlp: number; grpc: number };
}

/** Starts vigil; when it picked its own ports and lost one to another test between probe and bind
 * (VIGIL_PORT_IN_USE), it tries again on fresh ports instead of failing the whole suite. */
export async function startVigilProcess(o: StartOptions = {}): Promise<VigilProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(o);
    } catch (e) {
      const lostPort = e instanceof Error && e.message.includes('VIGIL_PORT_IN_USE');
      if (!lostPort || o.ports || attempt >= 3) throw e;
    }
  }
}

async function startOnce(o: StartOptions): Promise<VigilProcess> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'vigil-test-'));
  const ports = o.ports ?? { api: await freePort(), otlp: await freePort(), grpc: await freePort() };
  const args = [
    join(repoRoot(), 'bin/vigil.js'),
    'start',
    '--data',
    dataDir,
    '--port',
    String(ports.api),
    '--otlp-port',
    String(ports.otlp),
    '--otlp-grpc-port',
    String(ports.grpc),
    '--log-level',
    'warn',
    ...(o.clock ? ['--clock', o.clock] : []),
    ...(o.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, args, { env: { ...process.env, VIGIL_API_KEY: TEST_KEY, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  let exited = false;
  child.on('exit', () => (exited = true));
  const api = `http://127.0.0.1:${ports.api}`;
  const client = new VigilClient({ url: api, apiKey: TEST_KEY });
  const request: VigilProcess['request'] = async (path, init = {}) => {
    const headers: Record<string, string> = {};
    const key = init.key === undefined ? TEST_KEY : init.key;
    if (key) headers.authorization = `Bearer ${key}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(path.startsWith('http') ? path : `${api}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json: json as never, text, headers: res.headers };
  };
  const waitFor: VigilProcess['waitFor'] = async (probe, timeoutMs = 30_000, what = 'condition') => {
    const t0 = Date.now();
    for (;;) {
      const v = await probe().catch(() => undefined);
      if (v) return v;
      if (exited) throw new Error(`vigil exited while waiting for ${what}:\n${out}`);
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}:\n${out.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  // Generous: a cold start on a CI machine running two suites and a browser can take a while.
  try {
    await waitFor(() => client.health().then(() => true), 120_000, 'health');
  } catch (e) {
    child.kill('SIGKILL');
    if (!o.dataDir) rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    throw e;
  }
  const exitOf = (): Promise<void> => (exited ? Promise.resolve() : new Promise((r) => child.once('exit', () => r())));
  return {
    api,
    otlp: `http://127.0.0.1:${ports.otlp}`,
    grpcPort: ports.grpc,
    dataDir,
    child,
    output: () => out,
    client,
    request,
    waitFor,
    async stop() {
      child.kill('SIGTERM');
      await exitOf();
    },
    async kill9() {
      child.kill('SIGKILL');
      await exitOf();
    },
    cleanup() {
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    },
  };
}
