// Black-box: Vigil watching itself. /metrics (any valid key) counts ingest by outcome, the WAL,
// detection lag, incidents and API latency per route, and its counters grow with traffic;
// /api/v1/metric-names lists what was sent; health says ok with no reasons when all is well, and
// degraded with the reason while the store does not answer.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/index.js';
import { startVigil, type RunningVigil } from '../../src/server.js';
import { hexId, traceRequest } from '../support/otlp-json.js';
import { TEST_KEY } from '../support/vigil-process.js';

/** The value of one sample line of a Prometheus exposition, or 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

describe('self-metrics and health (black box, in process)', () => {
  let dir: string;
  let vigil: RunningVigil;
  let ingestKey: string;
  const api = (path: string, init: { method?: string; body?: unknown; key?: string | null } = {}): Promise<Response> =>
    fetch(`${vigil.apiUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.key === null ? {} : { authorization: `Bearer ${init.key ?? TEST_KEY}` }),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
  const sendTrace = (key: string | null): Promise<Response> =>
    fetch(`${vigil.otlpHttpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(
        traceRequest('checkout', '1.0.0', [
          { traceId: hexId(16), spanId: hexId(8), name: 'GET /cart', kind: 2, startMs: Date.now(), durationMs: 12, attributes: { 'http.route': '/cart' } },
        ]),
      ),
    });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-selfmetrics-'));
    vigil = await startVigil(resolveConfig({ data: dir, port: 0, otlpPort: 0, otlpGrpcPort: 0, logLevel: 'silent' }, { VIGIL_API_KEY: TEST_KEY }));
    const created = (await (await api('/api/v1/keys', { method: 'POST', body: { name: 'scraper', scopes: ['ingest'] } })).json()) as { key: string };
    ingestKey = created.key;
  });
  after(async () => {
    await vigil.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('serves Prometheus text to any valid key, and nothing without one', async () => {
    assert.equal((await api('/metrics', { key: null })).status, 401);
    const r = await api('/metrics', { key: ingestKey });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /text\/plain/);
    const text = await r.text();
    for (const name of [
      'vigil_wal_queued_rows',
      'vigil_detection_lag_seconds',
      'vigil_incidents_open',
      'vigil_process_resident_memory_bytes',
      'vigil_nodejs_eventloop_lag_seconds',
    ])
      assert.match(text, new RegExp(`^${name} `, 'm'), name);
  });

  it('counts ingest by outcome and API latency by route, growing with traffic', async () => {
    const before = await (await api('/metrics')).text();
    for (let i = 0; i < 3; i++) assert.equal((await sendTrace(TEST_KEY)).status, 200);
    assert.equal((await sendTrace(null)).status, 401);
    await api('/api/v1/services');
    const after = await (await api('/metrics')).text();
    assert.equal(
      sample(after, 'vigil_ingest_rows_total', { signal: 'traces', outcome: 'accepted' }) -
        sample(before, 'vigil_ingest_rows_total', { signal: 'traces', outcome: 'accepted' }),
      3,
    );
    assert.equal(sample(after, 'vigil_ingest_requests_total', { signal: 'traces', transport: 'http', status: '200' }), 3);
    assert.equal(sample(after, 'vigil_ingest_requests_total', { signal: 'traces', transport: 'http', status: '401' }), 1);
    assert.ok(sample(after, 'vigil_ingest_request_bytes_total', { signal: 'traces' }) > 300);
    assert.ok(sample(after, 'vigil_api_request_duration_seconds_count', { route: '/api/v1/services', status: '200' }) >= 1);
    await vigil.sync();
    assert.ok(sample(await (await api('/metrics')).text(), 'vigil_store_rows_written') >= 3);
  });

  it('lists the metric names that were sent, with their services', async () => {
    const now = Date.now() * 1e6;
    const body = {
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'orders' } }] },
          scopeMetrics: [
            { metrics: [{ name: 'db.client.connection.count', unit: '{connection}', gauge: { dataPoints: [{ timeUnixNano: String(now), asInt: '7' }] } }] },
          ],
        },
      ],
    };
    const sent = await fetch(`${vigil.otlpHttpUrl}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_KEY}` },
      body: JSON.stringify(body),
    });
    assert.equal(sent.status, 200);
    const r = await api('/api/v1/metric-names?service=orders');
    assert.equal(r.status, 200);
    const { metrics } = (await r.json()) as { metrics: Array<{ name: string; type: string; services: string[]; points: number }> };
    const m = metrics.find((x) => x.name === 'db.client.connection.count');
    assert.ok(m, JSON.stringify(metrics));
    assert.deepEqual(m.services, ['orders']);
    assert.equal(m.points, 1);
    assert.equal(((await (await api('/api/v1/metric-names?service=nobody')).json()) as { metrics: unknown[] }).metrics.length, 0);
  });

  it('health is ok with no reasons, then degraded with the reason while the store hangs', async () => {
    const ok = (await (await api('/api/v1/health', { key: null })).json()) as { status: string; reasons?: string[] };
    assert.equal(ok.status, 'ok');
    assert.equal(ok.reasons, undefined);
    // A store that hangs: every query waits forever (as a server behind a dead network would).
    const ch = vigil.store.ch as { query: (...args: unknown[]) => Promise<unknown> };
    const query = ch.query;
    ch.query = () => new Promise(() => undefined);
    try {
      const r = await api('/api/v1/health', { key: null });
      assert.equal(r.status, 200, 'still answers: degraded is not down');
      const degraded = (await r.json()) as { status: string; reasons: string[] };
      assert.equal(degraded.status, 'degraded');
      assert.match(degraded.reasons.join('; '), /store is not answering/);
    } finally {
      ch.query = query;
    }
    assert.equal(((await (await api('/api/v1/health', { key: null })).json()) as { status: string }).status, 'ok', 'and ok again once it answers');
  });
});
