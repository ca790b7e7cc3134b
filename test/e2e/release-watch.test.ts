// Black-box (in process, event clock, the real store): what release validation reads beyond the
// live spans. A diurnal service is judged against the previous version at the same time of day
// yesterday (the hour before would false-fail it), and its watch survives a restart of Vigil and
// finishes afterwards. A deploy's smoke check runs at once; its runs (check, result, duration,
// trace) are on the deployment and its confirmed failure fails the release by name; the incident
// it opens carries the remediation actions to run on approval beside its root cause.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Span } from '../../src/model/index.js';
import type { RunningVigil } from '../../src/server.js';
import { apiOf, startEventVigil, waitUntil } from '../support/in-process-vigil.js';
import { makeSpan } from '../support/records.js';

const day = 86_400_000;
/** The deploy: two hours ago, on the minute. */
const deployMs = Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000;

interface DeploymentView {
  id: string;
  version: string;
  verdict: { status: string; summary: string; evidence: Array<{ signal: string; route?: string; failing: boolean; summary: string }> };
  baseline?: { kind: string; days?: number; description: string; lookingUp?: boolean };
  smoke?: Array<{ check: string; status: string; runs: Array<{ at: string; ok: boolean; durationMs: number; traceId?: string; error?: string }> }>;
}

/** One minute of catalog's requests by `version`, `ms` slow (± a little), 4 per 10 s. */
function minute(service: string, version: string, startMs: number, ms: number): Span[] {
  const spans: Span[] = [];
  for (let b = 0; b < 6; b++) {
    for (let i = 0; i < 4; i++) {
      spans.push(
        makeSpan({
          service,
          serviceVersion: version,
          name: 'GET /items',
          httpRoute: '/items',
          httpMethod: 'GET',
          startTimeMs: startMs + b * 10_000 + i * 2_000,
          durationMs: ms + ((i * 7 + b * 3) % 10),
          httpStatusCode: 200,
          resourceAttributes: { 'service.name': service },
        }),
      );
    }
  }
  return spans;
}

