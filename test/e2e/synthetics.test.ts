// Black-box (in process): `vigil start --checks DIR`. A failing checkout journey is confirmed, opens
// an incident on the check's service whose timeline names the check and whose evidence links the
// run's trace (served by the trace API); a deployment runs the service's smoke checks at once;
// heartbeats are pinged; the directory reloads on change and an invalid edit keeps the old checks.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/index.js';
import { startVigil, type RunningVigil } from '../../src/server.js';
import { TEST_KEY } from '../support/vigil-process.js';

interface CheckView {
  name: string;
  status: string;
  service?: string;
  lastRun?: { ok: boolean; error?: string; traceId?: string };
}

describe('synthetic checks in a running Vigil', () => {
  let dir: string;
  let checksDir: string;
  let vigil: RunningVigil;
  let shop: Server;
  let base: string;
  let paymentsDown = false;
  const requests: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  const api = async <T>(path: string, init: { method?: string; body?: unknown; key?: string } = {}): Promise<{ status: number; json: T }> => {
    const r = await fetch(`${vigil.apiUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${init.key ?? TEST_KEY}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    return { status: r.status, json: (await r.json()) as T };
  };
  const waitFor = async <T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> => {
    const t0 = Date.now();
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const checksFile = (extra = ''): string => `checks:
  - name: checkout journey
    kind: journey
    service: payments
    critical: true
    every: 2s
    timeout: 2s
    steps:
      - { name: open cart, url: "${base}/cart", assert: { status: 200 } }
      - { name: pay, method: POST, url: "${base}/pay", body: { amount: 10 }, assert: { status: 200, json: { "$.paid": true } } }
  - name: payments smoke
    kind: http
    service: payments
    smoke: true
    every: 1h
    url: "${base}/smoke"
  - name: nightly export
    kind: heartbeat
    every: 1s
    grace: 1h
${extra}`;

  before(async () => {
    shop = createServer((req, res) => {
      requests.push({ url: req.url ?? '', headers: req.headers });
      const down = paymentsDown && req.url === '/pay';
      res.writeHead(down ? 502 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(down ? { error: 'card processor unreachable' } : { paid: true, ok: true }));
    });
    await new Promise<void>((r) => shop.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'vigil-synth-'));
    checksDir = mkdtempSync(join(tmpdir(), 'vigil-synth-checks-'));
    writeFileSync(join(checksDir, 'shop.yaml'), checksFile());
    vigil = await startVigil(
      resolveConfig({ data: dir, port: 0, otlpPort: 0, otlpGrpcPort: 0, logLevel: 'silent', checks: checksDir }, { VIGIL_API_KEY: TEST_KEY }),
    );
  });
  after(async () => {
    await vigil.stop();
    shop.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    rmSync(checksDir, { recursive: true, force: true });
  });

  it('lists the checks and their runs, passing', async () => {
    const passing = await waitFor(
      async () => (await api<{ checks: CheckView[] }>('/api/v1/checks')).json.checks.find((c) => c.name === 'checkout journey' && c.status === 'passing'),
      'a passing run',
    );
    assert.equal(passing.service, 'payments');
    assert.equal(passing.lastRun?.ok, true);
    const runs = await api<{ runs: Array<{ ok: boolean; steps: unknown[] }> }>('/api/v1/checks/checkout%20journey/runs');
    assert.equal(runs.status, 200);
    assert.equal(runs.json.runs[0]?.steps.length, 2);
    assert.equal((await api('/api/v1/checks/nope/runs')).status, 404);
    assert.ok(requests.every((r) => r.headers['x-vigil-synthetic'] === '1'));
  });

  it('a confirmed failure opens an incident on the service, naming the check, linking the trace', async () => {
    paymentsDown = true;
    const failing = await waitFor(
      async () => (await api<{ checks: CheckView[] }>('/api/v1/checks')).json.checks.find((c) => c.name === 'checkout journey' && c.status === 'failing'),
      'the check to fail',
    );
    assert.equal(failing.lastRun?.error, 'pay: status: expected 200, got 502');
    const incident = await waitFor(
      async () =>
        (await api<{ incidents: Array<{ id: string; services: string[] }> }>('/api/v1/incidents')).json.incidents.find((i) => i.services.includes('payments')),
      'an incident',
    );
    const full = (
      await api<{ timeline: Array<{ text: string }>; severity: string; signals?: Array<{ evidence?: Record<string, unknown> }> }>(
        `/api/v1/incidents/${incident.id}`,
      )
    ).json;
    assert.ok(
      full.timeline.some((e) => e.text.includes('checkout journey')),
      JSON.stringify(full.timeline),
    );
    assert.ok(['high', 'critical'].includes(full.severity), `a broken critical journey is at least high: ${full.severity}`);
    // The run's own spans are in Vigil: the failing step is an error span in the trace it propagated.
    const traceId = failing.lastRun.traceId!;
    await vigil.sync();
    const trace = await api<{ spans: Array<{ name: string; service: string; status?: string; statusCode?: string; attributes: Record<string, string> }> }>(
      `/api/v1/traces/${traceId}`,
    );
    assert.equal(trace.status, 200);
    assert.ok(trace.json.spans.some((s) => s.name === 'check checkout journey' && s.attributes.synthetic === 'true'));
    assert.ok(
      requests.some((r) => String(r.headers.traceparent).includes(traceId)),
      'the shop saw the same trace id',
    );
    paymentsDown = false;
  });

  it('a deployment runs the smoke checks of its service at once', async () => {
    const before = requests.filter((r) => r.url === '/smoke').length;
    assert.equal((await api('/api/v1/deployments', { method: 'POST', body: { service: 'payments', version: '2.0.0' } })).status, 201);
    await waitFor(() => Promise.resolve(requests.filter((r) => r.url === '/smoke').length > before), 'the smoke run', 5_000);
  });

  it('takes heartbeat pings from any valid key', async () => {
    const ingest = (await api<{ key: string }>('/api/v1/keys', { method: 'POST', body: { name: 'cron', scopes: ['ingest'] } })).json.key;
    assert.equal((await api('/api/v1/checks/nightly%20export/ping', { method: 'POST', key: ingest })).status, 200);
    assert.equal((await api('/api/v1/checks/checkout%20journey/ping', { method: 'POST' })).status, 404, 'only heartbeat checks take pings');
  });

  it('reloads on change, and an invalid edit keeps the checks that run', async () => {
    writeFileSync(join(checksDir, 'more.yaml'), `checks:\n  - { name: search, kind: http, url: "${base}/search", every: 1s }\n`);
    await waitFor(async () => (await api<{ checks: CheckView[] }>('/api/v1/checks')).json.checks.some((c) => c.name === 'search'), 'the new check');
    writeFileSync(join(checksDir, 'more.yaml'), 'checks:\n  - { name: search, kind: http, url: 12 }\n');
    await new Promise((r) => setTimeout(r, 1500));
    const names = (await api<{ checks: CheckView[] }>('/api/v1/checks')).json.checks.map((c) => c.name);
    assert.ok(names.includes('search') && names.includes('checkout journey'), names.join(', '));
  });
});
