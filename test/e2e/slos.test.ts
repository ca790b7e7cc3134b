// Black-box (in process): SLOs from vigil.yaml and the API. API-created SLOs are validated, listed
// with attainment, budget and burn rates, survive a restart; a 150x burn opens an incident whose
// timeline names the SLO, in event time; an SLO from a metric's good/total ratio counts OTLP points.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { blankMetric } from '../../src/model/testing/records.js';
import type { RunningVigil } from '../../src/server.js';
import { apiOf, startEventVigil } from '../support/in-process-vigil.js';
import { minuteOfTraffic } from '../../src/slo/testing.js';

interface SloJson {
  name: string;
  source: string;
  version: number;
  attainment: number | null;
  errorBudgetRemaining: number;
  burnRates: Record<string, number>;
  status: string;
  forecast: string;
}

describe('SLOs in a running Vigil', () => {
  let dir: string;
  let vigil: RunningVigil;
  const start = (): Promise<RunningVigil> => startEventVigil(dir);
  const api = apiOf(() => vigil);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-slo-'));
    writeFileSync(
      join(dir, 'vigil.yaml'),
      'slos:\n  - name: checkout availability\n    service: checkout\n    objective: availability\n    target: 0.999\n    window: 30d\n',
    );
    vigil = await start();
  });
  after(async () => {
    await vigil.stop();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('creates, validates and lists SLOs, and keeps API-created ones across a restart', async () => {
    const created = await api<SloJson>('/api/v1/slos', {
      method: 'POST',
      body: { name: 'pay latency', service: 'checkout', route: 'POST /pay', objective: 'latency', target: 0.99, thresholdMs: 300, window: '28d' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    assert.equal(created.json.source, 'api');
    assert.equal(created.json.version, 1);
    assert.equal(
      (await api('/api/v1/slos', { method: 'POST', body: { name: 'pay latency', service: 'checkout', objective: 'availability', target: 0.99 } })).status,
      409,
    );
    assert.equal(
      (await api('/api/v1/slos', { method: 'POST', body: { name: 'checkout availability', service: 'x', objective: 'availability', target: 0.99 } })).status,
      409,
      'vigil.yaml names are taken',
    );
    const bad = await api<{ error: { code: string; message: string } }>('/api/v1/slos', {
      method: 'POST',
      body: { name: 'slow', service: 'checkout', objective: 'latency', target: 99.9 },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, 'VIGIL_BAD_REQUEST');
    assert.match(bad.json.error.message, /target/);
    assert.match(bad.json.error.message, /thresholdMs/);
    const replaced = await api<SloJson>('/api/v1/slos/pay%20latency', {
      method: 'PUT',
      body: { service: 'checkout', route: 'POST /pay', objective: 'latency', target: 0.995, thresholdMs: 250 },
    });
    assert.equal(replaced.json.version, 2);
    const listed = (await api<{ slos: SloJson[] }>('/api/v1/slos')).json.slos;
    assert.deepEqual(
      listed.map((s) => [s.name, s.source, s.status, s.attainment, s.errorBudgetRemaining]),
      [
        ['checkout availability', 'config', 'ok', null, 1],
        ['pay latency', 'api', 'ok', null, 1],
      ],
    );
    assert.deepEqual(Object.keys(listed[0]!.burnRates), ['5m', '30m', '1h', '6h', '3d']);

    // Created at once: all acknowledged, all stored.
    const burst = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api('/api/v1/slos', { method: 'POST', body: { name: `burst ${i}`, service: 'cart', objective: 'availability', target: 0.99 } }),
      ),
    );
    assert.deepEqual(
      burst.map((r) => r.status),
      Array(8).fill(201),
    );

    await vigil.stop();
    vigil = await start();
    const again = (await api<{ slos: SloJson[] }>('/api/v1/slos')).json.slos;
    assert.deepEqual(
      again.slice(0, 2).map((s) => [s.name, s.version]),
      [
        ['checkout availability', 1],
        ['pay latency', 2],
      ],
    );
    assert.deepEqual(
      again
        .slice(2)
        .map((s) => s.name)
        .sort(),
      Array.from({ length: 8 }, (_, i) => `burst ${i}`),
    );
    const deleted = await Promise.all(Array.from({ length: 8 }, (_, i) => api(`/api/v1/slos/burst%20${i}`, { method: 'DELETE' })));
    assert.deepEqual(
      deleted.map((r) => r.status),
      Array(8).fill(204),
    );
    assert.deepEqual(
      (await api<{ slos: SloJson[] }>('/api/v1/slos')).json.slos.map((s) => s.name),
      ['checkout availability', 'pay latency'],
    );
    assert.equal((await api('/api/v1/slos/checkout%20availability', { method: 'DELETE' })).status, 409, 'vigil.yaml SLOs are changed in the file');
  });

  it('a 150x burn in event time opens an incident whose timeline names the SLO', async () => {
    const t0 = Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000;
    for (let m = 0; m < 75; m++) {
      const spans = minuteOfTraffic({ service: 'checkout', route: 'POST /pay', requests: 100, errorRatio: m >= 60 ? 0.15 : 0 }, t0 + m * 60_000);
      await vigil.ingest({ spans, logs: [], metrics: [] });
    }
    await vigil.pipeline.flushTo(t0 + 75 * 60_000);
    const slo = (await api<SloJson>('/api/v1/slos/checkout%20availability')).json;
    assert.equal(slo.status, 'breaching');
    assert.ok(slo.burnRates['5m']! > 100, JSON.stringify(slo.burnRates));
    const incidents = (await api<{ incidents: Array<{ id: string }> }>('/api/v1/incidents')).json.incidents;
    const timelines = await Promise.all(
      incidents.map(async (i) => (await api<{ timeline: Array<{ text: string }> }>(`/api/v1/incidents/${i.id}`)).json.timeline),
    );
    const named = timelines.flat().filter((e) => e.text.includes('SLO "checkout availability" burning its error budget'));
    assert.equal(named.length, 1, JSON.stringify(timelines));
    // With 75 minutes of history the 6 h window is young, so the 6x rule may page first: either is a page.
    const from = new Date(t0).toISOString();
    const coverage = (
      await api<{ services: Array<{ service: string; slo: string }> }>(`/api/v1/coverage?from=${from}&to=${new Date(t0 + 75 * 60_000).toISOString()}`)
    ).json;
    assert.equal(coverage.services.find((c) => c.service === 'checkout')?.slo, 'yes', 'the coverage report counts the configured SLOs');
    assert.match(named[0]!.text, /x \((1|6) h\) and [\d.]+x \((5|30) m\): (budget gone in|the budget is spent)/);
  });

  it("an SLO from a metric's good/total ratio, made through the API, counts the metric points ingested", async () => {
    const body = {
      name: 'jobs',
      service: 'worker',
      objective: 'availability',
      target: 0.99,
      metric: { total: { name: 'jobs.processed' }, bad: { name: 'jobs.processed', where: { outcome: { regex: 'failed|timeout' } } } },
    };
    const created = await api<SloJson & { metric: unknown; route?: string }>('/api/v1/slos', { method: 'POST', body });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    assert.deepEqual(created.json.metric, body.metric);
    const bad = await api<{ error: { message: string } }>('/api/v1/slos', {
      method: 'POST',
      body: { ...body, name: 'jobs 2', metric: { total: body.metric.total } },
    });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error.message, /metric\.good: an availability SLO from a metric needs metric\.good or metric\.bad/);

    const t0 = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
    const count = (outcome: string, value: number, timeMs: number) =>
      blankMetric({ name: 'jobs.processed', type: 'sum', temporality: 'delta', isMonotonic: true, service: 'worker', timeMs, attributes: { outcome }, value });
    for (let m = 0; m < 10; m++) {
      const at = t0 + m * 60_000 + 30_000;
      await vigil.ingest({ spans: [], logs: [], metrics: [count('ok', 197, at), count('failed', 2, at), count('timeout', 1, at)] });
    }
    await vigil.pipeline.flushTo(t0 + 10 * 60_000);
    const slo = (await api<SloJson & { requests: { good: number; total: number } }>('/api/v1/slos/jobs')).json;
    assert.deepEqual(slo.requests, { good: 1_970, total: 2_000 });
    assert.equal(slo.attainment, 0.985);
    assert.equal(slo.status, 'breaching', '1.5% failed against a 1% budget');
    assert.equal((await api('/api/v1/slos/jobs', { method: 'DELETE' })).status, 204);
  });
});
