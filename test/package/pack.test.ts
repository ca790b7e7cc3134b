// The package as users get it: `npm pack` yields a tarball that installs into an empty prefix with
// the same script the container image uses (deploy/install-from-tarball.sh) and runs outside the
// repository: `vigil --version`, then `vigil start` answering health and serving the built web UI
// (no build step for the user). Also checks the systemd unit.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../support/paths.js';
import { freePort } from '../support/vigil-process.js';

describe('the npm package', () => {
  let dir: string;
  let prefix: string;
  let tarball: string;
  const version = (JSON.parse(spawnSync('npm', ['pkg', 'get', 'version'], { cwd: repoRoot(), encoding: 'utf8' }).stdout) as string).trim();

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-pack-'));
    prefix = join(dir, 'prefix');
    // npm test has just built dist/: pack it as is (the prepare script would rebuild under running tests).
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: repoRoot(), encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    tarball = join(
      dir,
      readdirSync(dir).find((f) => f.endsWith('.tgz'))!,
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

  it('ships the build and no tests', () => {
    const list = spawnSync('tar', ['tzf', tarball], { encoding: 'utf8' }).stdout.split('\n');
    assert.ok(list.includes('package/dist/src/cli/main.js'), 'the compiled CLI is in the tarball');
    assert.ok(list.includes('package/bin/vigil'));
    assert.ok(list.includes('package/ui/dist/index.html') && list.some((f) => /^package\/ui\/dist\/assets\/index-[\w-]+\.js$/.test(f)), 'the built web UI');
    assert.deepEqual(
      list.filter((f) => /\.test\.js$|\/testing\//.test(f)),
      [],
    );
  });

  it('installs into an empty prefix with the image script and prints its version', () => {
    const install = spawnSync('sh', [join(repoRoot(), 'deploy/install-from-tarball.sh'), tarball, prefix], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    assert.equal(install.status, 0, install.stderr + install.stdout);
    assert.match(install.stdout, new RegExp(`^vigil ${version.replace(/\./g, '\\.')}$`, 'm'));
    assert.ok(existsSync(join(prefix, 'bin/vigil')));
  });

  it('starts outside the repository, answers health and serves the web UI', async () => {
    const port = await freePort();
    const key = 'package-test-key-0123456789';
    const child = spawn(
      join(prefix, 'bin/vigil'),
      ['start', '--data', join(dir, 'data'), '--port', String(port), '--otlp-port', String(await freePort()), '--otlp-grpc-port', String(await freePort())],
      {
        cwd: dir,
        env: { ...process.env, VIGIL_API_KEY: key },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const t0 = Date.now();
      let status = 0;
      while (Date.now() - t0 < 60_000 && status !== 200) {
        status = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
          (r) => r.status,
          () => 0,
        );
        if (status !== 200) await new Promise((r) => setTimeout(r, 250));
      }
      assert.equal(status, 200, out);
      // The web UI from the installed package: a deep link asks for the key; with one, the app and its scripts.
      const base = `http://127.0.0.1:${port}`;
      const login = await fetch(`${base}/incidents/1`);
      assert.equal(login.status, 200);
      assert.match(await login.text(), /<input[^>]+type="password"/);
      const app = await (await fetch(`${base}/`, { headers: { authorization: `Bearer ${key}` } })).text();
      const script = /src="(\/assets\/[\w.-]+\.js)"/.exec(app)?.[1];
      assert.ok(script, app.slice(0, 500));
      const js = await fetch(`${base}${script}`);
      assert.deepEqual([js.status, js.headers.get('content-type')], [200, 'text/javascript; charset=utf-8']);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('ships a systemd unit that systemd-analyze accepts', (t) => {
    const analyze = spawnSync('systemd-analyze', ['verify', join(repoRoot(), 'deploy/vigil.service')], { encoding: 'utf8' });
    if (analyze.error) return t.skip('systemd-analyze is not installed here');
    assert.equal(analyze.status, 0, analyze.stderr);
    assert.equal(analyze.stderr.trim(), '', 'no warnings');
  });
});
