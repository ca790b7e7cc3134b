// PagerDuty and Opsgenie against local receivers shaped like their APIs: an incident's life
// (opened, escalated, acknowledged, resolved) is one alert there that follows it, and a rejected
// credential fails permanently without the credential in the outcome.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NotificationChannel } from '../channel.js';
import { createChannels } from '../create-channels.js';
import { buildIncidentMessage, type NotificationEvent } from '../message.js';
import { fixtureContext, fixtureIncident, fixtureRootCauses } from '../testing/fixtures.js';
import { OpsgenieReceiver, PagerDutyReceiver } from '../testing/paging-receivers.js';
import type { IncidentStatus, Severity } from '../../model/index.js';

const routingKey = 'abcdefABCDEF0123456789abcdefABCD';
const genieKey = 'eb243592-faa2-4ba2-a551q-1afdf565c889';
const incident = fixtureIncident(31);
const at = (s: number) => incident.detectedAtMs + s * 1000;

/** The incident's life as the notifier would send it. */
const life: Array<[NotificationEvent, IncidentStatus, Severity, string?]> = [
  ['opened', 'triggered', 'medium'],
  ['updated', 'triggered', 'critical'],
  ['escalated', 'triggered', 'critical'],
  ['acknowledged', 'acknowledged', 'critical', 'alice'],
  ['resolved', 'resolved', 'critical'],
];

async function sendLife(channel: NotificationChannel, onStep: (event: NotificationEvent) => void): Promise<void> {
  for (const [i, [event, status, severity, actor]] of life.entries()) {
    const message = buildIncidentMessage({
      event,
      seq: i + 1,
      atMs: at(i * 60),
      incident: { ...incident, status, severity },
      rootCauses: fixtureRootCauses(),
      context: fixtureContext(),
      baseUrl: 'https://vigil.example.com',
      ...(actor ? { actor } : {}),
      ...(event === 'escalated' ? { escalation: { level: 1, afterMinutes: 2, channels: ['pager'], policy: 'std' } } : {}),
    });
    const outcome = await channel.send(message, { attempt: 1, nowMs: Date.now() });
    assert.deepEqual(outcome, { ok: true, status: 202 }, `${event}: ${JSON.stringify(outcome)}`);
    onStep(event);
  }
}

void test('pagerduty: one alert follows the incident (trigger, deduped triggers, acknowledge, resolve)', async () => {
  const receiver = await PagerDutyReceiver.start();
  const [channel] = createChannels([{ name: 'pager', type: 'pagerduty', routingKey, url: receiver.url() }]) as [NotificationChannel];
  const states: string[] = [];
  await sendLife(channel, () => states.push([...receiver.alerts.values()].map((a) => a.status).join()));
  await receiver.close();
  assert.deepEqual(states, ['triggered', 'triggered', 'triggered', 'acknowledged', 'resolved']);
  assert.equal(receiver.alerts.size, 1);
  const [key, alert] = [...receiver.alerts.entries()][0]!;
  assert.equal(key, `vigil:${incident.id}`);
  assert.equal(alert.triggers, 3, 'the update and the escalation fold into the open alert');
  assert.equal(alert.severity, 'warning', 'medium maps to warning');
  const [trigger, , , ack, resolve] = receiver.events();
  assert.deepEqual(Object.keys(ack!).sort(), ['dedup_key', 'event_action', 'routing_key']);
  assert.equal(resolve!.event_action, 'resolve');
  const payload = trigger!.payload as { custom_details: Record<string, unknown>; component: string; class: string };
  assert.equal(payload.component, 'payment-service', 'the top suspected root cause');
  assert.equal(payload.class, 'bad-deploy');
  assert.match(String(payload.custom_details.suspected_root_cause), /v2\.4\.1 deployed/);
  assert.deepEqual((trigger!.links as Array<{ href: string }>)[0]?.href, `https://vigil.example.com/incidents/${incident.id}`);
});

void test('pagerduty: a refused routing key is permanent and the outcome does not carry it', async () => {
  const receiver = await PagerDutyReceiver.start();
  receiver.http.script.push(400);
  const [channel] = createChannels([{ name: 'pager', type: 'pagerduty', routingKey, url: receiver.url() }]) as [NotificationChannel];
  const outcome = await channel.send(buildIncidentMessage({ event: 'opened', seq: 1, atMs: at(0), incident }), { attempt: 1, nowMs: Date.now() });
  await receiver.close();
  assert.equal(outcome.ok, false);
  assert.equal(!outcome.ok && outcome.retryable, false);
  assert.ok(!JSON.stringify(outcome).includes(routingKey));
});

void test('opsgenie: one alert per alias: created once, deduped, acknowledged by the actor, closed', async () => {
  const receiver = await OpsgenieReceiver.start(genieKey);
  const [channel] = createChannels([
    { name: 'og', type: 'opsgenie', apiKey: genieKey, url: receiver.url(), responders: [{ type: 'team', name: 'payments' }], tags: ['shop'] },
  ]) as [NotificationChannel];
  const states: string[] = [];
  await sendLife(channel, () => {
    const a = [...receiver.alerts.values()][0];
    states.push(a ? `${a.status}${a.acknowledged ? '+ack' : ''}` : 'none');
  });
  await receiver.close();
  assert.deepEqual(states, ['open', 'open', 'open', 'open+ack', 'closed+ack']);
  const [alias, alert] = [...receiver.alerts.entries()][0]!;
  assert.equal(alias, `vigil-${incident.id}`);
  assert.equal(alert.count, 3);
  assert.equal(alert.priority, 'P3', 'medium at opening');
  assert.ok(alert.message.length <= 130);
  const requests = receiver.http.accepted();
  assert.deepEqual(
    requests.map((r) => r.path.split('?')[0]!.replace(alias, 'ALIAS')),
    ['/v2/alerts', '/v2/alerts', '/v2/alerts', '/v2/alerts/ALIAS/acknowledge', '/v2/alerts/ALIAS/close'],
  );
  assert.equal(JSON.parse(requests[3]!.body).user, 'alice');
  const created = JSON.parse(requests[0]!.body) as { tags: string[]; responders: unknown[]; details: Record<string, string> };
  assert.ok(created.tags.includes('shop') && created.tags.includes('severity:medium'));
  assert.deepEqual(created.responders, [{ type: 'team', name: 'payments' }]);
  assert.equal(created.details.idempotencyKey, `${incident.id}:opened:1`);
});

void test('opsgenie: a wrong GenieKey is refused (401, permanent) and neither key shows in the outcome', async () => {
  const receiver = await OpsgenieReceiver.start(genieKey);
  const wrongKey = 'ffffffff-0000-4000-8000-wrongwrongwr';
  const [channel] = createChannels([{ name: 'og', type: 'opsgenie', apiKey: wrongKey, url: receiver.url() }]) as [NotificationChannel];
  const outcome = await channel.send(buildIncidentMessage({ event: 'opened', seq: 1, atMs: at(0), incident }), { attempt: 1, nowMs: Date.now() });
  await receiver.close();
  assert.equal(outcome.ok, false);
  assert.equal(!outcome.ok && outcome.status, 401);
  assert.equal(!outcome.ok && outcome.retryable, false);
  assert.ok(!JSON.stringify(outcome).includes(wrongKey) && !JSON.stringify(outcome).includes(genieKey));
});
