// Check files: every problem reported with its file, line and key in one pass; ${VAR} secrets come
// from the environment; names are unique across files; durations read as people write them.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadChecks, parseCheckFile } from './load.js';

test('a valid file gives typed checks with defaults, durations in ms and secrets from the environment', () => {
  const r = parseCheckFile(
    'shop.yaml',
    `checks:
  - name: home
    kind: http
    url: https://shop.example/health
    every: 30s
    timeout: 500ms
    headers: { authorization: "Bearer \${SHOP_TOKEN}" }
    assert: { status: 200, json: { "$.status": ok } }
  - name: login flow
    kind: journey
    every: 5m
    steps:
      - { name: login, method: POST, url: "https://shop.example/login", extract: { token: "$.token" } }
      - { name: me, url: "https://shop.example/me", headers: { authorization: "Bearer {{token}}" } }
`,
    { SHOP_TOKEN: 's3cret' },
  );
  assert.deepEqual(r.problems, []);
  const [home, journey] = r.checks.map((c) => c.check);
  assert.equal(home!.kind, 'http');
  assert.equal(home!.every, 30_000);
  assert.equal(home!.timeout, 500);
  assert.equal(home!.confirm, 2);
  if (home!.kind === 'http') assert.equal(home!.headers?.authorization, 'Bearer s3cret');
  assert.equal(journey!.every, 300_000);
  assert.equal(r.checks[1]!.line, 9);
});

test('every problem is reported with its file, line and key', () => {
  const r = parseCheckFile(
    'bad.yaml',
    `checks:
  - name: a
    kind: http
    url: https://x
    every: 10 seconds
  - name: b
    kind: carrier-pigeon
  - name: c
    kind: tls
    host: example.com
    port: 99999
  - name: d
    kind: http
    url: https://x
    headers: { authorization: "\${MISSING_TOKEN}" }
    assert: { json: { "status": 1 } }
`,
    {},
  );
  const lines = r.problems.map((p) => `${p.file}:${p.line} ${p.key}`);
  assert.ok(lines.includes('bad.yaml:5 checks.0.every'), lines.join('\n'));
  assert.ok(
    lines.some((l) => l.startsWith('bad.yaml:7 checks.1.kind')),
    lines.join('\n'),
  );
  assert.ok(lines.includes('bad.yaml:11 checks.2.port'), lines.join('\n'));
  assert.ok(lines.includes('bad.yaml:15 checks.3.headers.authorization'), lines.join('\n'));
  assert.ok(
    lines.some((l) => l.startsWith('bad.yaml:16 checks.3.assert.json')),
    lines.join('\n'),
  );
  assert.match(r.problems.find((p) => p.key === 'checks.0.every')!.message, /"10 seconds" is not a duration: write 500ms, 10s, 5m or 1h/);
  assert.match(r.problems.find((p) => p.key === 'checks.3.headers.authorization')!.message, /MISSING_TOKEN is not set/);
  assert.equal(r.checks.length, 0, 'an invalid file loads nothing');
});

test('broken YAML names its line', () => {
  const r = parseCheckFile('broken.yaml', 'checks:\n  - name: a\n    kind: [http\n', {});
  assert.equal(r.problems.length > 0, true);
  assert.equal(r.problems[0]!.file, 'broken.yaml');
  assert.ok(r.problems[0]!.line >= 3);
});

test('a directory: files in subfolders, names unique across files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-checks-'));
  mkdirSync(join(dir, 'team-b'));
  writeFileSync(join(dir, 'a.yaml'), 'checks:\n  - { name: home, kind: tcp, host: localhost, port: 80 }\n');
  writeFileSync(
    join(dir, 'team-b', 'b.yml'),
    'checks:\n  - { name: api, kind: tcp, host: localhost, port: 81 }\n  - { name: home, kind: tcp, host: localhost, port: 82 }\n',
  );
  writeFileSync(join(dir, 'notes.txt'), 'not a check file');
  const r = await loadChecks(dir, {});
  assert.deepEqual(r.checks.map((c) => c.check.name).sort(), ['api', 'home']);
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0]!.message, /"home" is already defined at .*a\.yaml:2/);
  assert.match((await loadChecks(join(dir, 'nope'), {})).problems[0]!.message, /cannot read the directory/);
});

test('auth: basic or bearer from the environment; auth and an authorization header together are refused at their line', () => {
  const ok = parseCheckFile('a.yaml', 'checks:\n  - { name: a, kind: http, url: "https://x", auth: { basic: { username: bot, password: "${PW}" } } }\n', {
    PW: 'pw',
  });
  assert.deepEqual(ok.problems, []);
  const a = ok.checks[0]!.check;
  if (a.kind === 'http') assert.deepEqual(a.auth, { basic: { username: 'bot', password: 'pw' } });
  const both = parseCheckFile(
    'b.yaml',
    'checks:\n  - name: b\n    kind: journey\n    steps:\n      - name: s\n        url: https://x\n        headers: { Authorization: "Bearer 1" }\n        auth: { bearer: "{{token}}" }\n',
    {},
  );
  assert.deepEqual(
    both.problems.map((p) => `${p.file}:${p.line} ${p.key}: ${p.message}`),
    ['b.yaml:8 checks.0.steps.0.auth: both auth and an authorization header: keep one'],
  );
  assert.equal(parseCheckFile('c.yaml', 'checks:\n  - { name: c, kind: http, url: "https://x", auth: { token: x } }\n', {}).problems[0]?.key, 'checks.0.auth');
});
