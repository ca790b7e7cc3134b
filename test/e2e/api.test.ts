// Black-box: a real `vigil start` process; data in over OTLP/HTTP JSON, read back through the API;
// the API's auth, validation and error paths; restart and kill -9 keep acknowledged data.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hexId, logRequest, traceRequest } from '../support/otlp-json.js';
import { startVigilProcess, TEST_KEY, type VigilProcess } from '../support/vigil-process.js';

const now = Date.now();

describe('vigil start (black box)', () => {
  let v: VigilProcess;
  before(async () => {
    v = await startVigilProcess();
  });
  after(async () => {
    await v.stop();
    v.cleanup();
  });

  it('answers health with the wall clock, a watermark and memory, without a key', async () => {
    const h = await v.request<{
      status: string;
      clock: string;
      watermark: string;
      ingestQueue: { insertFailures: number };
      memory: {
        rssBytes: number;
        heapUsedBytes: number;
        engineTrackedBytes: number | null;
        engineAllocator: { allocatedBytes: number; residentBytes: number } | null;
      };
    }>('/api/v1/health', { key: null });
    assert.equal(h.status, 200);
    assert.equal(h.json.status, 'ok');
    assert.equal(h.json.clock, 'wall');
    assert.ok(Math.abs(Date.parse(h.json.watermark) - Date.now()) < 60_000);
    assert.equal(h.json.ingestQueue.insertFailures, 0, 'inserts go through');
    const m = h.json.memory;
    assert.ok(m.rssBytes > m.heapUsedBytes && m.heapUsedBytes > 0, JSON.stringify(m));
    // The embedded engine's own accounting: more than nothing, less than the whole process.
    assert.ok(m.engineTrackedBytes !== null && m.engineTrackedBytes > 0 && m.engineTrackedBytes < m.rssBytes, JSON.stringify(m));
    // Its allocator's pages, which the accounting leaves out (freed pages kept for reuse).
    assert.ok(
      m.engineAllocator && m.engineAllocator.residentBytes >= m.engineAllocator.allocatedBytes && m.engineAllocator.residentBytes < m.rssBytes,
      JSON.stringify(m),
    );
  });

  it('refuses the API and OTLP without a valid key', async () => {
    assert.equal((await v.request('/api/v1/services', { key: null })).status, 401);
    assert.equal((await v.request('/api/v1/services', { key: 'wrong-key-0123456789' })).status, 401);
    assert.equal((await v.request(`${v.otlp}/v1/traces`, { method: 'POST', body: { resourceSpans: [] }, key: null })).status, 401);
  });

  it('serves a trace sent over OTLP/JSON with every span field', async () => {
    const traceId = hexId(16);
    const rootId = hexId(8);
    const res = await v.request(`${v.otlp}/v1/traces`, {
      method: 'POST',
      body: traceRequest('checkout', '2.0.1', [
        {
          traceId,
          spanId: rootId,
          name: 'POST /pay',
          kind: 2,
          startMs: now,
          durationMs: 40,
          attributes: { 'http.request.method': 'POST', 'http.route': '/pay', 'http.response.status_code': 502, 'enduser.id': 'u-42' },
          error: true,
        },
        {
          traceId,
          parentSpanId: rootId,
          name: 'SELECT',
          kind: 3,
          startMs: now + 1,
          durationMs: 30,
          attributes: { 'db.system.name': 'postgresql', 'db.namespace': 'payments', 'server.address': 'pg.internal' },
        },
      ]),
    });
    assert.equal(res.status, 200, res.text);
    const t = await v.client.getTrace(traceId);
    assert.equal(t.spans.length, 2);
    const root = t.spans.find((s) => s.spanId === rootId)!;
    assert.equal(root.service, 'checkout');
    assert.equal(root.serviceVersion, '2.0.1');
    assert.equal(root.kind, 'server');
    assert.deepEqual(root.http, { method: 'POST', route: '/pay', statusCode: 502 });
    assert.equal(root.userId, 'u-42');
    assert.equal(root.status.code, 'error');
    assert.equal(root.startTime, new Date(now).toISOString());
    const child = t.spans.find((s) => s.spanId !== rootId)!;
    assert.equal(child.parentSpanId, rootId);
    assert.equal(child.peerService, 'payments');
    assert.deepEqual(child.db, { system: 'postgresql', namespace: 'payments', operation: '' });
    const spans = await v.request<{ spans: unknown[] }>(`/api/v1/spans?service=checkout&status=error&from=${now - 1000}&to=${now + 1000}`);
    assert.equal(spans.json.spans.length, 1);
    const services = await v.client.listServices();
    assert.equal(services.services.find((s) => s.service === 'checkout')?.errors, 1);
  });

  it('finds logs by text, severity and trace id', async () => {
    const traceId = hexId(16);
    const res = await v.request(`${v.otlp}/v1/logs`, {
      method: 'POST',
      body: logRequest('payment', [
        { timeMs: now, body: 'connection timeout acquiring connection from pool', severity: 17, traceId, spanId: hexId(8) },
        { timeMs: now + 1, body: 'payment accepted', severity: 9 },
      ]),
    });
    assert.equal(res.status, 200, res.text);
    const byTrace = await v.request<{ logs: Array<{ body: string; traceId: string }> }>(`/api/v1/logs?traceId=${traceId}`);
    assert.equal(byTrace.json.logs.length, 1);
    assert.equal(byTrace.json.logs[0]!.traceId, traceId);
    const byText = await v.request<{ logs: unknown[] }>(`/api/v1/logs?q=timeout%20pool&service=payment&severity=error&from=${now - 1000}&to=${now + 1000}`);
    assert.equal(byText.json.logs.length, 1);
  });

  it('records deployments and config changes and lists them together', async () => {
    await v.client.recordDeployment({ service: 'payment', version: '2.3.0', commit: 'abc123', time: new Date(now).toISOString() });
    const c = await v.request('/api/v1/changes', {
      method: 'POST',
      body: { service: 'payment', kind: 'config', description: 'pool size 20 -> 10', time: now + 1 },
    });
    assert.equal(c.status, 201, c.text);
    const list = await v.request<{ changes: Array<{ kind: string; service: string }> }>('/api/v1/changes?service=payment');
    assert.deepEqual(list.json.changes.map((x) => x.kind).sort(), ['config', 'deploy']);
    const deps = await v.client.listDeployments({ service: 'payment' });
    assert.equal(deps.deployments[0]!.version, '2.3.0');
  });

  it('answers bad input with 400 and a reason', async () => {
    const cases: Array<[string, { method?: string; body?: unknown }]> = [
      ['/api/v1/deployments', { method: 'POST', body: { service: 'x' } }],
      ['/api/v1/changes', { method: 'POST', body: { service: 'x', kind: 'weather', description: 'd' } }],
      ['/api/v1/logs?from=yesterday', {}],
      ['/api/v1/traces/not-hex', {}],
      ['/api/v1/metrics', {}],
      ['/api/v1/incidents?status=maybe', {}],
      ['/api/v1/spans?limit=0', {}],
    ];
    for (const [path, init] of cases) {
      const r = await v.request<{ error: { code: string; message: string } }>(path, init);
      assert.equal(r.status, 400, `${path}: ${r.text}`);
      assert.equal(r.json.error.code, 'VIGIL_BAD_REQUEST');
      assert.ok(r.json.error.message.length > 10, r.json.error.message);
    }
    const malformed = await fetch(`${v.otlp}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_KEY}` },
      body: '{"resourceSpans": [',
    });
    assert.equal(malformed.status, 400);
  });

  it('issues scoped keys: an ingest-only key cannot read', async () => {
    const k = await v.request<{ key: string }>('/api/v1/keys', { method: 'POST', body: { name: 'collector', scopes: ['ingest'] } });
    assert.equal(k.status, 201);
    assert.equal((await v.request('/api/v1/services', { key: k.json.key })).status, 403);
    assert.equal((await v.request(`${v.otlp}/v1/traces`, { method: 'POST', body: traceRequest('s', '1', [{ startMs: now }]), key: k.json.key })).status, 200);
  });

  it('lists incidents (an empty array when there are none) and 404s an unknown one', async () => {
    const r = await v.client.listIncidents({ status: 'all' });
    assert.ok(Array.isArray(r.incidents));
    assert.equal((await v.request('/api/v1/incidents/999999')).status, 404);
    assert.equal((await v.request('/api/v1/incidents/999999/ack', { method: 'POST', body: {} })).status, 404);
  });
});

