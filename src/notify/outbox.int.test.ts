// The outbox against a real HTTP receiver on 127.0.0.1: retries, restarts mid-outbox, no
// duplicates after a restart, isolation of a dead channel, dead letters.
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { ChannelConfig } from './config.js';
import { createChannels } from './create-channels.js';
import { Outbox, type DeadLetter, type DeliveryEvent, type OutboxOptions } from './outbox.js';
import { verifyWebhookSignature } from './signature.js';
import { fixtureMessage } from './testing/fixtures.js';
import { HttpReceiver } from './testing/http-receiver.js';

const secret = 'outbox-test-secret-0123';
const fastRetry = { maxAttempts: 5, backoffBaseMs: 10, backoffMaxMs: 40 };
let dir: string;
let receivers: HttpReceiver[] = [];
let outboxes: Outbox[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-outbox-'));
});
afterEach(async () => {
  for (const o of outboxes) await o.stop();
  for (const r of receivers) await r.close();
  outboxes = [];
  receivers = [];
  await rm(dir, { recursive: true, force: true });
});

async function receiver(): Promise<HttpReceiver> {
  const r = await HttpReceiver.start();
  receivers.push(r);
  return r;
}

const hook = (name: string, r: HttpReceiver): ChannelConfig => ({ name, type: 'webhook', url: r.url(`/${name}`), secret });

function outbox(configs: ChannelConfig[], options: Partial<OutboxOptions> = {}): Outbox {
  const o = new Outbox({ directory: dir, channels: createChannels(configs, { timeoutMs: 2_000 }), retry: fastRetry, seed: 1, ...options });
  outboxes.push(o);
  return o;
}

const nextDelivery = (o: Outbox): Promise<DeliveryEvent> =>
  new Promise((resolve) => {
    const off = o.onDelivered((e) => {
      off();
      resolve(e);
    });
  });

