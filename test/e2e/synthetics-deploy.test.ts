// Black-box (a real `vigil start --checks DIR` child process): a deployment of payments runs its
// smoke journey at once; the new version breaks payment, the journey fails, is retried within
// seconds and confirmed; the incident it opens on payments is at least high, its timeline names the
// check and links the run's trace, and that trace holds the check's spans and the backend spans
// the journey's requests caused (the instrumented backend exported them over OTLP as children of
// the steps' spans). The smoke run is on the deployment's record and coverage counts the check. A
// check that fails once (a blip) is retried and opens nothing. Runs are read in a from/to window.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { traceRequest } from '../support/otlp-json.js';
import { startVigilProcess, type VigilProcess } from '../support/vigil-process.js';

interface CheckView {
  name: string;
  status: string;
  lastRun?: { at: string; ok: boolean; traceId?: string };
}
interface SpanView {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  service: string;
  serviceVersion: string;
  status: { code: string };
  attributes: Record<string, string>;
}
interface TimelineView {
  kind: string;
  text: string;
  data?: { traceId?: string };
}

describe('a deploy runs the smoke journey; its failure is one incident linked to the backend trace', () => {
  let vigil: VigilProcess;
  let backend: Server;
  let checksDir: string;
  let base = '';
  let version = '1.0.0';
  let homeRequests = 0;
  const payRequests: number[] = [];

  /** The instrumented backend: each request's server span goes to Vigil as a child of the caller's span. */
  const exportSpan = async (req: IncomingMessage, route: string, status: number, startMs: number): Promise<void> => {
    const [, traceId, parentSpanId] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-/.exec(String(req.headers.traceparent)) ?? [];
    if (!traceId) return;
    const body = traceRequest(
      'payments',
      version,
      [
        {
          traceId,
          parentSpanId,
          name: `${req.method} ${route}`,
          startMs,
          durationMs: Math.max(1, Date.now() - startMs),
          error: status >= 500,
          attributes: { 'http.route': route, 'http.request.method': req.method ?? 'GET', 'http.response.status_code': status },
        },
      ],
      { 'service.instance.id': 'payments-1' },
    );
    await vigil.request(`${vigil.otlp}/v1/traces`, { method: 'POST', body });
  };

  before(async () => {
    backend = createServer((req, res) => {
      const startMs = Date.now();
      req.resume();
      req.on('end', () => {
        const route = (req.url ?? '/').split('?')[0]!;
        let status = 200;
        let answer: unknown = { ok: true };
        if (route === '/home') status = ++homeRequests === 1 ? 503 : 200;
        else if (route === '/login') answer = { session: { token: 'tok-bot' } };
        else if (route === '/pay') {
          if (req.headers['x-vigil-synthetic'] === '1') payRequests.push(Date.now());
          const broken = version !== '1.0.0';
          status = req.headers.authorization !== 'Bearer tok-bot' ? 401 : broken ? 502 : 200;
          answer = status === 200 ? { paid: true } : { error: broken ? 'card processor unreachable' : 'no session' };
        }
        void (route === '/home' ? Promise.resolve() : exportSpan(req, route, status, startMs)).finally(() => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(answer));
        });
      });
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    checksDir = mkdtempSync(join(tmpdir(), 'vigil-smoke-checks-'));
    writeFileSync(
      join(checksDir, 'payments.yaml'),
      `checks:
  - name: checkout journey
    kind: journey
    service: payments
    critical: true
    smoke: true
    every: 1h          # only the deploy runs it during the test (its first run falls anywhere in the hour)
    timeout: 3s
    steps:
      - { name: log in, method: POST, url: "${base}/login", body: { user: bot }, extract: { token: "$.session.token" } }
      - { name: pay, method: POST, url: "${base}/pay", auth: { bearer: "{{token}}" }, body: { amount: 10 }, assert: { status: 200, json: { "$.paid": true } } }
  - name: storefront home
    kind: http
    service: storefront
    every: 2s
    timeout: 2s
    url: "${base}/home"
`,
    );
    vigil = await startVigilProcess({ extraArgs: ['--checks', checksDir] });
  });
  after(async () => {
    await vigil?.stop();
    vigil?.cleanup();
    backend.close();
    rmSync(checksDir, { recursive: true, force: true });
  });

  const checks = async (): Promise<CheckView[]> => (await vigil.request<{ checks: CheckView[] }>('/api/v1/checks')).json.checks;

  it('a blip is retried and opens nothing; runs are read in a from/to window', async () => {
    const runs = await vigil.waitFor(
      async () => {
        const r = await vigil.request<{ runs: Array<{ at: string; ok: boolean }> }>('/api/v1/checks/storefront%20home/runs');
        return r.json.runs.length >= 3 ? r.json.runs : undefined;
      },
      20_000,
      'three runs of the storefront check',
    );
    // Newest first: the first run failed (503), its retry and the runs after it passed.
    assert.deepEqual(runs.map((r) => r.ok).reverse(), [false, ...runs.slice(1).map(() => true)]);
    assert.equal((await checks()).find((c) => c.name === 'storefront home')?.status, 'passing');
    const incidents = (await vigil.request<{ incidents: Array<{ services: string[] }> }>('/api/v1/incidents?status=all')).json.incidents;
    assert.ok(!incidents.some((i) => i.services.includes('storefront')), 'one failed run is not an incident');
    const oldest = runs.at(-1)!.at;
    const window = await vigil.request<{ runs: unknown[] }>(
      `/api/v1/checks/storefront%20home/runs?from=${encodeURIComponent(oldest)}&to=${Date.parse(oldest) + 1}`,
    );
    assert.equal(window.status, 200);
    assert.equal(window.json.runs.length, 1, 'from ISO to epoch ms: the oldest run alone');
  });

  it('deploy → smoke journey → confirmed failure → incident naming the check, linking the backend trace; the run is on the deployment', async () => {
    version = '2.0.0';
    const deployedAt = Date.now();
    const deploy = await vigil.request<{ id: string }>('/api/v1/deployments', { method: 'POST', body: { service: 'payments', version } });
    assert.equal(deploy.status, 201, JSON.stringify(deploy.json));
    await vigil.waitFor(() => Promise.resolve(payRequests.some((t) => t >= deployedAt)), 5_000, 'the smoke journey to run after the deploy');
    assert.ok(payRequests.filter((t) => t >= deployedAt)[0]! - deployedAt < 5_000, 'run at once, not at its hourly plan');

    const failing = await vigil.waitFor(
      async () => (await checks()).find((c) => c.name === 'checkout journey' && c.status === 'failing'),
      20_000,
      'the journey to be confirmed failing',
    );
    assert.ok(payRequests.filter((t) => t >= deployedAt).length >= 2, 'a failure is retried before it counts');
    const incident = await vigil.waitFor(
      async () =>
        (await vigil.request<{ incidents: Array<{ id: string; services: string[] }> }>('/api/v1/incidents')).json.incidents.find((i) =>
          i.services.includes('payments'),
        ),
      20_000,
      'an incident on payments',
    );
    const full = (await vigil.request<{ severity: string; timeline: TimelineView[] }>(`/api/v1/incidents/${incident.id}`)).json;
    assert.ok(['high', 'critical'].includes(full.severity), `a broken critical journey is at least high: ${full.severity}`);
    const entry = full.timeline.find((e) => e.kind === 'signal' && e.text.includes('checkout journey'));
    assert.ok(entry, JSON.stringify(full.timeline));
    assert.match(entry.text, /pay: status: expected 200, got 502/);
    const traceId = entry.data?.traceId ?? '';
    assert.match(traceId, /^[0-9a-f]{32}$/, 'the timeline links the trace');
    assert.equal(failing.lastRun?.traceId, traceId, 'the confirming run');

    // The linked trace: the check's root and step spans, and under the pay step the backend's own span.
    const spans = await vigil.waitFor(
      async () => {
        const t = await vigil.request<{ spans: SpanView[] }>(`/api/v1/traces/${traceId}`);
        return t.status === 200 && t.json.spans.some((s) => s.service === 'payments' && s.name === 'POST /pay') ? t.json.spans : undefined;
      },
      20_000,
      'the backend span in the linked trace',
    );
    const root = spans.find((s) => s.name === 'check checkout journey')!;
    assert.equal(root.attributes.synthetic, 'true');
    const payStep = spans.find((s) => s.name === 'pay' && s.service === 'vigil-synthetics')!;
    assert.equal(payStep.parentSpanId, root.spanId);
    const backendPay = spans.find((s) => s.service === 'payments' && s.name === 'POST /pay')!;
    assert.equal(backendPay.parentSpanId, payStep.spanId, 'the backend span hangs under the step that called it');
    assert.equal(backendPay.serviceVersion, '2.0.0');
    assert.equal(backendPay.status.code, 'error');

    const record = await vigil.waitFor(
      async () => {
        const d = await vigil.request<{ smoke?: Array<{ check: string; runs: Array<{ ok: boolean; traceId?: string }> }> }>(
          `/api/v1/deployments/${deploy.json.id}`,
        );
        return d.json.smoke?.[0]?.runs.some((r) => r.traceId === traceId) ? d.json.smoke : undefined;
      },
      20_000,
      'the smoke runs on the deployment',
    );
    assert.equal(record[0]!.check, 'checkout journey');
    assert.ok(record[0]!.runs.every((r) => !r.ok));

    // Coverage counts the checks configured in the directory, not a setting.
    const coverage = await vigil.request<{ services: Array<{ service: string; synthetic: string }> }>('/api/v1/coverage');
    assert.equal(coverage.json.services.find((s) => s.service === 'payments')?.synthetic, 'yes', JSON.stringify(coverage.json.services));
  });
});
