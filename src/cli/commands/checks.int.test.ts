// `vigil checks validate` and `vigil checks run` as CI uses them: exit 0 when all pass, 1 when a
// check fails (with the failed assertion printed like a test runner), 2 for invalid files (both
// subcommands) or an unknown check name.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLocalSite, type LocalSite } from '../../synthetics/testing/local-site.js';
import { runVigil } from '../testing/run-vigil.js';

describe('vigil checks', () => {
  let dir: string;
  let site: LocalSite;
  let base: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-checks-cli-'));
    site = await startLocalSite((req) => ({ status: req.url === '/down' ? 503 : 200, contentType: 'application/json', body: '{"status":"ok"}' }));
    base = site.url('');
  });
  after(() => {
    site.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('validate: exit 0 and a count for valid files, exit 2 with file:line for invalid ones', async () => {
    writeFileSync(
      join(dir, 'ok.yaml'),
      `checks:\n  - { name: home, kind: http, url: "${base}/", assert: { json: { "$.status": ok } } }\n  - { name: down, kind: http, url: "${base}/down" }\n`,
    );
    const ok = await runVigil(['checks', 'validate', dir], dir);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /2 checks valid/);
    const bad = mkdtempSync(join(tmpdir(), 'vigil-checks-bad-'));
    writeFileSync(join(bad, 'broken.yaml'), 'checks:\n  - name: x\n    kind: http\n    every: soon\n');
    const r = await runVigil(['checks', 'validate', bad], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /VIGIL_CHECKS_INVALID: .*broken\.yaml:4 checks\.0\.every/);
    const run = await runVigil(['checks', 'run', '--checks', bad], dir);
    assert.equal(run.status, 2, 'run refuses invalid files before running anything');
    assert.match(run.stderr, /broken\.yaml:4 checks\.0\.every/);
    rmSync(bad, { recursive: true, force: true });
  });

  it('run: exit 0 when the named check passes, 1 when one fails, with the failed assertion', async () => {
    const pass = await runVigil(['checks', 'run', 'home', '--checks', dir], dir);
    assert.equal(pass.status, 0, pass.stdout + pass.stderr);
    assert.match(pass.stdout, /✓ home \(http\)/);
    assert.match(pass.stdout, /^1 passed, 0 failed$/m);
    const all = await runVigil(['checks', 'run', '--checks', dir], dir);
    assert.equal(all.status, 1);
    assert.match(all.stdout, /✗ down \(http\)/);
    assert.match(all.stdout, /status: expected 200 or 201 or 202 or 204, got 503/);
    assert.equal((await runVigil(['checks', 'run', 'nope', '--checks', dir], dir)).status, 2);
  });
});