/** The [channel, error] of each dead letter a new outbox over the same directory, with `configs`, finds on start. */
async function deadLettersOnRestart(configs: ChannelConfig[]): Promise<string[][]> {
  const restarted = outbox(configs);
  await restarted.start();
  return restarted.deadLetters().map((d) => [d.channel, d.error]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

void test('retries after the receiver fails twice, with the same idempotency key and a valid signature', async () => {
  const r = await receiver();
  r.script.push(503, 500);
  const o = outbox([hook('bridge', r)]);
  await o.start();
  const delivered = nextDelivery(o);
  const message = fixtureMessage('opened', 1, 31);
  assert.deepEqual(await o.enqueue(message, ['bridge']), [`${message.idempotencyKey}@bridge`]);
  const event = await delivered;
  assert.equal(event.attempts, 3);
  assert.equal(event.channelType, 'webhook');
  assert.deepEqual(
    r.requests.map((q) => q.status),
    [503, 500, 200],
  );
  assert.deepEqual(
    r.requests.map((q) => q.headers['x-vigil-attempt']),
    ['1', '2', '3'],
  );
  assert.ok(r.requests.every((q) => q.headers['idempotency-key'] === message.idempotencyKey));
  const last = r.requests[2]!;
  assert.ok(
    verifyWebhookSignature({
      secret,
      body: last.body,
      signature: last.headers['x-vigil-signature'] as string,
      timestamp: last.headers['x-vigil-timestamp'] as string,
      nowMs: Date.now(),
    }),
  );
  assert.deepEqual(o.stats().bridge, { type: 'webhook', pending: 0, delivered: 1, dead: 0, lastError: 'HTTP 500: receiver failure' });
});

void test('a message pending when the outbox stops is delivered by the next outbox on the same directory', async () => {
  const r = await receiver();
  r.defaultStatus = 503;
  const first = outbox([hook('bridge', r)], { retry: { maxAttempts: 10, backoffBaseMs: 60_000, backoffMaxMs: 60_000 } });
  await first.start();
  const message = fixtureMessage('opened', 1, 32);
  await first.enqueue(message, ['bridge']);
  await r.waitUntil((x) => x.requests.length === 1);
  await first.stop();
  assert.equal(first.pendingCount(), 1);

  r.defaultStatus = 200;
  // A crash may also tear the last journal line; the next start must shrug it off.
  await appendFile(join(dir, 'outbox.jsonl'), '{"t":"attempted","id":"x');
  const second = outbox([hook('bridge', r)], { now: () => Date.now() + 120_000 });
  const delivered = nextDelivery(second);
  await second.start();
  const event = await delivered;
  assert.equal(event.message.idempotencyKey, message.idempotencyKey);
  assert.equal(event.attempts, 2, 'the attempt count survives the restart');
  assert.equal(r.accepted().length, 1);
});

void test('no duplicate after a restart when the delivery had succeeded, even if the message is enqueued again', async () => {
  const r = await receiver();
  const first = outbox([hook('bridge', r)]);
  await first.start();
  const message = fixtureMessage('opened', 1, 33);
  const delivered = nextDelivery(first);
  await first.enqueue(message, ['bridge']);
  await delivered;
  await first.stop();

  const second = outbox([hook('bridge', r)]);
  await second.start();
  assert.deepEqual(await second.enqueue(message, ['bridge']), [], 'already delivered: not queued again');
  await sleep(150);
  assert.equal(r.requests.length, 1);
  assert.equal(second.pendingCount(), 0);
  const journal = await readFile(join(dir, 'outbox.jsonl'), 'utf8');
  assert.equal(journal.trim().split('\n').length, 1, 'compacted to one delivered tombstone');
});

void test('a dead channel does not block the others, and ends in the dead letters', async () => {
  const live = await receiver();
  const down = await receiver();
  down.defaultStatus = 503;
  const o = outbox([hook('down', down), hook('live', live)], { retry: { maxAttempts: 3, backoffBaseMs: 20, backoffMaxMs: 50 } });
  const dead: DeadLetter[] = [];
  o.onDead((d) => dead.push(d));
  await o.start();
  for (let seq = 1; seq <= 5; seq++) await o.enqueue(fixtureMessage('updated', seq, 34), ['down', 'live']);
  await live.waitUntil((x) => x.accepted().length === 5, 5_000);
  // Not blocked: the live channel had everything while the dead one was still retrying (each of its
  // messages waits out two backoffs before it is dead). Timed in order, not in milliseconds, so a
  // busy machine cannot fail it.
  const deadWhenLiveDone = dead.length;
  assert.deepEqual(
    live.accepted().map((q) => q.headers['idempotency-key']),
    [1, 2, 3, 4, 5].map((seq) => fixtureMessage('updated', seq, 34).idempotencyKey),
    'in enqueue order',
  );
  await down.waitUntil((x) => x.requests.length === 15, 5_000);
  // The fifth dead letter is recorded just after the last answer: wait for it, do not guess how long.
  for (const t0 = Date.now(); dead.length < 5 && Date.now() - t0 < 5_000;) await sleep(10);
  assert.equal(dead.length, 5);
  assert.ok(dead.every((d) => d.channel === 'down' && d.attempts === 3 && d.error.startsWith('HTTP 503')));
  assert.equal(o.deadLetters().length, 5);
  assert.ok(deadWhenLiveDone < 5, `the live channel waited for the dead one (${deadWhenLiveDone} dead letters when it finished)`);
});

void test('a permanent rejection is dead after one attempt, and can be redelivered', async () => {
  const r = await receiver();
  r.script.push(400);
  const o = outbox([hook('bridge', r)]);
  await o.start();
  const dead = new Promise<DeadLetter>((resolve) => o.onDead(resolve));
  const [id] = await o.enqueue(fixtureMessage('opened', 1, 35), ['bridge']);
  assert.equal((await dead).attempts, 1);
  const delivered = nextDelivery(o);
  assert.equal(await o.redeliver(id!), true);
  assert.equal((await delivered).deliveryId, id);
  assert.equal(r.accepted().length, 1);
});

void test('dead letters survive a restart', async () => {
  const r = await receiver();
  r.script.push(400);
  const first = outbox([hook('bridge', r)]);
  await first.start();
  const dead = new Promise<DeadLetter>((resolve) => first.onDead(resolve));
  await first.enqueue(fixtureMessage('opened', 1, 36), ['bridge']);
  await dead;
  await first.stop();
  assert.deepEqual(await deadLettersOnRestart([hook('bridge', r)]), [['bridge', 'HTTP 400: receiver failure']]);
});

void test('a pending delivery for a channel removed from config becomes a dead letter on start', async () => {
  const r = await receiver();
  r.defaultStatus = 503;
  const first = outbox([hook('old', r)], { retry: { maxAttempts: 10, backoffBaseMs: 60_000, backoffMaxMs: 60_000 } });
  await first.start();
  await first.enqueue(fixtureMessage('opened', 1, 37), ['old']);
  await r.waitUntil((x) => x.requests.length === 1);
  await first.stop();
  assert.deepEqual(await deadLettersOnRestart([hook('new', r)]), [['old', 'channel is no longer configured']]);
});

void test('enqueue rejects unknown channels and a stopped outbox with stable codes', async () => {
  const r = await receiver();
  const o = outbox([hook('bridge', r)]);
  await assert.rejects(o.enqueue(fixtureMessage(), ['bridge']), { code: 'VIGIL_NOTIFY_OUTBOX_STOPPED' });
  await o.start();
  await assert.rejects(o.enqueue(fixtureMessage(), ['bridge', 'nope']), { code: 'VIGIL_NOTIFY_UNKNOWN_CHANNEL' });
  await o.stop();
  await assert.rejects(o.enqueue(fixtureMessage(), ['bridge']), { code: 'VIGIL_NOTIFY_OUTBOX_STOPPED' });
  assert.equal(r.requests.length, 0);
});

void test('compacts the journal while running without losing pending deliveries', async () => {
  const live = await receiver();
  const down = await receiver();
  down.defaultStatus = 503;
  const slowRetry = { maxAttempts: 10, backoffBaseMs: 60_000, backoffMaxMs: 60_000 };
  const first = outbox([hook('live', live), hook('down', down)], { compactEvery: 7, retry: slowRetry });
  await first.start();
  for (let seq = 1; seq <= 20; seq++) await first.enqueue(fixtureMessage('updated', seq, 38), ['live', 'down']);
  await live.waitUntil((x) => x.accepted().length === 20);
  await down.waitUntil((x) => x.requests.length >= 1);
  await first.stop();
  const lines = (await readFile(join(dir, 'outbox.jsonl'), 'utf8')).trim().split('\n');
  // Uncompacted: 40 enqueued + 20 delivered + the attempts; compaction keeps 20 tombstones + 20 pending
  // plus what came after the last compaction.
  assert.ok(lines.length < 60, `journal has ${lines.length} lines`);

  down.defaultStatus = 200;
  // The retries were scheduled a minute out: start the next outbox two minutes later.
  const second = outbox([hook('live', live), hook('down', down)], { now: () => Date.now() + 120_000 });
  await second.start();
  assert.equal(second.pendingCount(), 20, 'every undelivered message survived compaction');
  await down.waitUntil((x) => x.accepted().length === 20);
  assert.equal(live.accepted().length, 20, 'nothing delivered twice');
});

void test('a failing channel pauses instead of hammering the receiver, and keeps message order when it recovers', async () => {
  const r = await receiver();
  r.script.push(503, 503);
  const o = outbox([hook('bridge', r)]);
  await o.start();
  const keys = [1, 2, 3].map((seq) => fixtureMessage('updated', seq, 39).idempotencyKey);
  for (let seq = 1; seq <= 3; seq++) await o.enqueue(fixtureMessage('updated', seq, 39), ['bridge']);
  await r.waitUntil((x) => x.accepted().length === 3);
  assert.deepEqual(
    r.requests.map((q) => [q.headers['idempotency-key'], q.status]),
    [
      [keys[0], 503],
      [keys[0], 503],
      [keys[0], 200],
      [keys[1], 200],
      [keys[2], 200],
    ],
  );
});
