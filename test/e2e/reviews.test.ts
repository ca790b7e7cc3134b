// Learning from incidents over the HTTP API, on a real incident: the seed case (a payment deploy
// exhausts the DB pool) replayed through the pure engines in event time, acknowledged and resolved
// with a note, stored as the pipeline stores it; then a repeat of it ten days later. Checks the
// generated review against the incident's own timeline, action items from open to done and
// resurfacing on the repeat, ticket correlation (matching and not), and the reliability report.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { resolveConfig } from '../../src/config/index.js';
import { replayEngines } from '../../src/demo/engine-replay.js';
import type { Incident, IncidentEngine } from '../../src/incidents/index.js';
import { incidentRecord } from '../../src/pipeline/incident-recorder.js';
import { durationText } from '../../src/reviews/index.js';
import { startVigil, type RunningVigil } from '../../src/server.js';
import { appendTimeline, saveIncidentRecords } from '../../src/store/index.js';
import { zendeskTicketCreated } from '../../src/tickets/testing/help-desk-payloads.js';
import { TEST_KEY } from '../support/vigil-process.js';

const T0 = Date.UTC(2026, 10, 3, 13, 0, 0);
const MIN = 60_000;
const DAY = 86_400_000;
const deployAt = T0 + 30 * MIN;

interface ReviewBody {
  markdown: string;
  metrics: { timeToDetectSeconds: number; timeToAcknowledgeSeconds?: number; timeToIdentifySeconds?: number; timeToResolveSeconds?: number };
  actionItems: Array<{ id: string; title: string; status: string; overdue: boolean }>;
  repeatOf?: { incidentId: string };
  resurfacedActionItems: Array<{ id: string; fromIncidentTitle: string }>;
  customerReportedFirst: boolean;
}

