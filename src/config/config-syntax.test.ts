// vigil.yaml conveniences the loader gives every section: `${ENV}` references (secrets stay out of
// the file), durations written `30s` / `5m`, and "did you mean" for unknown keys, even in
// sections whose schema would otherwise drop a misspelt key in silence.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseDuration } from './durations.js';
import { ConfigError, resolveConfig } from './index.js';
import { editDistance } from './unknown-keys.js';
import { repoRoot } from '../../test/support/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-config-syntax-'));
after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));
let n = 0;
const file = (text: string): string => {
  const p = join(dir, `c${++n}.yaml`);
  writeFileSync(p, text);
  return p;
};
const problemsOf = (text: string, env: NodeJS.ProcessEnv = {}): ConfigError => {
  try {
    resolveConfig({ config: file(text) }, env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  return assert.fail('expected a ConfigError');
};

const pagerYaml = (key: string): string =>
  [
    'notify:',
    '  channels:',
    '    - name: pager',
    '      type: webhook',
    `      url: https://hooks.example.com/\${HOOK_TOKEN}`,
    `      secret: ${key}`,
    '',
  ].join('\n');

test('${NAME} takes secrets from the environment; the file holds only the reference', () => {
  const c = resolveConfig({ config: file(pagerYaml('"${PAGER_SECRET}"')) }, { HOOK_TOKEN: 'T0K3N', PAGER_SECRET: 'from-the-environment-42' });
  const ch = c.notify.channels[0] as { url: string; secret: string };
  assert.equal(ch.url, 'https://hooks.example.com/T0K3N');
  assert.equal(ch.secret, 'from-the-environment-42');
});

test('an unset variable is an error naming the variable, its line and key, never a value', () => {
  const err = problemsOf(pagerYaml('${PAGER_SECRET}'), { HOOK_TOKEN: 'super-secret-hook-token' });
  const p = err.problems.find((x) => x.message.includes('PAGER_SECRET'));
  assert.ok(p, err.message);
  assert.equal(p.line, 6);
  assert.equal(p.key, 'notify.channels.0.secret');
  assert.ok(!err.message.includes('super-secret-hook-token'), err.message);
});

test('${NAME:-default}, $${ for a literal, and unquoted whole references read like YAML values', () => {
  const c = resolveConfig(
    { config: file('server:\n  port: ${PORT}\n  host: "${HOST:-0.0.0.0}"\nstorage:\n  walFsync: ${FSYNC}\n  dataDir: /data/$${HOME}\n') },
    { PORT: '9090', FSYNC: 'true', HOST: '' },
  );
  assert.equal(c.server.port, 9090);
  assert.equal(c.server.host, '0.0.0.0');
  assert.equal(c.storage.walFsync, true);
  assert.equal(c.storage.dataDir, '/data/${HOME}');
  const quoted = problemsOf('server:\n  port: "${PORT}"\n', { PORT: '9090' });
  assert.equal(quoted.problems[0]?.key, 'server.port', 'a quoted reference stays a string');
  const bad = problemsOf('server:\n  host: ${not a name}\n');
  assert.match(bad.message, /c\d+\.yaml:2 server\.host: .*not an environment reference/);
});

test('durations: 30s, 5m, 1h30m convert into the unit the key names', () => {
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('5 minutes'), undefined);
  const c = resolveConfig(
    {
      config: file(
        [
          'storage:',
          '  retention: { spansDays: 36h }',
          'notify:',
          '  timeoutMs: 30s',
          '  channels: [{ name: a, type: slack, url: "https://hooks.example.com/a" }]',
          '  escalation: [{ name: std, levels: [{ afterMinutes: 90s, channels: [a] }] }]',
          '',
        ].join('\n'),
      ),
    },
    {},
  );
  assert.equal(c.notify.timeoutMs, 30_000);
  assert.equal(c.notify.escalation[0]?.levels[0]?.afterMinutes, 1.5);
  assert.equal(c.storage.retention.spansDays, 1.5);
  const err = problemsOf('notify:\n  timeoutMs: soon\n');
  assert.equal(err.problems[0]?.line, 2);
  assert.equal(err.problems[0]?.key, 'notify.timeoutMs');
  assert.match(err.problems[0].message, /duration such as 30s/);
});

test('unknown keys are reported with their line and the nearest known key, in every section', () => {
  const err = problemsOf(
    [
      'sever:', // 1: top level
      '  port: 1',
      'notify:',
      '  chanels: []', // 4: notify's schema is not strict; this used to vanish
      '  routes:',
      '    - { services: ["*"], minSeverty: high, channels: [x] }', // 6: inside an array
      'storage:',
      '  retention: { spansdays: 3, zzzzzz: 1 }', // 8: case slip, and no suggestion at all
      '',
    ].join('\n'),
  );
  const byKey = new Map(err.problems.map((p) => [p.key, p]));
  assert.match(byKey.get('sever')?.message ?? '', /did you mean "server"/);
  assert.equal(byKey.get('notify.chanels')?.line, 4);
  assert.match(byKey.get('notify.chanels')?.message ?? '', /did you mean "channels"/);
  assert.equal(byKey.get('notify.routes.0.minSeverty')?.line, 6);
  assert.match(byKey.get('notify.routes.0.minSeverty')?.message ?? '', /did you mean "minSeverity"/);
  assert.match(byKey.get('storage.retention.spansdays')?.message ?? '', /did you mean "spansDays"/);
  assert.equal(byKey.get('storage.retention.zzzzzz')?.message, 'unknown key');
  assert.equal(err.problems.filter((p) => p.key === 'sever').length, 1, 'reported once, not again by the strict schema');
});

test('a channel key is checked against its own type: a Slack option on a webhook is unknown', () => {
  const err = problemsOf('notify:\n  channels:\n    - { name: a, type: webhook, url: "https://x.example.com", secret: 0123456789abcdefgh, usrename: bot }\n');
  assert.deepEqual(
    err.problems.map((p) => [p.key, p.line]),
    [['notify.channels.0.usrename', 3]],
  );
});

test('edit distance counts a swapped pair once', () => {
  assert.equal(editDistance('chanels', 'channels'), 1);
  assert.equal(editDistance('sevrer', 'server'), 1);
});

test("docs/config.md's PagerDuty and Opsgenie example parses, its secrets from the environment", () => {
  const doc = readFileSync(join(repoRoot(), 'docs', 'config.md'), 'utf8');
  const yaml = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '').find((y) => y.includes('type: pagerduty'));
  assert.ok(yaml, 'docs/config.md has the paging example');
  const c = resolveConfig({ config: file(yaml) }, { PD_ROUTING_KEY: 'abcdefABCDEF0123456789abcdefABCD', OPSGENIE_API_KEY: 'eb243592-faa2-4ba2' });
  assert.deepEqual(
    c.notify.channels.map((ch) => ch.type),
    ['pagerduty', 'opsgenie'],
  );
  assert.equal(c.notify.coalesceMs, 5_000);
  assert.equal(c.notify.escalation[0]?.levels[0]?.afterMinutes, 2);
  assert.throws(
    () => resolveConfig({ config: file(yaml) }, {}),
    (err: unknown) => err instanceof ConfigError && /PD_ROUTING_KEY is not set/.test(err.message),
  );
});
