// README's "Send your first trace" block runs when pasted whole into a shell: it starts Vigil,
// waits for health, sends a span and reads it back. (It once exported the key in a background
// subshell, so every curl after it got 401.) Skipped only when its fixed ports are taken.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { it } from 'node:test';
import { repoRoot } from '../support/paths.js';

const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

it("README's first-trace block works when pasted whole", async (t) => {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Send your first trace'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'the section has a sh block');
  for (const port of [8080, 4318, 4317]) if (!(await portFree(port))) return t.skip(`port ${port} is in use here`);
  rmSync('/tmp/vigil', { recursive: true, force: true });
  // The block leaves Vigil running in the background, as a user's shell would: stop it after.
  const r = spawnSync('bash', ['-c', `set -m\n${block}\nstatus=$?\nkill %1 2>/dev/null; wait; exit $status`], {
    cwd: repoRoot(),
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, VIGIL_API_KEY: '' },
  });
  rmSync('/tmp/vigil', { recursive: true, force: true });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /"traceId":"5b8efff798038103d269b633813fc60c"/, 'the trace reads back');
  assert.match(r.stdout, /"services":\[\{"service":"checkout"/, 'the service is listed');
  assert.doesNotMatch(r.stdout, /VIGIL_UNAUTHORIZED|"code":16/, 'every request carries the key');
});
