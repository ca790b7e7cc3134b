// Black-box (in process, event clock): release validation. A canary v2 of checkout that fails half
// its requests is inferred from telemetry, judged side by side with v1 and failed within minutes;
// the deployments API shows the contract's verdict shape and a report; the automatic rollback
// webhook is called for exactly one run (retried once after a 500) and its result and verification
// land on the incident's timeline; the canary judge answers the contract's, Argo Rollouts' and
// Flagger's shapes; remediation runs on approval.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Span } from '../../src/model/index.js';
import type { RunningVigil } from '../../src/server.js';
import { apiOf, startEventVigil, waitUntil } from '../support/in-process-vigil.js';
import { makeSpan } from '../support/records.js';
import { TEST_KEY } from '../support/vigil-process.js';

const t0 = Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000;

interface Received {
  body: Record<string, unknown>;
  idempotencyKey: string;
}

/** One minute of a service's requests: `perBucket` per 10 s per version, v2 failing and slow when `broken`. */
function minute(service: string, startMs: number, versions: Array<{ version: string; perBucket: number; broken: boolean }>): Span[] {
  const spans: Span[] = [];
  for (let b = 0; b < 6; b++) {
    for (const v of versions) {
      for (let i = 0; i < v.perBucket; i++) {
        const failed = v.broken && i % 2 === 0;
        spans.push(
          makeSpan({
            service,
            serviceVersion: v.version,
            name: 'POST /pay',
            httpRoute: '/pay',
            httpMethod: 'POST',
            startTimeMs: startMs + b * 10_000 + i * 900,
            durationMs: (v.broken ? 90 : 30) + (i % 5) * 3,
            statusCode: failed ? 'error' : 'unset',
            httpStatusCode: failed ? 500 : 200,
            resourceAttributes: { 'service.name': service },
          }),
        );
      }
    }
  }
  return spans;
}

