// The channel port's shared contract, run against every registered channel type with a real
// local receiver (HTTP on 127.0.0.1, or SMTP via smtp-server). A new channel type must add a
// harness here, or the registry test below fails.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { NotificationChannel } from '../channel.js';
import type { ChannelConfig } from '../config.js';
import { createChannels } from '../create-channels.js';
import { signatureHeader, timestampHeader, verifyWebhookSignature } from '../signature.js';
import { fixtureMessage } from '../testing/fixtures.js';
import { HttpReceiver } from '../testing/http-receiver.js';
import { OpsgenieReceiver, PagerDutyReceiver } from '../testing/paging-receivers.js';
import { SmtpReceiver } from '../testing/smtp-receiver.js';
import { channelRegistry } from './registry.js';

const token = 'SECRET-TOKEN-4242';
const secret = 'shared-secret-0123456789';

interface Received {
  text: string;
  idempotencyKey: string | undefined;
}

interface Harness {
  start(): Promise<void>;
  config(name: string): ChannelConfig;
  /** A config pointing at a port where nothing listens. */
  unreachable(name: string, port: number): ChannelConfig;
  received(): Received[];
  failNext(kind: 'temporary' | 'permanent'): void;
  close(): Promise<void>;
  /** The credential that must never show in an outcome (default: the token in the URL). */
  secret?: string;
}

function httpHarness(build: (name: string, url: string) => ChannelConfig): Harness {
  let receiver: HttpReceiver | undefined;
  const r = () => receiver ?? assert.fail('receiver not started');
  return {
    async start() {
      receiver = await HttpReceiver.start();
    },
    config: (name) => build(name, r().url(`/hooks/${token}`)),
    unreachable: (name, port) => build(name, `http://127.0.0.1:${port}/hooks/${token}`),
    received: () =>
      r()
        .accepted()
        .map((q) => ({ text: q.body, idempotencyKey: q.headers['idempotency-key'] as string | undefined })),
    failNext: (kind) => r().script.push(kind === 'temporary' ? 503 : 400),
    close: () => r().close(),
  };
}

function smtpHarness(): Harness {
  let receiver: SmtpReceiver | undefined;
  const r = () => receiver ?? assert.fail('receiver not started');
  const build = (name: string, port: number): ChannelConfig => ({
    name,
    type: 'email',
    smtp: { host: '127.0.0.1', port, secure: false, from: 'vigil@example.com', pass: token },
    to: ['oncall@example.com'],
  });
  return {
    async start() {
      receiver = await SmtpReceiver.start();
    },
    config: (name) => build(name, r().port),
    unreachable: (name, port) => build(name, port),
    received: () => r().mails.map((m) => ({ text: `${m.subject}\n${m.decoded}`, idempotencyKey: m.header('x-vigil-idempotency-key') })),
    failNext: (kind) => r().rejectScript.push(kind === 'temporary' ? 451 : 550),
    close: () => r().close(),
  };
}

/** PagerDuty's routing key travels in the body: 32 characters, as the real service demands. */
const routingKey = 'R0UT1NGk3y0123456789abcdefABCDEF';

function pagerDutyHarness(): Harness {
  let receiver: PagerDutyReceiver | undefined;
  const r = () => receiver ?? assert.fail('receiver not started');
  const build = (name: string, url: string): ChannelConfig => ({ name, type: 'pagerduty', routingKey, url });
  return {
    async start() {
      receiver = await PagerDutyReceiver.start();
    },
    config: (name) => build(name, r().url()),
    unreachable: (name, port) => build(name, `http://127.0.0.1:${port}/v2/enqueue`),
    received: () =>
      r()
        .events()
        .map((e) => ({
          text: JSON.stringify(e),
          idempotencyKey: (e.payload as { custom_details?: { idempotency_key?: string } } | undefined)?.custom_details?.idempotency_key,
        })),
    failNext: (kind) => r().http.script.push(kind === 'temporary' ? 429 : 400),
    close: () => r().close(),
    secret: routingKey,
  };
}

function opsgenieHarness(): Harness {
  let receiver: OpsgenieReceiver | undefined;
  const r = () => receiver ?? assert.fail('receiver not started');
  const build = (name: string, url: string): ChannelConfig => ({ name, type: 'opsgenie', apiKey: token, url });
  return {
    async start() {
      receiver = await OpsgenieReceiver.start(token);
    },
    config: (name) => build(name, r().url()),
    unreachable: (name, port) => build(name, `http://127.0.0.1:${port}`),
    received: () =>
      r()
        .http.accepted()
        .map((q) => ({ text: q.body, idempotencyKey: (JSON.parse(q.body) as { details?: { idempotencyKey?: string } }).details?.idempotencyKey })),
    failNext: (kind) => r().http.script.push(kind === 'temporary' ? 503 : 422),
    close: () => r().close(),
  };
}

const harnesses: Record<string, () => Harness> = {
  slack: () => httpHarness((name, url) => ({ name, type: 'slack', url })),
  mattermost: () => httpHarness((name, url) => ({ name, type: 'mattermost', url })),
  teams: () => httpHarness((name, url) => ({ name, type: 'teams', url })),
  webhook: () => httpHarness((name, url) => ({ name, type: 'webhook', url, secret })),
  email: smtpHarness,
  pagerduty: pagerDutyHarness,
  opsgenie: opsgenieHarness,
};

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 1;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const attempt = (nowMs = Date.now()) => ({ attempt: 1, nowMs });