void describe('reviews, action items, tickets and the reliability report over the API', () => {
  let dir: string;
  let vigil: RunningVigil;
  let first: Incident;
  let repeat: Incident;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; type: string }> => {
    const res = await fetch(`${vigil.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T,
    };
  };

  before(async () => {
    let engine: IncidentEngine | undefined;
    const replay = await replayEngines({
      seed: 11,
      startMs: T0,
      durationMs: 30 * MIN + 12 * MIN,
      rps: 6,
      stepMs: 10_000,
      faults: [{ name: 'pool-exhaustion-deploy', atMs: deployAt }],
      onBatch: (_now, incidents) => {
        engine = incidents;
      },
    });
    assert.equal(replay.incidents.length, 1, replay.incidents.map((i) => i.title).join(' | '));
    const opened = replay.incidents[0]!;
    engine!.transition(opened.id, 'acknowledged', 'ana', opened.detectedAtMs + 3 * MIN);
    engine!.transition(opened.id, 'resolved', 'ana', opened.detectedAtMs + 25 * MIN, 'rolled payment back to 2.2.9');
    first = engine!.get(opened.id)!;
    // The same fault ten days later, opened and resolved 20 minutes after detection, with nobody's note.
    const shift = (ms: number): number => ms + 10 * DAY;
    repeat = {
      ...structuredClone(first),
      id: '900',
      acknowledgedAtMs: undefined,
      resolution: undefined,
      startedAtMs: shift(first.startedAtMs),
      detectedAtMs: shift(first.detectedAtMs),
      resolvedAtMs: shift(first.detectedAtMs) + 20 * MIN,
      timeline: first.timeline.filter((e) => e.kind !== 'state' || e.data?.status === 'triggered').map((e) => ({ ...e, atMs: shift(e.atMs) })),
    };

    dir = mkdtempSync(join(tmpdir(), 'vigil-reviews-'));
    vigil = await startVigil(
      resolveConfig({ data: dir, port: 0, otlpPort: 0, otlpGrpcPort: 0, clock: 'event', logLevel: 'warn' }, { VIGIL_API_KEY: TEST_KEY }),
    );
    await saveIncidentRecords(
      vigil.store,
      [first, repeat].map((i, k) => ({ record: incidentRecord(i, i.context, []), revision: k + 1 })),
    );
    for (const i of [first, repeat]) await appendTimeline(vigil.store, i.id, 0, i.timeline);
  });
  after(async () => {
    await vigil?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  void it('generates the review of the replayed seed incident with times that agree with its timeline', async () => {
    const inc = (
      await call<{
        startedAt: string;
        detectedAt: string;
        acknowledgedAt: string;
        resolvedAt: string;
        rootCauses: Array<{ service: string; kind: string }>;
        timeline: Array<{ at: string; kind: string; data?: { service?: string; rootCauseKind?: string } }>;
      }>('GET', `/api/v1/incidents/${first.id}`)
    ).body;
    const r = await call<ReviewBody>('GET', `/api/v1/incidents/${first.id}/review`);
    assert.equal(r.status, 200);
    const m = r.body.metrics;
    const s = (a: string, b: string): number => (Date.parse(b) - Date.parse(a)) / 1000;
    assert.equal(m.timeToDetectSeconds, s(inc.startedAt, inc.detectedAt));
    assert.equal(m.timeToAcknowledgeSeconds, 180);
    assert.equal(m.timeToResolveSeconds, s(inc.startedAt, inc.resolvedAt));
    const top = inc.rootCauses[0]!;
    const named = inc.timeline.find((e) => e.kind === 'root-cause' && e.data?.service === top.service && e.data.rootCauseKind === top.kind);
    assert.ok(named, 'the timeline names the final top cause');
    assert.equal(m.timeToIdentifySeconds, s(inc.startedAt, named.at));
    assert.ok(m.timeToDetectSeconds <= 180, `detected ${m.timeToDetectSeconds} s after onset`);
    const md = r.body.markdown;
    for (const section of [
      'Summary',
      'Timeline (UTC)',
      'Impact',
      'Detection and response',
      'Root cause and evidence',
      'What changed',
      'What fixed it',
      'Contributing factors',
      'Action items',
    ])
      assert.ok(md.includes(`## ${section}\n`), section);
    assert.match(md, /## What fixed it\n\nrolled payment back to 2\.2\.9 \(ana/);
    assert.match(md, /deploy of payment 2\.3\.0/);
    assert.match(md, /Users affected: [\d,]+ of [\d,]+/);
    assert.ok(
      md.includes(`- Duration: ${durationText(Date.parse(inc.resolvedAt) - Date.parse(inc.startedAt))} (${inc.startedAt} to ${inc.resolvedAt}).`),
      'duration',
    );
    assert.ok(md.includes(`${top.kind} of ${top.service}`), 'names the root cause');
    const html = await call<string>('GET', `/api/v1/incidents/${first.id}/review?format=html`);
    assert.match(html.type, /text\/html/);
    assert.match(html.body, /<h2>What fixed it<\/h2>/);
    const mdOnly = await call<string>('GET', `/api/v1/incidents/${first.id}/review?format=md`);
    assert.equal(mdOnly.body, md);
    assert.equal((await call('GET', '/api/v1/incidents/nope/review')).status, 404);
    assert.equal((await call('GET', `/api/v1/incidents/${first.id}/review?format=pdf`)).status, 400);
  });

  void it('keeps edited sections across regeneration', async () => {
    const edited = await call<ReviewBody>('PATCH', `/api/v1/incidents/${first.id}/review`, {
      sections: { contributingFactors: 'The pool size was not part of the deploy checklist.' },
      author: 'ana',
    });
    assert.equal(edited.status, 200);
    const again = await call<ReviewBody>('GET', `/api/v1/incidents/${first.id}/review`);
    assert.match(again.body.markdown, /## Contributing factors\n\n_Edited by ana at [^_]+_\n\nThe pool size was not part of the deploy checklist\./);
    assert.equal((await call('PATCH', `/api/v1/incidents/${first.id}/review`, { sections: { timeline: 'x' } })).status, 400);
  });

  void it('tracks action items from open to done, flags overdue ones, and resurfaces open ones on the repeat', async () => {
    const created = await call<{ id: string; title: string; status: string; overdue: boolean; owner: string }>(
      'POST',
      `/api/v1/incidents/${first.id}/action-items`,
      { title: 'Alert on pool saturation before exhaustion', owner: 'ana', due: '2026-11-10' },
    );
    assert.equal(created.status, 201);
    assert.equal(created.body.status, 'open');
    assert.equal(created.body.overdue, true, 'due 2026-11-10, long past on the wall clock');
    const other = await call<{ id: string }>('POST', `/api/v1/incidents/${first.id}/action-items`, { title: 'Add the pool size to the deploy checklist' });
    assert.equal((await call('POST', `/api/v1/incidents/${first.id}/action-items`, { title: '   ' })).status, 400);
    assert.equal((await call('POST', '/api/v1/incidents/nope/action-items', { title: 'x' })).status, 404);

    // Reassigned and rescheduled on the way, then nobody's again.
    const moved = await call<{ owner?: string; due?: string; overdue: boolean }>('PATCH', `/api/v1/action-items/${other.body.id}`, {
      owner: 'bo',
      due: '2099-01-31',
    });
    assert.equal(moved.status, 200);
    assert.deepEqual([moved.body.owner, moved.body.due, moved.body.overdue], ['bo', '2099-01-31T23:59:59.999Z', false]);
    const unowned = await call<{ owner?: string; due?: string }>('PATCH', `/api/v1/action-items/${other.body.id}`, { owner: null });
    assert.deepEqual([unowned.body.owner, unowned.body.due], [undefined, '2099-01-31T23:59:59.999Z']);
    assert.equal((await call('PATCH', `/api/v1/action-items/${other.body.id}`, {})).status, 400);
    const done = await call<{ status: string; doneAt: string }>('PATCH', `/api/v1/action-items/${other.body.id}`, { status: 'done' });
    assert.equal(done.body.status, 'done');
    assert.ok(done.body.doneAt);
    assert.equal((await call('PATCH', `/api/v1/action-items/${other.body.id}`, { status: 'closed' })).status, 400);
    assert.equal((await call('PATCH', '/api/v1/action-items/ai-nope', { status: 'done' })).status, 404);
    const open = await call<{ actionItems: Array<{ id: string }> }>('GET', '/api/v1/action-items?status=open');
    assert.deepEqual(
      open.body.actionItems.map((a) => a.id),
      [created.body.id],
    );
    const closed = await call<{ actionItems: Array<{ id: string }> }>('GET', '/api/v1/action-items?status=done');
    assert.deepEqual(
      closed.body.actionItems.map((a) => a.id),
      [other.body.id],
    );

    const review = await call<ReviewBody>('GET', `/api/v1/incidents/${repeat.id}/review`);
    assert.equal(review.body.repeatOf?.incidentId, first.id);
    assert.deepEqual(
      review.body.resurfacedActionItems.map((a) => a.id),
      [created.body.id],
      'the open item, not the done one',
    );
    assert.match(review.body.markdown, /Still open from similar earlier incidents/);
    assert.match(review.body.markdown, /It happened before: incident /);
    const body = await call<{ repeatOf?: { incidentId: string; similarity: number }; resurfacedActionItems: Array<{ id: string }> }>(
      'GET',
      `/api/v1/incidents/${repeat.id}`,
    );
    assert.deepEqual(
      body.body.resurfacedActionItems.map((a) => a.id),
      [created.body.id],
    );
    assert.equal(body.body.repeatOf?.incidentId, first.id, 'the incident itself is marked a repeat');
    assert.equal(body.body.repeatOf?.similarity, 1);
    const original = await call<{ repeatOf?: unknown }>('GET', `/api/v1/incidents/${first.id}`);
    assert.equal(original.body.repeatOf, undefined, 'nothing before it to repeat');
  });

  void it('correlates tickets about the incident and not others, counting one before detection as customer-reported first', async () => {
    const at = repeat.detectedAtMs - 40_000;
    const matching = await call<{ incidents: Array<{ incidentId: string; reasons: string[] }> }>('POST', '/api/v1/tickets', {
      id: 'T-1',
      title: 'Payment keeps failing at checkout',
      customer: 'c-42',
      time: new Date(at).toISOString(),
    });
    assert.equal(matching.status, 201);
    assert.deepEqual(
      matching.body.incidents.map((m) => m.incidentId),
      [repeat.id],
    );
    const unrelated = await call<{ incidents: unknown[] }>('POST', '/api/v1/tickets', {
      id: 'T-2',
      title: 'Invoice PDF shows the wrong font',
      time: new Date(at).toISOString(),
    });
    assert.deepEqual(unrelated.body.incidents, []);
    const otherService = await call<{ incidents: unknown[] }>('POST', '/api/v1/tickets', {
      id: 'T-3',
      title: 'payment page slow',
      service: 'search',
      time: new Date(at).toISOString(),
    });
    assert.deepEqual(otherService.body.incidents, [], 'filed against a service the incident does not touch');
    const later = await call<{ incidents: unknown[] }>('POST', '/api/v1/tickets', {
      id: 'T-4',
      title: 'Payment keeps failing at checkout',
      time: new Date(repeat.resolvedAtMs! + 2 * 3_600_000).toISOString(),
    });
    assert.deepEqual(later.body.incidents, [], 'hours after it was resolved');
    const hook = await call<{ id: string; source: string }>(
      'POST',
      '/api/v1/tickets/webhooks/zendesk',
      zendeskTicketCreated({ id: 'Z-77', subject: 'Checkout payment error', createdAtMs: repeat.detectedAtMs + MIN }),
    );
    assert.equal(hook.status, 201);
    assert.equal(hook.body.source, 'zendesk');
    assert.equal((await call('POST', '/api/v1/tickets/webhooks/helpscout', {})).status, 404);
    assert.equal((await call('POST', '/api/v1/tickets', { title: 'no id' })).status, 400);

    const inc = await call<{ tickets: Array<{ id: string; beforeDetection: boolean }> }>('GET', `/api/v1/incidents/${repeat.id}`);
    assert.deepEqual(
      inc.body.tickets.map((t) => [t.id, t.beforeDetection]),
      [
        ['T-1', true],
        ['Z-77', false],
      ],
    );
    const review = await call<ReviewBody>('GET', `/api/v1/incidents/${repeat.id}/review`);
    assert.equal(review.body.customerReportedFirst, true);
  });

  void it('reports reliability over the range: incidents, MTTD, MTTR, repeats, action items and customer-reported-first', async () => {
    const q = `from=${new Date(T0 - DAY).toISOString()}&to=${new Date(T0 + 20 * DAY).toISOString()}`;
    const r = await call<{
      incidents: number;
      mttdSeconds: number;
      mttrSeconds: number;
      repeatRate: number;
      actionItems: { total: number; done: number; completionRate: number };
      customerReportedFirst: number;
    }>('GET', `/api/v1/reports/reliability?${q}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.incidents, 2);
    const ttd = (first.detectedAtMs - first.startedAtMs) / 1000;
    assert.equal(r.body.mttdSeconds, Math.round(ttd * 10) / 10, 'both detected alike');
    assert.equal(r.body.mttrSeconds, Math.round(((first.resolvedAtMs! - first.startedAtMs + repeat.resolvedAtMs! - repeat.startedAtMs) / 2 / 1000) * 10) / 10);
    assert.equal(r.body.repeatRate, 0.5);
    assert.deepEqual(r.body.actionItems, { total: 2, done: 1, open: 1, overdue: 1, completionRate: 0.5 });
    assert.equal(r.body.customerReportedFirst, 1);
    const md = await call<string>('GET', `/api/v1/reports/reliability?${q}&format=md`);
    assert.match(md.body, /^# Reliability report/);
    assert.match(md.body, /\| Incidents \| 2 \|/);
    assert.equal((await call('GET', `/api/v1/reports/reliability?from=${T0}&to=${T0 - 1}`)).status, 400);

    // `vigil report reliability --from --to` prints the same report.
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk: string) => printed.push(String(chunk)) > 0;
    let code: number;
    try {
      code = await runCli([
        'report',
        'reliability',
        '--from',
        new Date(T0 - DAY).toISOString(),
        '--to',
        new Date(T0 + 20 * DAY).toISOString(),
        '--url',
        vigil.apiUrl,
        '--key',
        TEST_KEY,
      ]);
    } finally {
      process.stdout.write = write;
    }
    assert.equal(code, 0);
    assert.equal(printed.join(''), md.body);
  });
});
