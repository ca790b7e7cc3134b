// Coalescing against real local receivers: the burst of an opening (opened, root cause, severity
// rises, 50 ms apart) is one message with the last state, sent once the engine clock passes the
// window, never later; lifecycle events flush it; it survives a crash and a graceful stop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNotifyConfig } from './config.js';
import { Notifier } from './notifier.js';
import { fixtureContext, fixtureIncident, fixtureRootCauses } from './testing/fixtures.js';
import type { HttpReceiver } from './testing/http-receiver.js';
import { ReceiverPair } from './testing/receiver-pair.js';

const t0 = Date.UTC(2026, 0, 15, 9, 1, 10);
const receivers = ReceiverPair.perTest('vigil-coalesce-');

function notifier(coalesceMs = 5_000): Notifier {
  const config = parseNotifyConfig({
    channels: receivers.channels(),
    routes: [
      { services: ['payment-*'], channels: ['team'] },
      { services: ['*'], minSeverity: 'critical', channels: ['pager'] },
    ],
    retry: { maxAttempts: 3, backoffBaseMs: 10, backoffMaxMs: 20 },
    coalesceMs,
  });
  return receivers.notifier(config, 5);
}

const opened = fixtureIncident(7, { detectedAtMs: t0, severity: 'medium' });
const bodyOf = (r: HttpReceiver, i: number) =>
  JSON.parse(r.accepted()[i]!.body) as { event: string; message: { headline: string; incident: { severity: string }; rootCauses: unknown[] } };
const settle = () => new Promise((r) => setTimeout(r, 200));

/** What the pipeline hands over as an incident opens: 3 changes within 50 ms of engine time. */
async function openingBurst(n: Notifier): Promise<void> {
  await n.notify({ event: 'opened', incident: opened, atMs: t0, update: 'opened' });
  await n.notify({ event: 'updated', incident: opened, atMs: t0 + 20, rootCauses: fixtureRootCauses(), update: 'root cause ranked' });
  await n.notify({
    event: 'updated',
    incident: { ...opened, severity: 'critical' },
    atMs: t0 + 50,
    context: fixtureContext(),
    update: 'severity medium → critical',
  });
}

void test('an opening and its updates within the window go out as one message: opened, at the last severity', async () => {
  const n = notifier();
  await n.start();
  await openingBurst(n);
  assert.equal(n.nextDueAtMs(), t0 + 5_000);
  assert.deepEqual(await n.tick(t0 + 4_999), [], 'still gathering');
  const sent = await n.tick(t0 + 5_000);
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.message.event, 'opened');
  assert.equal(sent[0]!.message.idempotencyKey, `${opened.id}:opened:1`);
  assert.deepEqual(sent[0]!.channels, ['team', 'pager'], 'routed on the last severity: critical reaches the pager');
  await receivers.team.waitUntil((r) => r.accepted().length === 1);
  await receivers.pager.waitUntil((r) => r.accepted().length === 1);
  await settle();
  assert.equal(receivers.team.requests.length, 1, 'one webhook, not three');
  const body = bodyOf(receivers.pager, 0);
  assert.equal(body.event, 'opened');
  assert.equal(body.message.incident.severity, 'critical');
  assert.match(body.message.headline, /^\[CRITICAL\].*opened/);
  assert.equal(body.message.rootCauses.length, 2, 'the root causes of the second change are kept');
});

void test('a burst that keeps changing is sent one window after its first change, not postponed', async () => {
  const n = notifier();
  await n.start();
  const queued: string[] = [];
  for (let s = 0; s <= 12; s++) {
    const at = t0 + s * 1_000;
    await n.notify({ event: s === 0 ? 'opened' : 'updated', incident: { ...opened, severityReason: `second ${s}` }, atMs: at });
    for (const q of await n.tick(at)) queued.push(`+${s}s ${q.message.event} (${q.message.incident.severityReason})`);
  }
  assert.deepEqual(queued, ['+5s opened (second 5)', '+11s updated (second 11)'], 'the opening at +5 s with the state of +5 s, then the next burst');
  await receivers.team.waitUntil((r) => r.accepted().length === 2);
});

void test('ticking every 2 s (wall clock), the burst goes at the last tick before its window ends, never after', async () => {
  const n = notifier();
  await n.start();
  await openingBurst(n);
  const sentAt: number[] = [];
  for (let t = t0; t <= t0 + 10_000; t += 2_000) if ((await n.tick(t, t + 2_000)).length) sentAt.push(t - t0);
  assert.deepEqual(sentAt, [4_000]);
});

void test('an acknowledgement sends the gathering burst first, then itself', async () => {
  const n = notifier();
  await n.start();
  await n.notify({ event: 'opened', incident: opened, atMs: t0 });
  const sent = await n.notify({ event: 'acknowledged', incident: { ...opened, status: 'acknowledged' }, atMs: t0 + 1_000, actor: 'alice' });
  assert.deepEqual(
    sent.map((s) => s.message.idempotencyKey),
    [`${opened.id}:opened:1`, `${opened.id}:acknowledged:2`],
  );
  await receivers.team.waitUntil((r) => r.accepted().length === 2);
});

void test('coalesceMs 0 sends every change at once', async () => {
  const n = notifier(0);
  await n.start();
  assert.equal((await n.notify({ event: 'opened', incident: opened, atMs: t0 })).length, 1);
  assert.equal((await n.notify({ event: 'updated', incident: opened, atMs: t0 + 10 })).length, 1);
});

void test('a gathering burst survives a crash: the restarted notifier sends it when due', async () => {
  const first = new Notifier({
    config: parseNotifyConfig({ channels: [{ name: 'team', type: 'slack', url: receivers.team.url('/s') }], routes: [{ channels: ['team'] }] }),
    directory: receivers.dir,
    seed: 1,
  });
  await first.start();
  await openingBurst(first);
  await first.outbox.stop(); // the process dies: no graceful flush
  const second = notifier();
  await second.start();
  const [sent] = await second.tick(t0 + 5_000);
  assert.equal(sent?.message.incident.severity, 'critical');
  assert.equal(sent.message.seq, 1);
  await receivers.team.waitUntil((r) => r.accepted().length === 1);
});

void test('a graceful stop sends the gathering burst instead of keeping it for later', async () => {
  const first = notifier();
  await first.start();
  await openingBurst(first);
  await first.stop();
  receivers.forgetNotifiers();
  assert.equal(bodyOf(receivers.pager, 0).message.incident.severity, 'critical');
  const second = notifier();
  await second.start();
  assert.deepEqual(await second.tick(t0 + 60_000), [], 'not sent twice');
  await settle();
  assert.equal(receivers.pager.requests.length, 1);
});

void test('a notifier stopped before its outbox started keeps the burst for the next start', async () => {
  const first = notifier();
  await openingBurst(first);
  await first.stop();
  receivers.forgetNotifiers();
  const second = notifier();
  await second.start();
  const [sent] = await second.tick(t0 + 5_000);
  assert.equal(sent?.message.incident.severity, 'critical');
  await receivers.pager.waitUntil((r) => r.accepted().length === 1);
});
