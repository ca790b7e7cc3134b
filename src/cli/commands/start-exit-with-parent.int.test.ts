// `vigil start --exit-with-parent`: when the process that started Vigil is killed outright (no
// chance to stop its child), Vigil notices it was orphaned and shuts down by itself, even though
// its stdout and stderr were pipes to the dead parent.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { vigilBin } from '../../demo/vigil-process.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(what: string, probe: () => boolean, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (!probe()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

void it('a Vigil started with --exit-with-parent stops when its parent is killed with SIGKILL', { timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-orphan-'));
  // The parent starts Vigil the way `vigil demo` does (pipes for output), reports its pid, then idles.
  const parentScript = `
    const { spawn } = require('node:child_process');
    const c = spawn(process.execPath, ${JSON.stringify([vigilBin(), 'start', '--data', dataDir, '--port', '0', '--otlp-port', '0', '--otlp-grpc-port', '0', '--exit-with-parent'])},
      { env: { ...process.env, VIGIL_API_KEY: 'orphan-test-key-0123456789abcdef' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d) => { out += d; if (/Vigil is up/.test(out)) console.log('CHILD ' + c.pid); });
    c.stderr.on('data', () => undefined);
    setInterval(() => undefined, 1000);`;
  const parent = spawn(process.execPath, ['-e', parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  let childPid = 0;
  after(() => {
    if (parent.exitCode === null) parent.kill('SIGKILL');
    if (childPid && alive(childPid)) process.kill(childPid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });
  parent.stdout.on('data', (d: Buffer) => {
    const m = /CHILD (\d+)/.exec(d.toString());
    if (m?.[1]) childPid = Number(m[1]);
  });
  await waitFor('Vigil to come up under the parent', () => childPid > 0, 90_000);
  assert.ok(alive(childPid));

  parent.kill('SIGKILL');
  await waitFor('the orphaned Vigil to stop by itself', () => !alive(childPid), 30_000);
});
