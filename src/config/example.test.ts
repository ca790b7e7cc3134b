// docs/config.md's example vigil.yaml must stay valid: it is parsed with the real schema here,
// and a misspelt key in it is reported with its line.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, resolveConfig } from './index.js';
import { repoRoot } from '../../test/support/paths.js';

function exampleYaml(): string {
  const doc = readFileSync(join(repoRoot(), 'docs', 'config.md'), 'utf8');
  const m = /```yaml\n([\s\S]*?)```/.exec(doc);
  assert.ok(m?.[1], 'docs/config.md holds a yaml example');
  return m[1];
}

test('the documented vigil.yaml parses and its values arrive in the config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-config-doc-'));
  try {
    const file = join(dir, 'vigil.yaml');
    writeFileSync(file, exampleYaml());
    const config = resolveConfig({ config: file }, {});
    assert.equal(config.server.host, '0.0.0.0');
    assert.equal(config.detect.errorRate?.alpha, 1e-5);
    assert.deepEqual(config.incidents.criticalJourneys?.[0], { name: 'checkout' });
    assert.equal(config.notify.channels.length, 3);
    assert.equal(config.notify.escalation[0]?.levels[0]?.afterMinutes, 10);
    assert.deepEqual(config.topology.edges[1], { from: 'inventory', to: 'stock-db', kind: 'database' });
    assert.deepEqual(config.topology.edges[2], { from: 'checkout', to: 'lb-inventory.internal', kind: 'external' });
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
});

test('a misspelt key in it is reported with file, line and key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-config-doc-'));
  try {
    const file = join(dir, 'vigil.yaml');
    const lines = exampleYaml().replace('minErrors: 5', 'minErorrs: 5').split('\n');
    writeFileSync(file, lines.join('\n'));
    const line = lines.findIndex((l) => l.includes('minErorrs')) + 1;
    assert.throws(
      () => resolveConfig({ config: file }, {}),
      (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.line === line && p.key.includes('errorRate') && p.file === file),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
});
