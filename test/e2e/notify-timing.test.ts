// Notification timing through the server's own pipeline in event-clock mode: a deploy that throws
// a new exception opens one incident (opened, root cause and a severity change in one clock
// advance), which then stays quiet. Its opening burst reaches the team as one message with the
// last severity, and a 2-minute escalation policy pages PagerDuty (a local receiver shaped like
// Events API v2) within one clock advance of 2 minutes of event time, though nothing changes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { VigilClient } from '../../src/client/index.js';
import { resolveConfig } from '../../src/config/index.js';
import { HttpReceiver } from '../../src/notify/testing/http-receiver.js';
import { PagerDutyReceiver } from '../../src/notify/testing/paging-receivers.js';
import { startVigil, type RunningVigil } from '../../src/server.js';
import { simulateShop } from '../../src/sim/index.js';
import { TEST_KEY } from '../support/vigil-process.js';

const T0 = Date.UTC(2026, 10, 4, 13, 0, 0);
const warmupMs = 20 * 60_000;
const deployAt = T0 + warmupMs;
const stepMs = 10_000;
/** The pipeline's event clock runs this far behind the newest event time (pipeline.ts). */
const eventLatenessMs = 10_000;
const routingKey = 'PDk3y0123456789abcdefABCDEF01234';
const faultName = 'new-exception-deploy';

interface TeamBody {
  event: string;
  message: { atMs: number; incident: { id: string; severity: string } };
}

void describe('notification timing through the live pipeline (event clock)', () => {
  let dir: string;
  let vigil: RunningVigil;
  let team: HttpReceiver;
  let pager: PagerDutyReceiver;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-notify-timing-'));
    team = await HttpReceiver.start();
    pager = await PagerDutyReceiver.start();
    const yaml = [
      'notify:',
      '  coalesceMs: 5s',
      '  channels:',
      '    - { name: team, type: webhook, url: "${TEAM_URL}", secret: "${TEAM_SECRET}" }',
      '    - { name: pager, type: pagerduty, routingKey: "${PD_ROUTING_KEY}", url: "${PD_URL}" }',
      '  routes: [{ services: ["*"], channels: [team], escalation: std }]',
      '  escalation: [{ name: std, levels: [{ afterMinutes: 2m, channels: [pager] }] }]',
      '  retry: { maxAttempts: 3, backoffBaseMs: 10, backoffMaxMs: 20 }',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'vigil.yaml'), yaml);
    const env = { VIGIL_API_KEY: TEST_KEY, TEAM_URL: team.url('/in'), TEAM_SECRET: 'team-secret-0123456789', PD_ROUTING_KEY: routingKey, PD_URL: pager.url() };
    vigil = await startVigil(
      resolveConfig({ config: join(dir, 'vigil.yaml'), data: join(dir, 'data'), port: 0, otlpPort: 0, otlpGrpcPort: 0, clock: 'event', logLevel: 'warn' }, env),
    );
  });
  after(async () => {
    await vigil.stop();
    await team.close();
    await pager.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  void it('sends one opening message and escalates on time in event time', async (t) => {
    /** Engine time at the end of the batch after which the pager's escalation was first queued. */
    let escalationQueuedAtMs: number | undefined;
    let openingQueuedAtMs: number | undefined;
    const queued = (channel: string): number => {
      const s = vigil.pipeline.notificationStats()[channel];
      return s ? s.delivered + s.pending + s.dead : 0;
    };
    for (const b of simulateShop({
      seed: 11,
      startMs: T0,
      durationMs: warmupMs + 10 * 60_000,
      rps: 4,
      stepMs,
      faults: [{ name: faultName, atMs: deployAt }],
    })) {
      for (const c of b.changes) await vigil.pipeline.recordChange({ ...c, source: 'api' });
      await vigil.ingest(b);
      const engineNow = vigil.pipeline.now() - eventLatenessMs;
      if (openingQueuedAtMs === undefined && queued('team') > 0) openingQueuedAtMs = engineNow;
      if (escalationQueuedAtMs === undefined && queued('pager') > 0) escalationQueuedAtMs = engineNow;
    }
    await team.waitUntil((r) => r.accepted().length > 0);
    const messages = team.accepted().map((r) => JSON.parse(r.body) as TeamBody);
    const opening = messages[0]!;
    assert.equal(opening.event, 'opened');
    const incidentId = opening.message.incident.id;
    const openedAtMs = opening.message.atMs;
    // Batches advance event time 10 s at a time, more than the 5 s window: the burst must not wait for the next one.
    assert.ok(
      openingQueuedAtMs !== undefined && openingQueuedAtMs - openedAtMs <= 5_000,
      `opening sent ${(openingQueuedAtMs ?? NaN) - openedAtMs} ms after the incident opened`,
    );
    const burst = messages.filter((m) => m.message.incident.id === incidentId && m.message.atMs - openedAtMs <= 5_000);
    assert.equal(burst.length, 1, `one message for the opening burst: ${burst.map((m) => m.event).join(', ')}`);
    const fullTimeline = (await new VigilClient({ url: vigil.apiUrl, apiKey: TEST_KEY }).getIncident(incidentId)).timeline;
    const timeline = fullTimeline.filter((e) => Date.parse(e.at) - openedAtMs <= 5_000);
    const severities = timeline
      .map((e) => /^Opened: .*\(severity (\w+)/.exec(e.text)?.[1] ?? (e.kind === 'severity' ? /→ (\w+)/.exec(e.text)?.[1] : undefined))
      .filter(Boolean);
    assert.ok(severities.length > 1, `the opening was a burst: ${timeline.map((e) => e.text.slice(0, 60)).join(' | ')}`);
    assert.equal(opening.message.incident.severity, severities[severities.length - 1], 'the message carries the last severity of the burst');

    assert.ok(escalationQueuedAtMs !== undefined, 'the escalation reached PagerDuty');
    const dueAtMs = openedAtMs + 2 * 60_000;
    const quiet = fullTimeline.filter((e) => e.kind !== 'notification' && Date.parse(e.at) > openedAtMs + 30_000 && Date.parse(e.at) <= dueAtMs + stepMs);
    assert.deepEqual(
      quiet.map((e) => e.text),
      [],
      'the incident is quiet while its escalation falls due',
    );
    const lateMs = escalationQueuedAtMs - dueAtMs;
    t.diagnostic(`opening queued ${(openingQueuedAtMs - openedAtMs) / 1000} s after opening; escalation queued ${lateMs / 1000} s after due (event time)`);
    assert.ok(lateMs >= 0 && lateMs < stepMs, `escalation queued ${lateMs / 1000} s after it fell due (one clock advance is ${stepMs / 1000} s)`);
    await pager.http.waitUntil((r) => r.accepted().length > 0);
    const [trigger] = pager.events();
    assert.equal(trigger?.event_action, 'trigger');
    assert.equal(trigger.dedup_key, `vigil:${incidentId}`);
    assert.equal((trigger.payload as { custom_details: { event: string } }).custom_details.event, 'escalated');
  });
});
