// The notifier end to end against real local receivers: routing, escalation in event time,
// updates to every channel told before, and state that survives a restart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silencesCovering } from '../silences/index.js';
import { silenceOf } from '../silences/testing/silences.js';
import { parseNotifyConfig, type NotifyConfig } from './config.js';
import { describeDelivery, type EscalationGate, type Notifier } from './notifier.js';
import { fixtureContext, fixtureIncident, fixtureRootCauses } from './testing/fixtures.js';
import type { HttpReceiver } from './testing/http-receiver.js';
import { ReceiverPair } from './testing/receiver-pair.js';

const minute = 60_000;
const t0 = Date.UTC(2026, 0, 15, 9, 1, 10);
const receivers = ReceiverPair.perTest('vigil-notifier-');

function config(levels: Array<{ afterMinutes: number; channels: string[] }> = [{ afterMinutes: 5, channels: ['pager'] }]): NotifyConfig {
  return parseNotifyConfig({
    channels: receivers.channels(),
    routes: [{ services: ['payment-*'], minSeverity: 'medium', channels: ['team'], escalation: 'standard' }],
    escalation: [{ name: 'standard', levels }],
    retry: { maxAttempts: 3, backoffBaseMs: 10, backoffMaxMs: 20 },
    baseUrl: 'https://vigil.example.com',
  });
}

function notifier(c: NotifyConfig = config()): Notifier {
  return receivers.notifier(c, 3);
}

const incident = fixtureIncident(5, { detectedAtMs: t0 });

/** A started notifier paging at 5 and again at 15 minutes, told the incident opened at t0. */
async function openedWithTwoLevels(): Promise<Notifier> {
  const n = notifier(
    config([
      { afterMinutes: 5, channels: ['pager'] },
      { afterMinutes: 15, channels: ['pager'] },
    ]),
  );
  await n.start();
  await n.notify({ event: 'opened', incident, atMs: t0 });
  return n;
}
const keyOf = (r: HttpReceiver, i: number) => r.accepted()[i]?.headers['idempotency-key'];

