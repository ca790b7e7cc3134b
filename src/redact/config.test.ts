// The redaction section of vigil.yaml: defaults on, and every bad custom rule reported with its
// file, line and key (an invalid regex, an empty match, a catastrophic one, an overlong one).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, resolveConfig } from '../config/index.js';

function withYaml<T>(yaml: string, run: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-redact-config-'));
  try {
    const file = join(dir, 'vigil.yaml');
    writeFileSync(file, yaml);
    return run(file);
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}

test('redaction is on with the default rules when vigil.yaml says nothing', () => {
  const config = withYaml('server: { port: 8080 }\n', (file) => resolveConfig({ config: file }, {}));
  assert.deepEqual(config.redaction, { enabled: true, defaults: true, keys: [], patterns: [], hashEmails: false });
});

test('custom rules arrive in the config', () => {
  const yaml = ['redaction:', '  keys: [ssn]', '  hashEmails: true', '  patterns:', "    - { name: card, regex: '\\d{16}', replacement: '[CARD]' }", ''].join(
    '\n',
  );
  const config = withYaml(yaml, (file) => resolveConfig({ config: file }, {}));
  assert.deepEqual(config.redaction.patterns, [{ name: 'card', regex: '\\d{16}', replacement: '[CARD]', ignoreCase: false }]);
  assert.equal(config.redaction.hashEmails, true);
});

test('every bad regex is reported at once with file, line and key', () => {
  const yaml = [
    'redaction:',
    '  patterns:',
    "    - { name: broken, regex: 'a(b' }",
    "    - { name: empty, regex: 'x*' }",
    "    - { name: nested, regex: '(a+)+$' }",
    `    - { name: long, regex: '${'a'.repeat(501)}' }`,
    '  keys: ["--"]',
    '  emailSalt: short',
    '',
  ].join('\n');
  withYaml(yaml, (file) => {
    assert.throws(
      () => resolveConfig({ config: file }, {}),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        const at = (key: string): { line: number; message: string } | undefined => err.problems.find((p) => p.key === key && p.file === file);
        assert.equal(at('redaction.patterns.0.regex')?.line, 3);
        assert.match(at('redaction.patterns.0.regex')!.message, /not a valid regular expression/);
        assert.match(at('redaction.patterns.1.regex')!.message, /empty string/);
        assert.equal(at('redaction.patterns.2.regex')?.line, 5);
        assert.match(at('redaction.patterns.2.regex')!.message, /backtrack catastrophically/);
        assert.match(at('redaction.patterns.3.regex')!.message, /at most 500 characters/);
        assert.equal(at('redaction.keys.0')?.line, 7);
        assert.equal(at('redaction.emailSalt')?.line, 8);
        assert.match(err.message, /^VIGIL_CONFIG_INVALID: .*vigil\.yaml:3 redaction\.patterns\.0\.regex: not a valid regular expression/m);
        return true;
      },
    );
  });
});
