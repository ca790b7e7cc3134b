// Black-box: `vigil start` refuses a busy port (each of the three), a read-only data directory, a
// data directory another Vigil holds (with --clickhouse-url too) and an unreachable ClickHouse with
// one line on stderr carrying a VIGIL_* code and exit 1, no stack trace; a killed holder's lock is
// taken over.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../support/paths.js';
import { freePort, startVigilProcess, TEST_KEY } from '../support/vigil-process.js';

interface Exit {
  code: number | null;
  stderr: string;
  stdout: string;
}

function runStart(args: string[], spawnAs: { uid?: number; gid?: number } = {}): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot(), 'bin/vigil.js'), 'start', '--log-level', 'warn', ...args], {
      env: { ...process.env, VIGIL_API_KEY: TEST_KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...spawnAs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vigil start did not exit within 120 s:\n${stdout}\n${stderr}`));
    }, 120_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

/** Exit code 1 and exactly one line on stderr, with the code and no stack frame. */
function assertOneLine(exit: Exit, pattern: RegExp): void {
  const lines = exit.stderr.split('\n').filter((l) => l.trim() !== '');
  assert.equal(exit.code, 1, `exit ${exit.code}\nstderr:\n${exit.stderr}\nstdout:\n${exit.stdout.slice(-2000)}`);
  assert.equal(lines.length, 1, `one line expected on stderr, got:\n${exit.stderr}`);
  assert.match(lines[0] ?? '', pattern);
  assert.doesNotMatch(exit.stderr, /\n\s+at /);
}

const occupy = (): Promise<Server> =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
const portOf = (s: Server): number => {
  const a = s.address();
  return typeof a === 'object' && a ? a.port : 0;
};

describe('vigil start: start-up errors (black box)', () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-startup-'));
  chmodSync(root, 0o755);
  after(() => rmSync(root, { recursive: true, force: true }));

  const roles = [
    { role: 'API', flag: '--port' },
    { role: 'OTLP/HTTP', flag: '--otlp-port' },
    { role: 'OTLP/gRPC', flag: '--otlp-grpc-port' },
  ];
  for (const { role, flag } of roles) {
    it(`a busy ${role} port: one line VIGIL_PORT_IN_USE, exit 1`, async () => {
      const busy = await occupy();
      try {
        const ports: Record<string, number> = {
          '--port': await freePort(),
          '--otlp-port': await freePort(),
          '--otlp-grpc-port': await freePort(),
          [flag]: portOf(busy),
        };
        const dataDir = join(root, `busy-${flag.slice(2)}`);
        const exit = await runStart(['--data', dataDir, ...Object.entries(ports).flat().map(String)]);
        assertOneLine(
          exit,
          new RegExp(
            `^vigil start: VIGIL_PORT_IN_USE: port ${portOf(busy)} \\(${role.replace('/', '\\/')}\\) is in use: stop the other process or pass ${flag}$`,
          ),
        );
        // The refused start left the directory free for the next one.
        assert.throws(() => readFileSync(join(dataDir, 'wal', 'vigil.lock')), /ENOENT/);
      } finally {
        busy.close();
      }
    });
  }

  it('a read-only data directory: one line VIGIL_DATA_DIR_READONLY, exit 1', async () => {
    const dataDir = join(root, 'readonly');
    mkdirSync(dataDir, { mode: 0o555 });
    chmodSync(dataDir, 0o555);
    // root writes anywhere: run Vigil as nobody, for whom the directory is read-only.
    const spawnAs = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const exit = await runStart(['--data', dataDir, '--port', '0', '--otlp-port', '0', '--otlp-grpc-port', '0'], spawnAs);
    assertOneLine(exit, new RegExp(`^vigil start: VIGIL_DATA_DIR_READONLY: cannot write to the data directory ${dataDir} \\(EACCES\\): `));
  });

  it('a ClickHouse server that does not answer: one line VIGIL_STORE_UNREACHABLE without its password, exit 1', async () => {
    const port = await freePort();
    const exit = await runStart([
      '--data',
      join(root, 'unreachable'),
      '--port',
      '0',
      '--otlp-port',
      '0',
      '--otlp-grpc-port',
      '0',
      '--clickhouse-url',
      `http://vigil:s3cret-pass@127.0.0.1:${port}`,
    ]);
    assertOneLine(exit, new RegExp(`^vigil start: VIGIL_STORE_UNREACHABLE: cannot reach ClickHouse at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\): `));
    assert.doesNotMatch(exit.stderr + exit.stdout, /s3cret-pass/);
  });

  it(
    'a data directory held by a running Vigil: one line VIGIL_DATA_DIR_LOCKED (with --clickhouse-url too); a killed holder’s lock is taken over',
    { timeout: 300_000 },
    async () => {
      const dataDir = join(root, 'shared');
      const first = await startVigilProcess({ dataDir });
      try {
        const holder = String(first.child.pid);
        for (const extra of [[], ['--clickhouse-url', 'http://127.0.0.1:9']]) {
          const exit = await runStart(['--data', dataDir, '--port', '0', '--otlp-port', '0', '--otlp-grpc-port', '0', ...extra]);
          assertOneLine(
            exit,
            new RegExp(`^vigil start: VIGIL_DATA_DIR_LOCKED: ${dataDir} is in use by another Vigil \\(pid ${holder}\\): stop it or pass another --data`),
          );
        }
        assert.equal((await first.request('/api/v1/health')).status, 200, 'the holder is undisturbed');
        assert.match(readFileSync(join(dataDir, 'wal', 'vigil.lock'), 'utf8'), new RegExp(`"pid":${holder}\\b`));
        await first.kill9();
        const next = await startVigilProcess({ dataDir });
        assert.equal((await next.request('/api/v1/health')).status, 200);
        await next.stop();
      } finally {
        await first.kill9().catch(() => undefined);
      }
    },
  );
});
