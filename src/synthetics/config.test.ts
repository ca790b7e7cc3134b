// The `checks:` section of vigil.yaml as the contract names it: `checks.dir` loads a directory like
// `vigil start --checks DIR` (the flag wins over the file), with the concurrency cap and Chromium path.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, resolveConfig } from '../config/index.js';

test('checks.dir in vigil.yaml, the --checks flag over it, and its limits checked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-checks-config-'));
  try {
    const file = join(dir, 'vigil.yaml');
    writeFileSync(file, 'checks:\n  dir: /srv/checks\n  concurrency: 4\n');
    const fromFile = resolveConfig({ config: file }, {});
    assert.deepEqual(fromFile.checks, { dir: '/srv/checks', concurrency: 4, chromiumPath: '/usr/bin/chromium' });
    assert.equal(resolveConfig({ config: file, checks: '/elsewhere' }, {}).checks.dir, '/elsewhere');
    assert.equal(resolveConfig({}, {}).checks.dir, undefined, 'no directory: no synthetic checks');
    writeFileSync(file, 'checks:\n  dir: /srv/checks\n  concurrency: 0\n');
    assert.throws(
      () => resolveConfig({ config: file }, {}),
      (e: unknown) => e instanceof ConfigError && /:3\b.*checks\.concurrency/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
