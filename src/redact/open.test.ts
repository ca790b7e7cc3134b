// The per-install email salt (created once, owner-only, reused after a restart so hashes stay
// stable) and the sink wrapper that hands the store only redacted batches.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { IngestSink, TelemetryBatch } from '../ingest/index.js';
import { blankLog } from '../model/testing/records.js';
import { StartupError } from '../server/index.js';
import { redactionConfigSchema } from './config.js';
import { openRedactor, redactingSink, SALT_FILE } from './open.js';

function inTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-redact-'));
  return run(dir).finally(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));
}

test('the generated salt is kept owner-only in the data directory and gives the same hash after a restart', () =>
  inTempDir(async (dir) => {
    const data = join(dir, 'data');
    const config = redactionConfigSchema.parse({ hashEmails: true });
    const first = (await openRedactor(config, data)).redactText('ann@example.com');
    assert.equal(statSync(join(data, SALT_FILE)).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(data), [SALT_FILE], 'no temporary file is left');
    const again = (await openRedactor(config, data)).redactText('ann@example.com');
    assert.equal(again, first);
    const elsewhere = (await openRedactor(config, join(dir, 'other'))).redactText('ann@example.com');
    assert.notEqual(elsewhere, first, 'each install has its own salt');
  }));

test('an unusable salt file stops the start with a one-line error instead of weak hashes', () =>
  inTempDir(async (dir) => {
    writeFileSync(join(dir, SALT_FILE), '\n');
    await assert.rejects(
      openRedactor(redactionConfigSchema.parse({ hashEmails: true }), dir),
      (err: Error) => err instanceof StartupError && /^VIGIL_DATA_DIR_READONLY: the email salt .*redaction-salt holds no usable salt/.test(err.message),
    );
  }));

test('no salt file is made when emails are not hashed or the salt is configured', () =>
  inTempDir(async (dir) => {
    await openRedactor(redactionConfigSchema.parse({}), dir);
    const configured = await openRedactor(redactionConfigSchema.parse({ hashEmails: true, emailSalt: 'configured-salt-0123' }), dir);
    assert.equal(existsSync(join(dir, SALT_FILE)), false);
    assert.match(configured.redactText('ann@example.com'), /^email:[0-9a-f]{16}$/);
  }));

test('the wrapped sink stores the redacted batch and answers as the sink does', async () => {
  const stored: TelemetryBatch[] = [];
  const inner: IngestSink = {
    accept(batch) {
      stored.push(batch);
      return Promise.resolve();
    },
  };
  const sink = redactingSink(await openRedactor(redactionConfigSchema.parse({}), tmpdir()), inner);
  const log = blankLog({ service: 's', timeMs: 1, observedTimeMs: 1, severityNumber: 9, body: 'password=hunter2' });
  await sink.accept({ spans: [], logs: [log], metrics: [] });
  assert.equal(stored[0]!.logs[0]!.body, 'password=[REDACTED]');
  const failing = redactingSink(await openRedactor(redactionConfigSchema.parse({}), tmpdir()), { accept: () => Promise.reject(new Error('queue full')) });
  await assert.rejects(failing.accept({ spans: [], logs: [], metrics: [] }), /queue full/);
  assert.equal(redactingSink(await openRedactor(redactionConfigSchema.parse({ enabled: false }), tmpdir()), inner), inner, 'off: the sink itself');
});
