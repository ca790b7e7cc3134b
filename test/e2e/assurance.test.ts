// Black-box (in process, event time): silences, production confidence, the public status page and
// stakeholder updates in a running Vigil. A 15% error burst on `checkout` opens an incident while a
// silence covers checkout: nothing is notified, the timeline says why, the incident is still
// recorded; once the silence expires the next state change is notified. Confidence is low with its
// reasons; /status (no key) shows the outage under its public name only, with the posted update; a
// user rule firing before a restart is firing after it, without a second firing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/index.js';
import { startVigil, type RunningVigil } from '../../src/server.js';
import { minuteOfTraffic } from '../../src/slo/testing.js';
import { TEST_KEY } from '../support/vigil-process.js';

const minute = 60_000;

describe('silences, confidence and the status page in a running Vigil', () => {
  let dir: string;
  let vigil: RunningVigil;
  let hook: Server;
  const received: Array<{ event: string; incident: string }> = [];
  const toStakeholders: Array<{ event: string; update: string; headline: string }> = [];
  const t0 = Math.floor((Date.now() - 3 * 3_600_000) / minute) * minute;
  const api = async <T>(
    path: string,
    init: { method?: string; body?: unknown; key?: string | null } = {},
  ): Promise<{ status: number; json: T; text: string; type: string }> => {
    const key = init.key === undefined ? TEST_KEY : init.key;
    const r = await fetch(`${vigil.apiUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    const text = await r.text();
    const type = r.headers.get('content-type') ?? '';
    return { status: r.status, text, type, json: (type.includes('json') && text ? JSON.parse(text) : {}) as T };
  };
  const feed = async (fromMinute: number, toMinute: number, errorRatio: (m: number) => number): Promise<void> => {
    for (let m = fromMinute; m < toMinute; m++)
      await vigil.ingest({
        spans: minuteOfTraffic({ service: 'checkout', route: 'POST /pay', requests: 100, errorRatio: errorRatio(m) }, t0 + m * minute),
        logs: [],
        metrics: [],
      });
  };

  const start = (): Promise<RunningVigil> =>
    startVigil(
      resolveConfig(
        {
          config: join(dir, 'vigil.yaml'),
          data: join(dir, 'data'),
          port: 0,
          otlpPort: 0,
          otlpGrpcPort: 0,
          logLevel: 'silent',
          clock: 'event',
        },
        { VIGIL_API_KEY: TEST_KEY },
      ),
    );

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-assurance-'));
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const parsed = JSON.parse(body) as {
          event: string;
          message: { incident: { id: string }; update?: string; headline: string };
        };
        if (req.url === '/stakeholders')
          toStakeholders.push({
            event: parsed.event,
            update: parsed.message.update ?? '',
            headline: parsed.message.headline,
          });
        else received.push({ event: parsed.event, incident: parsed.message.incident.id });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    writeFileSync(
      join(dir, 'vigil.yaml'),
      [
        'slos:',
        '  - {name: pay availability, service: checkout, objective: availability, target: 0.999}',
        'status:',
        '  title: Acme status',
        '  components:',
        '    - {name: Payments, services: [checkout], audience: customers paying online}',
        '    - {name: Search, services: [search]}',
        '  updates: {channels: [stakeholders]}',
        'notify:',
        '  coalesceMs: 0',
        `  channels: [{name: oncall, type: webhook, url: "${hookUrl}", secret: "0123456789abcdef0123"}, {name: stakeholders, type: webhook, url: "${hookUrl.replace('/hook', '/stakeholders')}", secret: "0123456789abcdef0123"}]`,
        '  routes: [{channels: [oncall]}]',
        '',
      ].join('\n'),
    );
    vigil = await start();
  });
  after(async () => {
    await vigil.stop();
    await new Promise((resolve) => hook.close(resolve));
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('a silence suppresses notifications while it lasts, the incident is still recorded, and it expires', async () => {
    const matchesAll = await api<{ error: { code: string; message: string } }>('/api/v1/silences', {
      method: 'POST',
      body: { duration: '1h', comment: 'quiet please' },
    });
    assert.equal(matchesAll.status, 400);
    assert.equal(matchesAll.json.error.code, 'VIGIL_BAD_REQUEST');
    assert.match(matchesAll.json.error.message, /names a service, a signal kind or both/);
    const noReason = await api<{ error: { message: string } }>('/api/v1/silences', {
      method: 'POST',
      body: { service: 'checkout', duration: '1h' },
    });
    assert.equal(noReason.status, 400);
    assert.match(noReason.json.error.message, /comment/);
    const created = await api<{ id: string; state: string; endsAt: string; createdBy: string }>('/api/v1/silences', {
      method: 'POST',
      body: {
        service: 'checkout',
        startsAt: new Date(t0).toISOString(),
        endsAt: new Date(t0 + 50 * minute).toISOString(),
        comment: 'payment provider maintenance',
      },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.createdBy, 'VIGIL_API_KEY', 'the key that made it, by name');

    await feed(0, 40, (m) => (m >= 30 ? 0.15 : 0));
    await vigil.pipeline.flushTo(t0 + 40 * minute);
    const open = (await api<{ incidents: Array<{ id: string; services: string[] }> }>('/api/v1/incidents')).json.incidents;
    assert.ok(open.length >= 1, 'the incident is recorded even though it is silenced');
    const id = open[0]!.id;
    // Silenced, not hidden: listed and shown with the silence that covers it and each symptom it matches.
    const listedSilenced = (open as Array<{ id: string; silenced?: boolean; silencedBy?: string[] }>)[0]!;
    assert.deepEqual([listedSilenced.silenced, listedSilenced.silencedBy], [true, [created.json.id]]);
    const shown = (
      await api<{ silenced: boolean; silencedBy: string[]; signals: Array<{ silenced: boolean; silencedBy?: string[] }> }>(`/api/v1/incidents/${id}`)
    ).json;
    assert.deepEqual([shown.silenced, shown.silencedBy], [true, [created.json.id]]);
    assert.ok(shown.signals.length && shown.signals.every((s) => s.silenced && s.silencedBy?.[0] === created.json.id), JSON.stringify(shown.signals));
    const ack = await api(`/api/v1/incidents/${id}/ack`, { method: 'POST', body: { actor: 'sam' } });
    assert.equal(ack.status, 200);
    const timeline = (await api<{ timeline: Array<{ text: string }> }>(`/api/v1/incidents/${id}`)).json.timeline.map((e) => e.text);
    assert.ok(
      timeline.some((t) => t.startsWith(`notification suppressed (opened): silenced by ${created.json.id}`)),
      timeline.join('\n'),
    );
    assert.ok(timeline.some((t) => t.startsWith('notification suppressed (acknowledged)')));
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(received, [], 'nothing reached the on-call channel');
    const listed = (await api<{ silences: Array<{ id: string; state: string }> }>('/api/v1/silences')).json.silences;
    assert.deepEqual(
      listed.map((s) => [s.id, s.state]),
      [[created.json.id, 'active']],
    );

    // Event time passes the silence's end: the next state change pages again.
    await feed(40, 52, () => 0);
    await vigil.pipeline.flushTo(t0 + 52 * minute);
    assert.equal((await api<{ state: string }>(`/api/v1/silences/${created.json.id}`)).json.state, 'expired');
    assert.equal((await api<{ silenced: boolean }>(`/api/v1/incidents/${id}`)).json.silenced, false, 'the silence ended');
    const resolved = await api<{ silenced: boolean; silencedBy?: string[] }>(`/api/v1/incidents/${id}/resolve`, { method: 'POST', body: { actor: 'sam' } });
    assert.equal(resolved.status, 200);
    assert.deepEqual([resolved.json.silenced, resolved.json.silencedBy], [false, undefined], 'resolved after the silence ended: not silenced');
    for (let i = 0; i < 100 && !received.length; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(
      (received as Array<{ event: string; incident: string }>).map((r) => [r.event, r.incident]),
      [['resolved', id]],
    );
    const audit = (await api<{ entries: Array<{ action: string; target: string }> }>('/api/v1/audit?limit=50')).json.entries;
    assert.ok(
      audit.some((e) => e.action === 'silence.create' && e.target === created.json.id),
      JSON.stringify(audit),
    );
  });

  it('confidence is low with its reasons, and /status shows the outage by its public name only, with its update', async () => {
    // A user rule beside the detectors: its signal joins the same incident.
    const rule = await api<{ name: string; state: string; source: string }>('/api/v1/rules', {
      method: 'POST',
      body: {
        name: 'pay errors',
        service: 'checkout',
        red: 'errorRate',
        route: 'POST /pay',
        above: 0.05,
        window: '1m',
        for: '1m',
      },
    });
    assert.equal(rule.status, 201, rule.text);
    assert.deepEqual([rule.json.source, rule.json.state], ['api', 'inactive']);
    const badRule = await api<{ error: { message: string } }>('/api/v1/rules', {
      method: 'POST',
      body: { name: 'x', service: 'checkout', red: 'p95Ms' },
    });
    assert.equal(badRule.status, 400);
    assert.match(badRule.json.error.message, /above: a threshold rule needs above, below or both/);
    assert.equal(
      (
        await api('/api/v1/rules', {
          method: 'POST',
          body: { name: 'pay errors', service: 'checkout', metric: 'm', above: 1 },
        })
      ).status,
      409,
    );
    const counterRule = { name: 'declines', service: 'checkout', metric: 'payments', where: { outcome: { regex: 'declined|failed' } }, above: 2 };
    const made = await api<typeof counterRule>('/api/v1/rules', { method: 'POST', body: counterRule });
    assert.deepEqual([made.status, made.json.where], [201, counterRule.where], made.text);
    assert.equal((await api('/api/v1/rules/declines', { method: 'DELETE' })).status, 204);
    await feed(52, 62, (m) => (m >= 54 ? 0.15 : 0));
    await vigil.pipeline.flushTo(t0 + 62 * minute);
    const open = (await api<{ incidents: Array<{ id: string; severity: string; services: string[] }> }>('/api/v1/incidents')).json.incidents;
    assert.ok(open.length >= 1);
    assert.ok(['high', 'critical'].includes(open[0]!.severity), JSON.stringify(open));

    const confidence = (await api<{ services: Array<{ service: string; level: string; score: number; reasons: string[] }> }>('/api/v1/confidence')).json
      .services;
    const checkout = confidence.find((c) => c.service === 'checkout')!;
    assert.equal(checkout.level, 'low');
    assert.ok(checkout.score < 50, String(checkout.score));
    assert.ok(
      checkout.reasons.some((r) => /^SLO "pay availability" is breaching/.test(r)),
      checkout.reasons.join('\n'),
    );
    assert.ok(
      checkout.reasons.some((r) => new RegExp(`^open (high|critical) incident #${open[0]!.id}`).test(r)),
      checkout.reasons.join('\n'),
    );
    assert.ok(checkout.reasons.includes('no synthetic check: nothing tests it when traffic is quiet'));
    assert.equal((await api('/api/v1/confidence', { key: null })).status, 401, 'confidence needs a key');

    // No key: the public page and its JSON.
    const json = await api<{
      status: string;
      components: Array<{ name: string; status: string }>;
      incidents: Array<{ title: string; components: string[]; updates: Array<{ text: string }> }>;
    }>('/api/v1/status', { key: null });
    assert.equal(json.status, 200);
    assert.deepEqual(json.json.components, [
      { name: 'Payments', status: 'outage' },
      { name: 'Search', status: 'operational' },
    ]);
    const current = json.json.incidents[0]!;
    assert.equal(current.title, 'Outage: Payments');
    assert.ok(current.updates.length >= 1, 'the posted stakeholder update is on the page');
    assert.match(
      current.updates[0]!.text,
      /^(The problem is back: |The impact has (grown|lessened): )?Payments is unavailable or failing for many requests since .* This affects customers paying online/,
    );
    const page = await api('/status', { key: null });
    assert.equal(page.status, 200);
    assert.match(page.type, /^text\/html/);
    assert.match(page.text, /data-status="outage">Outage</);
    assert.match(page.text, /Payments/);
    for (const internal of ['checkout', 'POST /pay', 'SLO', 'error rate', TEST_KEY])
      assert.ok(!page.text.includes(internal) && !json.text.includes(internal), `the public page leaks "${internal}"`);

    // The update is also listed for responders, and a draft can be edited and posted by hand.
    const id = open[0]!.id;
    const updates = (await api<{ updates: Array<{ status: string }> }>(`/api/v1/incidents/${id}/updates`)).json.updates;
    assert.ok(updates.length >= 1 && updates.every((u) => u.status === 'posted'));
    const draft = await api<{ id: string; status: string; text: string }>(`/api/v1/incidents/${id}/updates`, {
      method: 'POST',
      body: {},
    });
    assert.equal(draft.status, 201, draft.text);
    assert.equal(draft.json.status, 'draft');
    const posted = await api<{ status: string; text: string }>(`/api/v1/incidents/${id}/updates`, {
      method: 'POST',
      body: {
        id: draft.json.id,
        text: 'Card payments fail for some customers; a fix is being rolled out.',
        post: true,
      },
    });
    assert.deepEqual(
      [posted.status, posted.json.status, posted.json.text],
      [200, 'posted', 'Card payments fail for some customers; a fix is being rolled out.'],
    );
    assert.equal(
      (await api(`/api/v1/incidents/${id}/updates`, { method: 'POST', body: { id: draft.json.id, text: 'rewrite' } })).status,
      409,
      'what people read is not rewritten',
    );
    assert.match((await api('/status', { key: null })).text, /a fix is being rolled out/);
    // Posted updates also went to the stakeholder channel (not the on-call one), in public words only.
    for (let i = 0; i < 100 && !toStakeholders.some((m) => m.update.includes('a fix is being rolled out')); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(
      toStakeholders.some((m) => m.update.includes('a fix is being rolled out')),
      JSON.stringify(toStakeholders),
    );
    assert.ok(
      toStakeholders.some((m) => /Payments is unavailable/.test(m.update)),
      JSON.stringify(toStakeholders),
    );
    for (const m of toStakeholders) assert.ok(!JSON.stringify(m).includes('checkout'), `a stakeholder message leaks the service name: ${JSON.stringify(m)}`);

    const rules = (await api<{ rules: Array<{ name: string; state: string; value: number }> }>('/api/v1/rules')).json.rules;
    assert.deepEqual(
      rules.map((r) => [r.name, r.state]),
      [['pay errors', 'firing']],
    );
    assert.ok(Math.abs(rules[0]!.value - 0.15) < 0.02, String(rules[0]!.value));
    const timeline = (await api<{ timeline: Array<{ text: string }> }>(`/api/v1/incidents/${id}`)).json.timeline.map((e) => e.text);
    assert.ok(
      timeline.some((t) => /Rule "pay errors": error rate of checkout POST \/pay 1\d(\.\d+)?% above 5% for 60 s/.test(t)),
      timeline.join('\n'),
    );
    // A restart of `vigil start`: the rule comes back firing since the same moment, and more of the
    // same fault brings no second firing of it (nothing to page again).
    const since = (await api<{ rules: Array<{ since: string }> }>('/api/v1/rules')).json.rules[0]!.since;
    await vigil.stop();
    vigil = await start();
    const back = (await api<{ rules: Array<{ state: string; since: string }> }>('/api/v1/rules')).json.rules;
    assert.deepEqual(
      back.map((r) => [r.state, r.since]),
      [['firing', since]],
    );
    await feed(62, 66, () => 0.15);
    await vigil.pipeline.flushTo(t0 + 66 * minute);
    const ruleSignals = (await api<{ signals: Array<{ kind: string; status: string }> }>(`/api/v1/incidents/${id}`)).json.signals.filter(
      (s) => s.kind === 'user-rule',
    );
    assert.deepEqual(
      ruleSignals.map((s) => s.status),
      ['firing'],
      'one firing of the rule across the restart',
    );
    assert.equal((await api('/api/v1/rules/pay%20errors', { method: 'DELETE' })).status, 204);
    assert.deepEqual((await api<{ rules: unknown[] }>('/api/v1/rules')).json.rules, []);
  });
});
