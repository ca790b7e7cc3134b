// A check's secrets stay out of its results: an API key read into a URL from the environment is
// written back as `${VAR}` in the step name, the error, the span names and the CLI's JSON, and a
// TypeScript journey's declared secrets the same way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCheckFile } from './load.js';
import { redactRun } from './redact.js';
import type { RunResult } from './result.js';
import { runCheck } from './run.js';
import { runSpans } from './spans.js';

test("a ${VAR} read into a check's URL never reaches its run, error or spans", async () => {
  const key = 'k3y/with spaces+sl4sh';
  const { checks, problems } = parseCheckFile(
    'api.yaml',
    'checks:\n  - { name: api, kind: http, url: "http://127.0.0.1:1/v1?key=${API_KEY}&id=${ID}", timeout: 2s }\n  - { name: plain, kind: tcp, host: 127.0.0.1, port: 1 }\n',
    { API_KEY: key, ID: '7' },
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(checks[0]!.secrets, { API_KEY: key, ID: '7' });
  assert.equal(checks[1]!.secrets, undefined);
  const r = await runCheck(checks[0]!.check, { secrets: checks[0]!.secrets });
  assert.equal(r.ok, false);
  assert.equal(r.steps[0]!.name, 'GET http://127.0.0.1:1/v1?key=${API_KEY}&id=7', 'a value under 4 characters is left as it is');
  const everything = JSON.stringify([r, runSpans(r, r.rootSpanId, 'api')]);
  assert.ok(!everything.includes(key) && !everything.includes(encodeURIComponent(key)), everything);
});

test('redaction covers the error, assertions and details, and the URL-encoded form of a value', () => {
  const secret = 'p@ss word!';
  const run: RunResult = {
    name: 'login',
    kind: 'journey',
    atMs: 0,
    ok: false,
    durationMs: 5,
    error: `log in: json $.user: expected "${secret}", got nothing`,
    steps: [
      {
        name: `POST https://x/login?p=${encodeURIComponent(secret)}`,
        ok: false,
        durationMs: 5,
        error: `refused for ${secret}`,
        assertions: [{ assertion: 'json $.user', ok: false, expected: `"${secret}"`, actual: 'nothing' }],
      },
    ],
    details: { lastUrl: `https://x/?p=${encodeURIComponent(secret)}`, status: 401 },
  };
  const clean = redactRun(run, { BOT_PASSWORD: secret });
  assert.ok(!JSON.stringify(clean).includes(secret) && !JSON.stringify(clean).includes(encodeURIComponent(secret)));
  assert.equal(clean.error, 'log in: json $.user: expected "${BOT_PASSWORD}", got nothing');
  assert.equal(clean.steps[0]!.name, 'POST https://x/login?p=${BOT_PASSWORD}');
  assert.equal(clean.details.status, 401);
  assert.equal(redactRun(run, {}), run, 'nothing to hide: the same run');
});