void test('opens to the routed channel, escalates when unacknowledged in event time, updates every channel told', async () => {
  const n = notifier();
  const timeline: string[] = [];
  n.onDelivered((e) => timeline.push(describeDelivery(e)));
  await n.start();
  assert.deepEqual(
    await n.notify({ event: 'opened', incident, atMs: t0, rootCauses: fixtureRootCauses(), context: fixtureContext() }),
    [],
    'the opening burst gathers',
  );
  const [opened] = await n.tick(t0 + 5_000);
  assert.deepEqual(opened?.channels, ['team']);
  assert.equal(opened.message.idempotencyKey, `${incident.id}:opened:1`);
  await receivers.team.waitUntil((r) => r.accepted().length === 1);

  assert.deepEqual(await n.tick(t0 + 5 * minute - 1), [], 'not due yet');
  assert.equal(n.nextEscalationAtMs(), t0 + 5 * minute);
  const [escalation] = await n.tick(t0 + 5 * minute);
  assert.deepEqual(escalation?.channels, ['pager']);
  await receivers.pager.waitUntil((r) => r.accepted().length === 1);
  const body = JSON.parse(receivers.pager.accepted()[0]!.body) as {
    event: string;
    message: { escalation: { level: number }; rootCauses: Array<{ kind: string }> };
  };
  assert.equal(body.event, 'escalated');
  assert.equal(body.message.escalation.level, 1);
  assert.equal(body.message.rootCauses[0]?.kind, 'bad-deploy', 'the escalation carries the context');

  const [ack] = await n.notify({ event: 'acknowledged', incident: { ...incident, status: 'acknowledged' }, atMs: t0 + 6 * minute, actor: 'alice' });
  assert.deepEqual(ack?.channels, ['team', 'pager'], 'the escalation target hears the acknowledgement too');
  await receivers.pager.waitUntil((r) => r.accepted().length === 2);
  await receivers.team.waitUntil((r) => r.accepted().length === 2);
  assert.equal(keyOf(receivers.team, 1), `${incident.id}:acknowledged:3`);
  // The receiver answers before the outbox journals the delivery and tells its listeners.
  for (let i = 0; i < 100 && timeline.length < 4; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual([...timeline].sort(), [
    'notified pager via webhook (acknowledged)',
    'notified pager via webhook (escalated)',
    'notified team via slack (acknowledged)',
    'notified team via slack (opened)',
  ]);
});

void test('acknowledged in time: no escalation', async () => {
  const n = notifier();
  await n.start();
  await n.notify({ event: 'opened', incident, atMs: t0 });
  await n.notify({ event: 'acknowledged', incident: { ...incident, status: 'acknowledged' }, atMs: t0 + 4 * minute });
  assert.deepEqual(await n.tick(t0 + 60 * minute), []);
  await receivers.team.waitUntil((r) => r.accepted().length === 2);
  assert.equal(receivers.pager.requests.length, 0);
});

void test('after a restart, escalation still falls due and sequence numbers continue', async () => {
  const first = notifier();
  await first.start();
  await first.notify({ event: 'opened', incident, atMs: t0 });
  await first.tick(t0 + 5_000);
  await receivers.team.waitUntil((r) => r.accepted().length === 1);
  await first.stop();

  const second = notifier();
  await second.start();
  const [escalation] = await second.tick(t0 + 5 * minute);
  assert.equal(escalation?.message.idempotencyKey, `${incident.id}:escalated:2`);
  const [resolved] = await second.notify({
    event: 'resolved',
    incident: { ...incident, status: 'resolved', resolvedAtMs: t0 + 9 * minute },
    atMs: t0 + 9 * minute,
  });
  assert.equal(resolved?.message.seq, 3);
  assert.deepEqual(resolved.channels, ['team', 'pager']);
  await receivers.pager.waitUntil((r) => r.accepted().length === 2);
  await receivers.team.waitUntil((r) => r.accepted().length === 2);
  assert.equal(receivers.team.requests.length, 2, 'the opening was not sent again');
});

void test('a silence begun after the page stops the escalation levels due under it; after it expires the next level is sent', async () => {
  const n = await openedWithTwoLevels();
  await n.tick(t0 + 5_000);
  await receivers.team.waitUntil((r) => r.accepted().length === 1);

  // The pipeline's gate: the silence rule of src/silences on the incident's signals, at the moment a level is due.
  const silence = silenceOf('payment-service', t0 + 2 * minute, t0 + 10 * minute);
  const signals = [{ kind: 'error-rate' as const, subject: { service: 'payment-service' }, status: 'firing' as const }];
  const asked: number[] = [];
  const gate: EscalationGate = (id, dueAtMs) => {
    asked.push(dueAtMs);
    assert.equal(id, incident.id);
    return silencesCovering({ services: incident.services, signals }, [silence], dueAtMs).map((s) => s.id);
  };

  assert.deepEqual(await n.tick(t0 + 5 * minute, undefined, gate), [], 'level 1 falls due under the silence: not sent');
  assert.deepEqual(asked, [t0 + 5 * minute]);
  assert.equal(n.nextEscalationAtMs(), t0 + 15 * minute, 'the silenced level is spent, not postponed');
  assert.deepEqual(await n.tick(t0 + 10 * minute, undefined, gate), [], 'the silence expiring sends nothing by itself');

  const [escalation] = await n.tick(t0 + 15 * minute, undefined, gate);
  assert.deepEqual(escalation?.channels, ['pager'], 'the next level goes out once the silence has expired');
  assert.equal(escalation.message.escalation?.level, 2);
  await receivers.pager.waitUntil((r) => r.accepted().length === 1);
  assert.equal(receivers.pager.requests.length, 1, 'the pager never heard of level 1');
});

void test('a gate that does not cover the incident changes nothing; acknowledging still stops escalation', async () => {
  const n = await openedWithTwoLevels();
  const open: EscalationGate = () => [];
  const [, escalation] = await n.tick(t0 + 5 * minute, undefined, open);
  assert.equal(escalation?.message.escalation?.level, 1);
  await n.notify({ event: 'acknowledged', incident: { ...incident, status: 'acknowledged' }, atMs: t0 + 6 * minute });
  assert.deepEqual(await n.tick(t0 + 60 * minute, undefined, open), []);
});
