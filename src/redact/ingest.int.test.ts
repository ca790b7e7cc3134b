// In-process ingest (RunningVigil.ingest, what replays and the simulator use) goes through the
// same redaction as OTLP: the store gets the redacted rows, and the caller's batch is untouched.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeLog, makeSpan } from '../../test/support/records.js';
import { vigilConfigSchema } from '../config/index.js';
import { startVigil, type RunningVigil } from '../server.js';

describe('RunningVigil.ingest redacts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-redact-ingest-'));
  let vigil: RunningVigil;
  before(async () => {
    const config = vigilConfigSchema.parse({
      server: { host: '127.0.0.1', port: 0, otlpHttpPort: 0, otlpGrpcPort: 0, clock: 'event', logLevel: 'silent' },
      storage: { dataDir: dir },
      auth: { adminKey: 'redact-ingest-key-0123456789' },
    });
    vigil = await startVigil(config);
  });
  after(async () => {
    await vigil.stop();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('stores spans and logs without their secrets', async () => {
    const span = makeSpan({ service: 'checkout', attributes: { 'http.request.header.authorization': 'Bearer xyz-in-process', 'http.route': '/login' } });
    const log = makeLog({ service: 'checkout', body: 'login with password=hunter2-in-process' });
    const batch = { spans: [span], logs: [log], metrics: [] };
    await vigil.ingest(batch);
    await vigil.sync();
    const rows = await vigil.store.ch.query({
      query: `SELECT attributes['http.request.header.authorization'] AS auth FROM ${vigil.store.database}.spans WHERE trace_id = {t:String}`,
      query_params: { t: span.traceId },
      format: 'JSONEachRow',
    });
    assert.deepEqual(await rows.json(), [{ auth: '[REDACTED]' }]);
    const logs = await vigil.store.ch.query({ query: `SELECT body FROM ${vigil.store.database}.logs WHERE service = 'checkout'`, format: 'JSONEachRow' });
    assert.deepEqual(await logs.json(), [{ body: 'login with password=[REDACTED]' }]);
    assert.equal(batch.logs[0]!.body, 'login with password=hunter2-in-process', "the caller's batch is not modified");
  });
});
