// The private Vigil a replay drill runs (`startVigilChild`) ignores the caller's own configuration:
// run from a folder with a vigil.yaml and a shell whose VIGIL_CONFIG and VIGIL_CLICKHOUSE_URL point
// at a real deployment, it still comes up on its own embedded store with the defaults.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startVigilChild, type VigilChild } from './vigil-process.js';

const KEY = 'child-test-key-0123456789abcdef';

void describe('a private Vigil child', () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-child-'));
  const home = process.cwd();
  let vigil: VigilChild | undefined;
  after(async () => {
    await vigil?.stop();
    process.chdir(home);
    rmSync(root, { recursive: true, force: true });
  });

  void it("runs on its own store whatever the caller's folder and environment configure", { timeout: 120_000 }, async () => {
    // The user's deployment: a server store and a notification channel, in ./vigil.yaml and the environment.
    const userDir = join(root, 'user');
    mkdirSync(userDir);
    const yaml = 'storage:\n  clickhouseUrl: http://127.0.0.1:9/\nserver:\n  port: 9\n';
    writeFileSync(join(userDir, 'vigil.yaml'), yaml);
    writeFileSync(join(userDir, 'prod.yaml'), yaml);
    process.chdir(userDir);
    const dataDir = join(root, 'data');
    mkdirSync(dataDir);
    vigil = await startVigilChild({
      dataDir,
      apiKey: KEY,
      clock: 'event',
      env: { ...process.env, VIGIL_CONFIG: join(userDir, 'prod.yaml'), VIGIL_CLICKHOUSE_URL: 'http://127.0.0.1:9/' },
    });
    const res = await fetch(`${vigil.apiUrl}/api/v1/health`, { signal: AbortSignal.timeout(10_000) });
    const health = (await res.json()) as { clock: string; memory: { engineAllocator: unknown } };
    assert.equal(health.clock, 'event', 'its own flags apply');
    assert.ok(health.memory.engineAllocator, 'on the embedded engine (the unreachable server was not used)');
  });
});