void test('every registered channel type has a contract harness', () => {
  assert.deepEqual(
    channelRegistry.map((f) => f.type).filter((t) => !(t in harnesses)),
    [],
  );
});

for (const type of Object.keys(harnesses)) {
  void describe(`channel contract: ${type}`, () => {
    const harness = harnesses[type]!();
    let channel: NotificationChannel;
    before(async () => {
      await harness.start();
      [channel] = createChannels([harness.config(`${type}-1`)], { timeoutMs: 2_000 }) as [NotificationChannel];
    });
    after(async () => {
      await channel.close?.();
      await harness.close();
    });

    void test('delivers a message the receiver can read, with the idempotency key', async () => {
      const before = harness.received().length;
      const message = fixtureMessage('opened', 1, 11);
      const outcome = await channel.send(message, attempt());
      assert.equal(outcome.ok, true, JSON.stringify(outcome));
      const got = harness.received().slice(before);
      assert.equal(got.length, 1);
      assert.ok(got[0]!.text.includes('payment-service errors 15%'), 'names the incident');
      assert.equal(got[0]!.idempotencyKey, message.idempotencyKey);
    });

    void test('a temporary receiver failure is retryable', async () => {
      harness.failNext('temporary');
      const outcome = await channel.send(fixtureMessage('updated', 2, 11), attempt());
      assert.equal(outcome.ok, false);
      assert.equal(!outcome.ok && outcome.retryable, true);
    });

    void test('a permanent rejection is not retried', async () => {
      harness.failNext('permanent');
      const outcome = await channel.send(fixtureMessage('updated', 3, 11), attempt());
      assert.equal(outcome.ok, false);
      assert.equal(!outcome.ok && outcome.retryable, false);
    });

    void test('an unreachable receiver is retryable and the error carries no secret', async () => {
      const [dead] = createChannels([harness.unreachable(`${type}-dead`, await closedPort())], { timeoutMs: 2_000 }) as [NotificationChannel];
      const outcome = await dead.send(fixtureMessage('opened', 1, 12), attempt());
      await dead.close?.();
      assert.equal(outcome.ok, false);
      assert.ok(!outcome.ok && outcome.retryable);
      assert.ok(!JSON.stringify(outcome).includes(harness.secret ?? token), `error leaks the secret: ${JSON.stringify(outcome)}`);
    });
  });
}

void describe('channel specifics against real receivers', () => {
  void test('webhook: the receiver verifies the HMAC signature with the shared secret', async () => {
    const receiver = await HttpReceiver.start();
    const [channel] = createChannels([{ name: 'bridge', type: 'webhook', url: receiver.url('/in'), secret, headers: { 'x-team': 'payments' } }]);
    const nowMs = Date.now();
    const outcome = await channel!.send(fixtureMessage('opened', 1, 21), { attempt: 1, nowMs });
    await receiver.close();
    assert.equal(outcome.ok, true);
    const req = receiver.requests[0]!;
    const input = { secret, body: req.body, signature: req.headers[signatureHeader] as string, timestamp: req.headers[timestampHeader] as string, nowMs };
    assert.equal(verifyWebhookSignature(input), true);
    assert.equal(verifyWebhookSignature({ ...input, secret: 'wrong-secret-0123456789' }), false);
    assert.equal(req.headers['x-team'], 'payments');
    assert.equal(req.headers['content-type'], 'application/json');
    const body = JSON.parse(req.body) as { event: string; message: { incident: { services: string[] }; rootCauses: unknown[] } };
    assert.equal(body.event, 'opened');
    assert.deepEqual(body.message.incident.services, ['payment-service', 'checkout', 'frontend']);
    assert.equal(body.message.rootCauses.length, 2);
  });

  void test('slack: the receiver gets Block Kit JSON with the top root cause', async () => {
    const receiver = await HttpReceiver.start();
    const [channel] = createChannels([{ name: 'ops', type: 'slack', url: receiver.url('/services/T/B/x') }]);
    await channel!.send(fixtureMessage('opened', 1, 22), attempt());
    await receiver.close();
    const body = JSON.parse(receiver.requests[0]!.body) as { blocks: Array<{ type: string }>; attachments: unknown[] };
    assert.equal(body.blocks[0]?.type, 'header');
    assert.match(JSON.stringify(body.attachments), /bad-deploy in payment-service/);
  });

  void test('email: arrives over SMTP with the subject, a text and an HTML part, threaded updates', async () => {
    const receiver = await SmtpReceiver.start();
    const [channel] = createChannels([
      {
        name: 'oncall',
        type: 'email',
        smtp: { host: '127.0.0.1', port: receiver.port, secure: false, from: 'Vigil <vigil@example.com>' },
        to: ['a@example.com', 'b@example.com'],
      },
    ]);
    const opened = fixtureMessage('opened', 1, 23);
    assert.equal((await channel!.send(opened, attempt())).ok, true);
    assert.equal((await channel!.send(fixtureMessage('resolved', 2, 23), attempt())).ok, true);
    await channel!.close?.();
    const [first, second] = await receiver.waitForMails(2);
    await receiver.close();
    assert.equal(first!.subject, `[Vigil] ${opened.headline}`);
    assert.deepEqual(first!.to, ['a@example.com', 'b@example.com']);
    assert.match(first!.raw, /Content-Type: multipart\/alternative/i);
    assert.match(first!.decoded, /connection timeout acquiring pool connection/);
    assert.match(first!.decoded, /<h2/);
    assert.match(second!.subject, /resolved/);
    assert.equal(second!.header('in-reply-to'), first!.header('message-id'));
  });
});