describe('release validation: same time of day, restart, smoke runs, remediation on the incident', () => {
  let dir: string;
  let vigil: RunningVigil;
  let shop: Server;
  let base = '';
  const start = (): Promise<RunningVigil> => startEventVigil(dir, { checks: true });
  const api = apiOf(() => vigil);
  /** `oneBatch`: all minutes in one request; else one a minute (a day's leap of the event clock needs a few batches). */
  const feed = async (service: string, version: string, fromMs: number, minutes: number, ms: number, oneBatch = true): Promise<void> => {
    const spans = Array.from({ length: minutes }, (_, m) => minute(service, version, fromMs + m * 60_000, ms));
    for (const batch of oneBatch ? [spans.flat()] : spans) await vigil.ingest({ spans: batch, logs: [], metrics: [] });
  };
  const deployment = async (id: string): Promise<DeploymentView> => (await api<DeploymentView>(`/api/v1/deployments/${id}`)).json;

  before(async () => {
    shop = createServer((req, res) => {
      res.writeHead(req.url === '/pay' ? 500 : 200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((r) => shop.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'vigil-release-watch-'));
    mkdirSync(join(dir, 'checks'));
    writeFileSync(
      join(dir, 'checks', 'smoke.yaml'),
      `checks:\n  - { name: pay smoke, kind: http, service: payments, smoke: true, every: 1h, timeout: 2s, url: "${base}/pay", assert: { status: 200 } }\n`,
    );
    writeFileSync(
      join(dir, 'vigil.yaml'),
      [
        'release:',
        '  windowMs: 12m',
        '  remediation:',
        '    actions:',
        `      - { name: rollback-payments, service: payments, kind: rollback, url: "${base}/rollback" }`,
        '',
      ].join('\n'),
    );
    vigil = await start();
  });
  after(async () => {
    await vigil?.stop();
    await new Promise((r) => shop.close(r));
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('judges against the same time of day yesterday, and a restart mid-watch continues the watch', async () => {
    // Yesterday at this hour catalog 1.0 was slow (a daily peak); the hour before today's deploy is quiet.
    await feed('catalog', '1.0', deployMs - day, 15, 90);
    await feed('catalog', '1.0', deployMs - 15 * 60_000, 15, 30, false);
    const recorded = await api<{ id: string }>('/api/v1/deployments', {
      method: 'POST',
      body: { service: 'catalog', version: '1.1', time: new Date(deployMs).toISOString() },
    });
    assert.equal(recorded.status, 201, JSON.stringify(recorded.json));
    const id = recorded.json.id;
    const looked = await waitUntil('the same-time-of-day lookup', async () => {
      const d = await deployment(id);
      return d.baseline && !d.baseline.lookingUp ? d : undefined;
    });
    assert.deepEqual(looked.baseline, { kind: 'same-time-of-day', days: 1, description: '1.0 at the same time of day on 1 previous day' });
    // The new version is as slow as 1.0 always is at this hour: 3x the hour before, no regression.
    await feed('catalog', '1.1', deployMs, 5, 90);
    assert.equal((await deployment(id)).verdict.status, 'watching', 'against the hour before this would already have failed');

    await vigil.stop();
    vigil = await start();
    const restored = await deployment(id);
    assert.equal(restored.verdict.status, 'watching', restored.verdict.summary);
    assert.equal(restored.baseline?.kind, 'same-time-of-day');
    await feed('catalog', '1.1', deployMs + 5 * 60_000, 10, 90);
    const decided = await deployment(id);
    assert.equal(decided.verdict.status, 'pass', decided.verdict.summary);
    assert.match(decided.verdict.summary, /baseline: 1\.0 at the same time of day on 1 previous day/);
    assert.ok(decided.verdict.evidence.every((e) => !e.failing));
  });

  it('puts the smoke runs a deploy triggered on its record, fails it by the check name, and suggests remediation on the incident', async () => {
    // After catalog's watch in event time: the engine steps when the data moves the clock on.
    const payMs = deployMs + 20 * 60_000;
    await feed('payments', 'p1', payMs - 5 * 60_000, 5, 40);
    const recorded = await api<{ id: string }>('/api/v1/deployments', {
      method: 'POST',
      body: { service: 'payments', version: 'p2', time: new Date(payMs).toISOString() },
    });
    const id = recorded.json.id;
    // The check fails, is retried within seconds, fails again: confirmed.
    const smoke = await waitUntil(
      'two smoke runs on the deployment',
      async () => {
        const d = await deployment(id);
        return d.smoke?.[0] && d.smoke[0].runs.length >= 2 ? d.smoke : undefined;
      },
      20_000,
    );
    assert.equal(smoke[0]!.check, 'pay smoke');
    assert.equal(smoke[0]!.status, 'fail');
    const run = smoke[0]!.runs[0]!;
    assert.equal(run.ok, false);
    assert.match(run.error ?? '', /status: expected 200, got 500/);
    assert.match(run.traceId ?? '', /^[0-9a-f]{32}$/);
    assert.ok(run.durationMs >= 0 && Number.isFinite(Date.parse(run.at)));
    // The engine decides on its next step (event time moves with the data).
    await feed('payments', 'p2', payMs, 1, 40);
    const failed = await waitUntil('the fail verdict', async () => {
      const d = await deployment(id);
      return d.verdict.status === 'fail' ? d : undefined;
    });
    const row = failed.verdict.evidence.find((e) => e.signal === 'smoke' && e.failing);
    assert.equal(row?.route, 'pay smoke');
    assert.match(failed.verdict.summary, /smoke check "pay smoke" failed after the deploy/);

    const incident = await waitUntil('an incident on payments', async () =>
      (await api<{ incidents: Array<{ id: string; services: string[] }> }>('/api/v1/incidents')).json.incidents.find((i) => i.services.includes('payments')),
    );
    const full = (
      await api<{ rootCauses: unknown[]; remediation?: { actions: Array<{ id: string; kind: string; run: { method: string; path: string } }> } }>(
        `/api/v1/incidents/${incident.id}`,
      )
    ).json;
    const keys = Object.keys(full);
    assert.equal(keys[keys.indexOf('rootCauses') + 1], 'remediation', 'suggested actions sit beside the root cause');
    assert.deepEqual(
      full.remediation?.actions.map((a) => [a.id, a.kind, a.run.method, a.run.path]),
      [['rollback-payments', 'rollback', 'POST', `/api/v1/incidents/${incident.id}/remediations/rollback-payments/run`]],
    );
  });
});
