// The remediation runner against a real local HTTP receiver: a failed release runs its automatic
// action once however often it is reported; a receiver that keeps failing (5xx or unreachable) is
// retried with the same idempotency key and backoff, then the run is failed, audited and on the
// timeline without a verification; a run that succeeded is verified on the timeline, recovered or
// not within verifyAfterMs.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { AuditRecord } from '../audit/index.js';
import { createLogger } from '../logger.js';
import type { DeploymentRecord, RemediationRun } from '../release/index.js';
import { remediationSectionSchema } from '../release/index.js';
import { RemediationRunner } from './remediation-runner.js';

interface Hit {
  idempotencyKey: string;
  body: Record<string, unknown>;
}

async function until(done: () => boolean, ms = 5_000): Promise<void> {
  for (const end = Date.now() + ms; !done(); await new Promise((resolve) => setTimeout(resolve, 20)))
    if (Date.now() > end) throw new Error('timed out waiting for the verification');
}

describe('remediation runner', () => {
  let server: Server;
  let base = '';
  const hits = new Map<string, Hit[]>();
  /** Status per path; absent: 200. */
  const answers = new Map<string, number>();

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const path = req.url ?? '/';
        hits.set(path, [
          ...(hits.get(path) ?? []),
          { idempotencyKey: String(req.headers['idempotency-key']), body: JSON.parse(body) as Record<string, unknown> },
        ]);
        res.statusCode = answers.get(path) ?? 200;
        res.end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => new Promise((r) => server.close(r)));

  function runner(path: string, o: { recovered?: () => boolean | undefined; url?: string } = {}) {
    const audits: AuditRecord[] = [];
    const notes: string[] = [];
    const history: RemediationRun[] = [];
    const config = remediationSectionSchema.parse({
      verifyAfterMs: 1_000,
      retryBackoffMs: 5,
      actions: [
        { name: `rollback-${path.slice(1)}`, service: 'pay', kind: 'rollback', url: o.url ?? `${base}${path}`, auto: true, retries: 2, timeoutMs: 1_000 },
        { name: `restart-${path.slice(1)}`, service: 'pay', kind: 'restart', url: `${base}${path}/restart`, auto: true },
      ],
    });
    const r = new RemediationRunner({
      config,
      log: createLogger('silent'),
      audit: { record: (e) => Promise.resolve(void audits.push(e)) },
      now: () => Date.UTC(2026, 2, 2, 12),
      releaseRecovered: o.recovered ?? (() => false),
      history,
    });
    const incident = { id: 'inc-1', signals: [{ key: 'release:pay:d1', status: 'firing' }] };
    r.attachIncidents({
      list: () => Promise.resolve({ incidents: [incident as never] }),
      get: () => Promise.resolve({ record: incident as never }),
      note: (_id, _actor, text) => Promise.resolve(void notes.push(text)),
    });
    return { r, audits, notes, history };
  }

  const failed = {
    deployment: { id: 'd1', service: 'pay', version: 'v2', previousVersion: 'v1', timeMs: 0 },
    verdict: { summary: 'regression' },
  } as DeploymentRecord;

  it('runs one automatic action per failed deploy (the rollback), however often the fail is reported', async () => {
    const { r, history } = runner('/once');
    r.onFailedRelease(failed);
    r.onFailedRelease(failed);
    await r.settled();
    r.onFailedRelease(failed);
    await r.settled();
    await r.stop();
    assert.equal(hits.get('/once')?.length, 1);
    assert.equal(hits.get('/once/restart'), undefined, 'rollback first, nothing else');
    assert.equal(history.length, 1);
    assert.deepEqual(
      { action: hits.get('/once')![0]!.body.action, kind: hits.get('/once')![0]!.body.kind, deploymentId: hits.get('/once')![0]!.body.deploymentId },
      { action: 'rollback-once', kind: 'rollback', deploymentId: 'd1' },
    );
  });

  it('retries a receiver that keeps answering 5xx with one idempotency key, then fails the run, audited and on the timeline', async () => {
    answers.set('/down', 503);
    const { r, audits, notes, history } = runner('/down');
    r.onFailedRelease(failed);
    await r.settled();
    await r.stop();
    const got = hits.get('/down') ?? [];
    assert.equal(got.length, 3, 'the first attempt and 2 retries');
    assert.equal(new Set(got.map((h) => h.idempotencyKey)).size, 1);
    assert.equal(got[0]!.idempotencyKey, history[0]!.id);
    assert.deepEqual([history[0]!.outcome, history[0]!.attempts, history[0]!.lastResult], ['failed', 3, 'HTTP 503']);
    assert.equal(history[0]!.verification, undefined, 'a failed run is not verified');
    assert.equal(audits.length, 1);
    assert.deepEqual([audits[0]!.action, audits[0]!.details?.outcome, audits[0]!.details?.attempts], ['remediation.run', 'failed', 3]);
    assert.deepEqual(notes, ['Remediation "rollback-down" (rollback, automatic on a failed release) failed after 3 attempts: HTTP 503']);
  });

  it('retries an unreachable receiver too', async () => {
    const { r, history } = runner('/gone', { url: 'http://127.0.0.1:9/rollback' });
    r.onFailedRelease(failed);
    await r.settled();
    await r.stop();
    assert.deepEqual([history[0]!.outcome, history[0]!.attempts], ['failed', 3]);
    assert.match(history[0]!.lastResult, /^request failed: /);
  });

  it('verifies a successful run on the timeline: recovered as soon as the signal is, else not after verifyAfterMs', async () => {
    let recovered = false;
    const good = runner('/ok', { recovered: () => recovered });
    good.r.onFailedRelease(failed);
    await good.r.settled();
    setTimeout(() => (recovered = true), 40);
    await until(() => good.history[0]!.verification !== undefined);
    await good.r.stop();
    assert.equal(good.history[0]!.verification, 'recovered');
    assert.deepEqual(good.notes.slice(1), ['Verification of "rollback-ok": the signal recovered']);

    const stuck = runner('/stuck');
    stuck.r.onFailedRelease(failed);
    await stuck.r.settled();
    await until(() => stuck.history[0]!.verification !== undefined);
    await stuck.r.stop();
    assert.equal(stuck.history[0]!.verification, 'not-recovered');
    assert.match(stuck.notes[1] ?? '', /^Verification of "rollback-stuck": the signal had not recovered 1 s later$/);
  });
});