describe('release validation in a running Vigil', () => {
  let dir: string;
  let vigil: RunningVigil;
  let receiver: Server;
  const received: Received[] = [];
  let failNext = 1;

  const api = apiOf(() => vigil);
  const feed = async (
    service: string,
    fromMin: number,
    toMin: number,
    versions: Array<{ version: string; perBucket: number; broken: boolean }>,
  ): Promise<void> => {
    for (let m = fromMin; m < toMin; m++) await vigil.ingest({ spans: minute(service, t0 + m * 60_000, versions), logs: [], metrics: [] });
  };

  before(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ body: JSON.parse(body) as Record<string, unknown>, idempotencyKey: String(req.headers['idempotency-key']) });
        res.statusCode = failNext-- > 0 ? 500 : 200;
        res.end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as { port: number }).port;
    dir = mkdtempSync(join(tmpdir(), 'vigil-release-'));
    writeFileSync(
      join(dir, 'vigil.yaml'),
      [
        'release:',
        '  windowMs: 30m',
        '  remediation:',
        '    verifyAfterMs: 20s',
        '    retryBackoffMs: 50',
        '    actions:',
        `      - { name: rollback-checkout, service: checkout, kind: rollback, url: "http://127.0.0.1:${port}/rollback", auto: true, retries: 2 }`,
        `      - { name: restart-checkout, service: checkout, kind: restart, url: "http://127.0.0.1:${port}/restart" }`,
        '',
      ].join('\n'),
    );
    vigil = await startEventVigil(dir);
  });
  after(async () => {
    await vigil?.stop();
    await new Promise((r) => receiver.close(r));
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('fails a broken canary within minutes, rolls it back once (retried), and puts both on the timeline', async () => {
    await feed('checkout', 0, 20, [{ version: 'v1', perBucket: 4, broken: false }]);
    await feed('checkout', 20, 24, [
      { version: 'v1', perBucket: 4, broken: false },
      { version: 'v2', perBucket: 4, broken: true },
    ]);
    type Deployment = {
      id: string;
      service: string;
      version: string;
      previousVersion?: string;
      time: string;
      verdict: {
        status: string;
        decidedAt?: string;
        summary: string;
        evidence: Array<{ signal: string; route?: string; baseline: number; candidate: number; change: number; confidence: number }>;
      };
    };
    const list = (await api<{ deployments: Deployment[] }>('/api/v1/deployments?service=checkout')).json.deployments;
    assert.equal(list.length, 1, JSON.stringify(list));
    const d = list[0]!;
    assert.equal(d.version, 'v2');
    assert.equal(d.previousVersion, 'v1');
    assert.equal(d.verdict.status, 'fail', d.verdict.summary);
    const decidedAfterMs = Date.parse(d.verdict.decidedAt!) - Date.parse(d.time);
    assert.ok(decidedAfterMs > 0 && decidedAfterMs <= 3 * 60_000, `decided after ${decidedAfterMs} ms of event time`);
    const errors = d.verdict.evidence.find((e) => e.signal === 'error-rate');
    assert.ok(errors && errors.candidate > 0.3 && errors.confidence > 0.99, JSON.stringify(d.verdict.evidence));
    for (const e of d.verdict.evidence) for (const k of ['signal', 'baseline', 'candidate', 'change', 'confidence']) assert.ok(k in e, `evidence lacks ${k}`);
    // The production-confidence indicator of the service with this verdict rides on the deployment.
    const confidence = (d as unknown as { confidence?: { level: string; score: number } }).confidence;
    assert.ok(confidence && ['high', 'medium', 'low'].includes(confidence.level), JSON.stringify(confidence));
    assert.equal(confidence.level, 'low', 'a failed release is not safe to stop watching');

    const one = await api<Deployment & { report: string }>(`/api/v1/deployments/${d.id}`);
    assert.equal(one.json.verdict.status, 'fail');
    assert.match(one.json.report, /# Release report: checkout v2/);
    assert.match(one.json.report, /side by side/);
    assert.match(one.json.report, /\n- \*\*Production confidence:\*\* (high|medium|low) \(\d+\/100\): /, 'the release report states its production confidence');
    const html = await api(`/api/v1/deployments/${d.id}?format=html`);
    assert.match(html.type, /text\/html/);
    assert.match(html.text, /<h1>Release report: checkout v2<\/h1>/);
    assert.equal((await api(`/api/v1/deployments/${d.id}?format=pdf`)).status, 400);
    assert.equal((await api('/api/v1/deployments/nope')).status, 404);

    // The automatic rollback: one run, two attempts (500 then 200), same idempotency key.
    const incident = await waitUntil('the incident naming the deploy', async () => {
      const incidents = (await api<{ incidents: Array<{ id: string }> }>('/api/v1/incidents')).json.incidents;
      for (const i of incidents) {
        const detail = (await api<{ timeline: Array<{ text: string }> }>(`/api/v1/incidents/${i.id}`)).json;
        if (detail.timeline.some((e) => e.text.includes('Remediation "rollback-checkout"'))) return { id: i.id, timeline: detail.timeline };
      }
      return undefined;
    });
    assert.equal(received.length, 2, JSON.stringify(received));
    assert.equal(new Set(received.map((r) => r.idempotencyKey)).size, 1);
    assert.equal(received[0]!.body.kind, 'rollback');
    assert.equal(received[0]!.body.deploymentId, d.id);
    assert.match(incident.timeline.find((e) => e.text.includes('rollback-checkout'))!.text, /succeeded after 2 attempts: HTTP 200/);
    // The fail signal joined the incident and names the deploy: its summary and the incident's changes.
    const joined = (
      await api<{ signals: Array<{ id: string; summary: string }>; changes: Array<{ id: string; version: string | null }> }>(`/api/v1/incidents/${incident.id}`)
    ).json;
    const releaseSignal = joined.signals.find((s) => s.id.startsWith(`release:checkout:${d.id}@`));
    assert.ok(releaseSignal, JSON.stringify(joined.signals));
    assert.match(releaseSignal.summary, /^Deploy checkout v2 failed release validation: regression in /);
    assert.ok(
      joined.changes.some((c) => c.id === d.id && c.version === 'v2'),
      JSON.stringify(joined.changes),
    );

    // Rolled back: only v1 serves; the release signal recovers and the verification says so.
    await feed('checkout', 24, 28, [{ version: 'v1', perBucket: 4, broken: false }]);
    await waitUntil('the verification note', async () => {
      const timeline = (await api<{ timeline: Array<{ text: string }> }>(`/api/v1/incidents/${incident.id}`)).json.timeline;
      return timeline.find((e) => e.text.startsWith('Verification of "rollback-checkout"')) ? true : undefined;
    });
    const timeline = (await api<{ timeline: Array<{ text: string }> }>(`/api/v1/incidents/${incident.id}`)).json.timeline;
    assert.match(timeline.find((e) => e.text.startsWith('Verification'))!.text, /the signal recovered/);
    assert.equal(received.length, 2, 'no second automatic action for the same deploy');

    const audit = (
      await api<{ entries: Array<{ action: string; target: string; details: { outcome: string; attempts: number } }> }>('/api/v1/audit?limit=100')
    ).json.entries.filter((e) => e.action === 'remediation.run');
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.details.outcome, 'succeeded');
    assert.equal(audit[0]!.details.attempts, 2);

    // On approval: listed beside the incident, run as an incident action (audited).
    const suggested = (await api<{ actions: Array<{ name: string }>; runs: Array<{ trigger: string }> }>(`/api/v1/incidents/${incident.id}/remediations`)).json;
    assert.deepEqual(suggested.actions.map((a) => a.name).sort(), ['restart-checkout', 'rollback-checkout']);
    const run = await api<{ trigger: string; outcome: string; actor: string }>(`/api/v1/incidents/${incident.id}/remediations/restart-checkout/run`, {
      method: 'POST',
      body: {},
    });
    assert.equal(run.status, 200, run.text);
    assert.equal(run.json.trigger, 'approval');
    assert.equal(run.json.outcome, 'succeeded');
    assert.equal((await api(`/api/v1/incidents/${incident.id}/remediations/nope/run`, { method: 'POST', body: {} })).status, 404);
    const audited = (
      await api<{ entries: Array<{ action: string; keyId: string; details: { outcome?: string; attempts?: number } }> }>('/api/v1/audit?limit=100')
    ).json.entries.filter((e) => e.action === 'remediation.run');
    assert.equal(
      audited.filter((e) => e.keyId !== 'system' && e.details.outcome === 'succeeded').length,
      1,
      `the approval is audited under the approving key: ${JSON.stringify(audited)}`,
    );
  });

  it("records a deploy of a new service in the contract's shape: no previousVersion key when none is known, watching", async () => {
    const posted = await api<{ id: string }>('/api/v1/deployments', { method: 'POST', body: { service: 'fresh', version: '1.0.0', commit: 'abc123' } });
    assert.equal(posted.status, 201, posted.text);
    const [d] = (await api<{ deployments: Array<Record<string, unknown> & { verdict: Record<string, unknown> }> }>('/api/v1/deployments?service=fresh')).json
      .deployments;
    assert.ok(d, 'the recorded deploy is listed');
    assert.equal(d.id, posted.json.id);
    assert.equal(d.version, '1.0.0');
    assert.ok(!('previousVersion' in d), `previousVersion? is absent, not null: ${JSON.stringify(d)}`);
    assert.ok(Number.isFinite(Date.parse(String(d.time))));
    assert.equal(d.verdict.status, 'watching');
    assert.ok(!('decidedAt' in d.verdict) && typeof d.verdict.summary === 'string' && Array.isArray(d.verdict.evidence));
  });

  it('judges a canary in the contract shape, for Argo Rollouts (GET/POST) and Flagger (webhook)', async () => {
    const from = new Date(t0 + 20 * 60_000).toISOString();
    const to = new Date(t0 + 24 * 60_000).toISOString();
    const contract = await api<{ verdict: string; score: number; reasons: string[] }>('/api/v1/canary/judge', {
      method: 'POST',
      body: { service: 'checkout', baselineVersion: 'v1', canaryVersion: 'v2', from, to },
    });
    assert.equal(contract.status, 200, contract.text);
    assert.equal(contract.json.verdict, 'fail');
    assert.ok(contract.json.score >= 0 && contract.json.score < 5);
    assert.ok(
      contract.json.reasons.some((r) => r.startsWith('error-rate')),
      JSON.stringify(contract.json.reasons),
    );
    // Argo Rollouts' web provider: GET with the parameters in the URL, result read with jsonPath {$.verdict}.
    const argo = await api<{ verdict: string }>(`/api/v1/canary/judge?service=checkout&baselineVersion=v1&canaryVersion=v2&from=${from}&to=${to}`);
    assert.equal(argo.json.verdict, 'fail');
    // …and its request as the documented AnalysisTemplate makes it (method POST, jsonBody, the headers
    // Go's client and the template add, no window: the last 10 min of the engine's clock).
    const argoPost = await fetch(`${vigil.apiUrl}/api/v1/canary/judge`, {
      method: 'POST',
      headers: {
        'User-Agent': 'Go-http-client/1.1',
        'Accept-Encoding': 'gzip',
        Authorization: `Bearer ${TEST_KEY}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ service: 'checkout', baselineVersion: 'v1', canaryVersion: 'v2' }),
    });
    assert.equal(argoPost.status, 200, 'Argo counts any non-2xx as a measurement error, not a verdict');
    assert.equal(((await argoPost.json()) as { verdict: string }).verdict, 'fail', 'successCondition result == "pass" fails the analysis');

    // A healthy canary of cart passes; Flagger's webhook payload, its key in metadata, 200 = pass.
    await feed('cart', 24, 28, [
      { version: 'c1', perBucket: 5, broken: false },
      { version: 'c2', perBucket: 5, broken: false },
    ]);
    const flagger = (metadata: Record<string, string>) =>
      api<{ verdict: string }>('/api/v1/canary/flagger', {
        method: 'POST',
        auth: false,
        body: { name: 'cart', namespace: 'shop', phase: 'Progressing', checksum: 'abc', metadata: { apiKey: TEST_KEY, window: '5m', ...metadata } },
      });
    const pass = await flagger({ baselineVersion: 'c1', canaryVersion: 'c2' });
    assert.equal(pass.status, 200, pass.text);
    assert.equal(pass.json.verdict, 'pass');
    const fail = await flagger({ service: 'checkout', baselineVersion: 'v1', canaryVersion: 'v2', window: '10m' });
    assert.equal(fail.status, 412, fail.text);
    const quiet = await flagger({ baselineVersion: 'c1', canaryVersion: 'c9' });
    assert.equal(quiet.status, 425, 'too little canary traffic halts, it does not pass');
    const noKey = await api('/api/v1/canary/flagger', {
      method: 'POST',
      auth: false,
      body: { name: 'cart', metadata: { baselineVersion: 'c1', canaryVersion: 'c2' } },
    });
    assert.equal(noKey.status, 401);

    // Bad input is a 400 with a code, never a crash.
    for (const body of [
      { service: 'checkout' },
      { service: 'checkout', baselineVersion: 'v1', canaryVersion: 'v1' },
      { service: 'checkout', baselineVersion: 'v1', canaryVersion: 'v2', from: to, to: from },
      { service: 'x', baselineVersion: 'a', canaryVersion: 'b', from: 'yesterday' },
    ]) {
      const r = await api<{ error: { code: string } }>('/api/v1/canary/judge', { method: 'POST', body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.json.error.code, /^VIGIL_/);
    }
    assert.equal(
      (
        await api('/api/v1/canary/flagger', {
          method: 'POST',
          auth: false,
          body: { name: 'cart', metadata: { apiKey: TEST_KEY, baselineVersion: 'c1', canaryVersion: 'c2', window: 'forever' } },
        })
      ).status,
      400,
    );
  });
});