describe('durability', () => {
  it('keeps data written before a restart', async () => {
    const v1 = await startVigilProcess();
    const traceId = hexId(16);
    assert.equal(
      (await v1.request(`${v1.otlp}/v1/traces`, { method: 'POST', body: traceRequest('restart-svc', '1', [{ traceId, startMs: now }]) })).status,
      200,
    );
    await v1.stop();
    const v2 = await startVigilProcess({ dataDir: v1.dataDir });
    try {
      assert.equal((await v2.client.getTrace(traceId)).spans.length, 1);
    } finally {
      await v2.stop();
      v2.cleanup();
    }
  });

  it('loses no acknowledged batch when killed with SIGKILL mid-stream', async () => {
    const v1 = await startVigilProcess();
    const acked: string[] = [];
    let stop = false;
    const senders = Array.from({ length: 4 }, async () => {
      while (!stop) {
        const traceId = hexId(16);
        const r = await v1
          .request(`${v1.otlp}/v1/traces`, {
            method: 'POST',
            body: traceRequest(
              'kill-svc',
              '1',
              Array.from({ length: 50 }, (_v, i) => ({ traceId, startMs: now + i })),
            ),
          })
          .catch(() => undefined);
        if (r?.status === 200) acked.push(traceId);
        else break;
      }
    });
    // Kill while requests are in flight, once enough batches were acknowledged to mean something.
    await v1.waitFor(() => Promise.resolve(acked.length >= 12), 60_000, '12 acknowledged batches');
    await v1.kill9();
    stop = true;
    await Promise.all(senders);
    assert.ok(acked.length > 5, `only ${acked.length} batches were acknowledged before the kill`);
    const v2 = await startVigilProcess({ dataDir: v1.dataDir });
    try {
      for (const traceId of acked) {
        const t = await v2.request<{ spans: unknown[] }>(`/api/v1/traces/${traceId}`);
        assert.equal(t.json?.spans?.length, 50, `acknowledged trace ${traceId} lost or partial after kill -9`);
      }
    } finally {
      await v2.stop();
      v2.cleanup();
    }
  });
});
