// The seed case end to end through the server's own pipeline in event-clock mode: a payment
// deploy exhausts the DB pool and payment, checkout and frontend errors follow. Expect exactly one
// incident, high or critical, detected within 2 minutes of the first failing payment requests,
// whose context names the deploy, the POST endpoints, the connection-timeout error group, the
// affected users and example traces. (Benign traffic is in benign-traffic.test.ts: chDB runs one
// data directory per process.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { VigilClient } from '../../src/client/index.js';
import { resolveConfig } from '../../src/config/index.js';
import { startVigil, type RunningVigil } from '../../src/server.js';
import { simulateShop } from '../../src/sim/index.js';
import { TEST_KEY } from '../support/vigil-process.js';

const T0 = Date.UTC(2026, 10, 3, 13, 0, 0);
const warmupMs = 30 * 60_000;
const deployAt = T0 + warmupMs;

void describe('seed case through the live pipeline (event clock)', () => {
  let dir: string;
  let vigil: RunningVigil;
  const api = (): VigilClient => new VigilClient({ url: vigil.apiUrl, apiKey: TEST_KEY });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-seed-'));
    vigil = await startVigil(
      resolveConfig({ data: dir, port: 0, otlpPort: 0, otlpGrpcPort: 0, clock: 'event', logLevel: 'warn' }, { VIGIL_API_KEY: TEST_KEY }),
    );
  });
  after(async () => {
    await vigil.stop();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  void it('opens exactly one incident for the pool-exhaustion deploy, with its context', async () => {
    // Customers feel the fault once the pool runs dry, a minute or two after the rollout: the
    // first payment request that fails after the deploy is where the 2-minute clock starts.
    let firstFailureMs = Infinity;
    for (const b of simulateShop({
      seed: 11,
      startMs: T0,
      durationMs: warmupMs + 12 * 60_000,
      rps: 6,
      stepMs: 10_000,
      faults: [{ name: 'pool-exhaustion-deploy', atMs: deployAt }],
    })) {
      for (const c of b.changes) await vigil.pipeline.recordChange({ ...c, source: 'api' });
      for (const s of b.spans) {
        if (s.service === 'payment' && s.kind === 'server' && s.statusCode === 'error' && s.startTimeMs >= deployAt)
          firstFailureMs = Math.min(firstFailureMs, s.startTimeMs);
      }
      await vigil.ingest(b);
    }
    assert.ok(Number.isFinite(firstFailureMs), 'the fault made payment requests fail');

    const list = await api().listIncidents({ status: 'all' });
    assert.equal(list.incidents.length, 1, list.incidents.map((i) => i.title).join(' | '));
    const inc = await api().getIncident(list.incidents[0]!.id);
    assert.ok(['high', 'critical'].includes(inc.severity), `severity ${inc.severity}: ${inc.severityReason}`);
    const detectedMs = Date.parse(inc.detectedAt);
    assert.ok(detectedMs - firstFailureMs <= 120_000, `detected ${(detectedMs - firstFailureMs) / 1000} s after the first failure`);
    assert.ok(detectedMs > deployAt, 'not opened before the fault');
    assert.ok(inc.services.includes('payment'), inc.services.join());
    const ctx = inc.context;
    assert.ok(ctx, 'context assembled');
    assert.ok(
      ctx.changes.some((c) => c.service === 'payment' && c.kind === 'deploy' && c.version === '2.3.0'),
      'names the payment 2.3.0 deploy',
    );
    assert.ok(
      ctx.affectedEndpoints.some((e) => e.service === 'payment' && e.endpoint.startsWith('POST')),
      'names the payment POST endpoint',
    );
    assert.ok(
      ctx.errorGroups.some((g) => /connection timeout/i.test(g.message)),
      'a connection-timeout error group',
    );
    assert.ok(
      ctx.affectedUsers.count > 0 && ctx.affectedUsers.count < ctx.affectedUsers.total,
      `affected users ${ctx.affectedUsers.count} of ${ctx.affectedUsers.total}`,
    );
    assert.ok(
      ctx.exampleTraces.some((t) => t.kind === 'failing'),
      'example failing traces',
    );
    const failing = ctx.exampleTraces.find((t) => t.kind === 'failing')!;
    const trace = await api().getTrace(failing.traceId);
    assert.ok(
      trace.spans.some((s) => s.status.code === 'error'),
      'the failing example trace is stored and fails',
    );
    assert.ok(inc.rootCauses.length > 0, 'root causes ranked');
    assert.ok(
      inc.timeline.some((e) => e.kind === 'signal'),
      'signals on the timeline',
    );
  });
});
