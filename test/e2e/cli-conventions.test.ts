// Black-box: the built `vigil` as a shell runs it. A misspelt flag exits 2 with one line naming it;
// `vigil start --log-format text` logs readable lines, not JSON; the API commands print text by
// default and the API's JSON with --json, against a real Vigil.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../support/paths.js';
import { startVigilProcess, TEST_KEY, type VigilProcess } from '../support/vigil-process.js';

function vigil(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot(), 'bin/vigil.js'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vigil ${args.join(' ')} did not exit within 60 s`));
    }, 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

void describe('vigil on the command line (black box)', () => {
  let server: VigilProcess;
  before(async () => {
    // The last --log-level and --log-format win over the helper's defaults.
    server = await startVigilProcess({ extraArgs: ['--log-level', 'info', '--log-format', 'text'] });
  });
  after(async () => {
    await server.stop();
    server.cleanup();
  });

  void it('a misspelt flag exits 2 with one line on stderr naming it and the flag meant', async () => {
    const r = await vigil(['start', '--prot', '8080']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'vigil start: unknown option --prot (did you mean --port?)\n');
    assert.equal(r.stdout, '');
  });

  void it('deploy and incidents print text by default and the JSON of the API with --json', async () => {
    const env = { VIGIL_URL: server.api, VIGIL_API_KEY: TEST_KEY };
    const text = await vigil(['deploy', '--service', 'checkout', '--version', '1.2.3'], env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^recorded deployment \S+: checkout 1\.2\.3 at \d{4}-\d\d-\d\dT/);
    const json = await vigil(['deploy', '--service', 'checkout', '--version', '1.2.4', '--json'], env);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(typeof (JSON.parse(json.stdout) as { id: unknown }).id, 'string');

    const table = await vigil(['incidents'], env);
    assert.equal(table.code, 0, table.stderr);
    assert.equal(table.stdout, 'no incidents\n');
    const list = await vigil(['incidents', 'list', '--all', '--json'], env);
    assert.deepEqual(JSON.parse(list.stdout), { incidents: [] });
    const missing = await vigil(['incidents', 'show', 'no-such-id'], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^vigil incidents: GET \/api\/v1\/incidents\/no-such-id answered 404 VIGIL_NOT_FOUND: /);
  });

  void it('--log-format text logs readable lines, never JSON', async () => {
    await server.stop();
    const lines = server
      .output()
      .split('\n')
      .filter((l) => /^\d{4}-\d\d-\d\dT/.test(l));
    assert.ok(
      lines.some((l) => / INFO {2}vigil started {2}api=\d+ /.test(l)),
      server.output(),
    );
    assert.ok(
      lines.some((l) => / INFO {2}vigil stopped/.test(l)),
      server.output(),
    );
    assert.ok(
      !server
        .output()
        .split('\n')
        .some((l) => l.startsWith('{')),
      `a JSON line in:\n${server.output()}`,
    );
  });
});
