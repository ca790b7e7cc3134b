// Black-box: secrets sent over OTLP/HTTP never reach the disk. A real `vigil start` receives a
// span, a log and a metric point carrying a bearer token, a password and an API key; the API
// serves them redacted and no file under the data directory (write-ahead log, store) holds them,
// while a harmless marker sent alongside is found there (so the search would see a leak).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { attr, hexId, logRequest, nanos, traceRequest } from '../support/otlp-json.js';
import { startVigilProcess, type VigilProcess } from '../support/vigil-process.js';

const SECRETS = ['xyzBearerToken7f3a', 'hunter2-7f3a', 'k-live-7f3a-api'];
const MARKER = 'harmless-marker-7f3a';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** Which of `needles` some file under `dir` contains, byte for byte. */
function foundOnDisk(dir: string, needles: string[]): Set<string> {
  const found = new Set<string>();
  for (const file of filesUnder(dir)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      continue; // a part merged away while we listed
    }
    for (const n of needles) if (bytes.includes(n)) found.add(n);
  }
  return found;
}

function metricRequest(timeMs: number): Record<string, unknown> {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [attr('service.name', 'checkout')] },
        scopeMetrics: [
          {
            scope: { name: 'test' },
            metrics: [
              {
                name: 'login.attempts',
                unit: '1',
                gauge: { dataPoints: [{ timeUnixNano: nanos(timeMs), asDouble: 3, attributes: [attr('api_key', SECRETS[2]!), attr('marker', MARKER)] }] },
              },
            ],
          },
        ],
      },
    ],
  };
}

describe('redaction (black box)', () => {
  let v: VigilProcess;
  const configDir = mkdtempSync(join(tmpdir(), 'vigil-redaction-config-'));
  before(async () => {
    const config = join(configDir, 'vigil.yaml');
    writeFileSync(config, 'redaction:\n  hashEmails: true\n');
    v = await startVigilProcess({ extraArgs: ['--config', config] });
  });
  after(async () => {
    await v.stop();
    v.cleanup();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('serves spans and logs redacted and writes no secret to the data directory', async () => {
    const now = Date.now();
    const traceId = hexId(16);
    const spanId = hexId(8);
    const sent = await v.request(`${v.otlp}/v1/traces`, {
      method: 'POST',
      body: traceRequest('checkout', '1.0.0', [
        {
          traceId,
          spanId,
          name: 'POST /login',
          startMs: now,
          error: true,
          attributes: {
            'http.request.header.authorization': `Bearer ${SECRETS[0]}`,
            'url.query': `user=ann&password=${SECRETS[1]}`,
            'enduser.id': 'ann@example.com',
            'gen_ai.usage.input_tokens': 812,
            'app.note': MARKER,
          },
        },
      ]),
    });
    assert.equal(sent.status, 200, sent.text);
    const logged = await v.request(`${v.otlp}/v1/logs`, {
      method: 'POST',
      body: logRequest('checkout', [
        {
          timeMs: now,
          traceId,
          spanId,
          severity: 17,
          body: `login failed for ann@example.com password=${SECRETS[1]} ${MARKER}`,
          attributes: { 'http.request.header.authorization': `Bearer ${SECRETS[0]}`, api_key: SECRETS[2]! },
        },
      ]),
    });
    assert.equal(logged.status, 200, logged.text);
    assert.equal((await v.request(`${v.otlp}/v1/metrics`, { method: 'POST', body: metricRequest(now) })).status, 200);

    const trace = await v.request<{ spans: Array<{ attributes: Record<string, string>; userId: string }> }>(`/api/v1/traces/${traceId}`);
    assert.equal(trace.status, 200, trace.text);
    const span = trace.json.spans[0]!;
    assert.equal(span.attributes['http.request.header.authorization'], '[REDACTED]');
    assert.equal(span.attributes['url.query'], 'user=ann&password=[REDACTED]');
    assert.equal(span.attributes['gen_ai.usage.input_tokens'], '812', 'a harmless key stays readable');
    assert.match(span.userId, /^email:[0-9a-f]{16}$/);
    assert.equal(span.attributes['enduser.id'], span.userId, 'the user id and its attribute hash alike');

    const logs = await v.request<{ logs: Array<{ body: string; attributes: Record<string, string> }> }>(`/api/v1/logs?traceId=${traceId}`);
    assert.equal(logs.status, 200, logs.text);
    const log = logs.json.logs[0]!;
    assert.equal(log.body, `login failed for ${span.userId} password=[REDACTED] ${MARKER}`);
    assert.deepEqual([log.attributes['http.request.header.authorization'], log.attributes.api_key], ['[REDACTED]', '[REDACTED]']);
    for (const text of [trace.text, logs.text]) for (const s of [...SECRETS, 'ann@example.com']) assert.ok(!text.includes(s), `${s} in an API answer`);

    // While running (write-ahead log, store parts) and after a graceful stop (everything flushed).
    const running = foundOnDisk(v.dataDir, [...SECRETS, 'ann@example.com', MARKER]);
    await v.stop();
    const stopped = foundOnDisk(v.dataDir, [...SECRETS, 'ann@example.com', MARKER]);
    assert.ok(running.has(MARKER) || stopped.has(MARKER), 'the marker sent beside the secrets is on disk, so the search sees what was written');
    assert.deepEqual(
      [...running, ...stopped].filter((s) => s !== MARKER),
      [],
      'no secret and no email address on disk',
    );
  });
});
