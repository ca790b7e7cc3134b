// Black-box fuzz of ingest (issue 17): a few thousand seeded mutations of the SDK serializers' own
// requests over OTLP/HTTP (protobuf, JSON, gzip) and OTLP/gRPC against a real Vigil. No 5xx, no
// INTERNAL, every answer a valid OTLP response, and afterwards Vigil still ingests a normal request
// and its write-ahead log drains into the store (nothing stuck, nothing quarantined).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/index.js';
import { fuzzCorpus } from '../../src/ingest/testing/fuzz-bodies.js';
import { runFuzz } from '../../src/ingest/testing/fuzz-client.js';
import { startVigil, type RunningVigil } from '../../src/server.js';
import { hexId, traceRequest } from '../support/otlp-json.js';
import { TEST_KEY } from '../support/vigil-process.js';

const CASES = 3000;
const SEED = 17;

interface Health {
  ingestQueue: { queuedRows: number; insertFailures: number; quarantinedInserts: number };
}

describe('OTLP ingest under fuzzed bodies (black box, in process)', () => {
  let dir: string;
  let vigil: RunningVigil;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-fuzz-'));
    vigil = await startVigil(resolveConfig({ data: dir, port: 0, otlpPort: 0, otlpGrpcPort: 0, logLevel: 'silent' }, { VIGIL_API_KEY: TEST_KEY }));
  });
  after(async () => {
    await vigil.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it(`answers ${CASES} mutated bodies with valid OTLP answers, never a 5xx or INTERNAL`, async () => {
    const stats = await runFuzz({
      target: { otlpHttpUrl: vigil.otlpHttpUrl, grpcPort: vigil.otlpGrpcPort, key: TEST_KEY },
      corpus: await fuzzCorpus(),
      seed: SEED,
      count: CASES,
      concurrency: 8,
    });
    assert.equal(stats.sent, CASES);
    assert.deepEqual(stats.problems, [], 'answers that break the OTLP contract');
    const statuses = Object.fromEntries(stats.statuses);
    for (const status of Object.keys(statuses)) assert.doesNotMatch(status, /^http 5|^grpc (2|13)$/, JSON.stringify(statuses));
    // The stream must exercise both outcomes, or it tests nothing.
    assert.ok((statuses['http 200'] ?? 0) > CASES / 10 && (statuses['http 400'] ?? 0) > CASES / 20, JSON.stringify(statuses));
    assert.ok((statuses['grpc 0'] ?? 0) > 0 && (statuses['grpc 3'] ?? 0) > 0, JSON.stringify(statuses));
  });

  it('still ingests a normal request afterwards, and the write-ahead log drains with nothing stuck or quarantined', async () => {
    const traceId = hexId(16);
    const res = await fetch(`${vigil.otlpHttpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_KEY}` },
      body: JSON.stringify(traceRequest('after-fuzz', '1.0.0', [{ traceId, spanId: hexId(8), name: 'GET /ok', startMs: Date.now(), durationMs: 5 }])),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {});
    await vigil.sync();
    const health = (await (await fetch(`${vigil.apiUrl}/api/v1/health`)).json()) as Health;
    assert.equal(health.ingestQueue.queuedRows, 0, JSON.stringify(health.ingestQueue));
    assert.deepEqual([health.ingestQueue.insertFailures, health.ingestQueue.quarantinedInserts], [0, 0], 'the store took every acknowledged row');
    const trace = await fetch(`${vigil.apiUrl}/api/v1/traces/${traceId}`, { headers: { authorization: `Bearer ${TEST_KEY}` } });
    assert.equal(trace.status, 200);
    assert.match(await trace.text(), /GET \/ok/);
  });
});
