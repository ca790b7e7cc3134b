// vigil.yaml: precedence (defaults < file < environment < flags) and errors that name the file,
// line and key of every problem at once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError, resolveConfig } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-config-'));
after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

test('defaults apply without a file, and the result is frozen', () => {
  const c = resolveConfig({ config: undefined }, {});
  assert.equal(c.server.port, 8080);
  assert.equal(c.server.otlpHttpPort, 4318);
  assert.equal(c.server.otlpGrpcPort, 4317);
  assert.equal(c.server.clock, 'wall');
  assert.equal(c.storage.retention.spansDays, 7);
  assert.throws(() => ((c.server as { port: number }).port = 1));
});

test('flags override the environment, which overrides the file', () => {
  const p = file('a.yaml', 'server:\n  port: 9000\n  otlpHttpPort: 5318\nstorage:\n  dataDir: /from/file\n');
  const c = resolveConfig({ config: p, otlpPort: 6318 }, { VIGIL_API_KEY: 'env-key-0123456789abcdef' });
  assert.equal(c.server.port, 9000);
  assert.equal(c.server.otlpHttpPort, 6318);
  assert.equal(c.storage.dataDir, '/from/file');
  assert.equal(c.auth.adminKey, 'env-key-0123456789abcdef');
});

test('every invalid key is reported with its file and line', () => {
  const p = file('bad.yaml', 'server:\n  port: "eighty"\n  clock: sundial\nstorage:\n  retention:\n    spansDays: -1\nunknownSection: 1\n');
  try {
    resolveConfig({ config: p }, {});
    assert.fail('expected a ConfigError');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    const byKey = new Map(err.problems.map((x) => [x.key, x]));
    assert.equal(byKey.get('server.port')?.line, 2);
    assert.equal(byKey.get('server.clock')?.line, 3);
    assert.equal(byKey.get('storage.retention.spansDays')?.line, 6);
    assert.equal(byKey.get('unknownSection')?.line, 7, err.message);
    assert.match(err.message, /VIGIL_CONFIG_INVALID: .*bad\.yaml:2 server\.port/);
  }
});

test('a YAML syntax error names the line; a named file that is missing is an error', () => {
  const p = file('syntax.yaml', 'server:\n  port: 1\n   bad: [\n');
  assert.throws(
    () => resolveConfig({ config: p }, {}),
    (err: unknown) => err instanceof ConfigError && err.problems[0]!.line > 0,
  );
  assert.throws(() => resolveConfig({ config: join(dir, 'missing.yaml') }, {}), ConfigError);
});
