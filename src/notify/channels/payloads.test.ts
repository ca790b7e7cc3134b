import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildIncidentMessage } from '../message.js';
import { messageColor, resolvedColor, severityColor } from '../render.js';
import { fixtureIncident, fixtureMessage } from '../testing/fixtures.js';
import { emailContent } from './email.js';
import { mattermostPayload } from './mattermost.js';
import { slackPayload } from './slack.js';
import { teamsPayload } from './teams.js';
import { webhookBody } from './webhook.js';

const opened = fixtureMessage('opened', 1);
const acked = fixtureMessage('acknowledged', 2, 1, 'alice');
/** What a developer on call must see in the first message, whatever the channel. */
const essentials = [
  'payment-service errors 15% after deploy v2.4.1', // title
  'bad-deploy in payment-service', // top root cause
  '412 (7.3%)', // affected users
  'connection timeout acquiring pool connection', // error group
  '4bf92f35', // example trace
  'v2.4.1', // the deploy that lines up
  'https://runbooks.example.com/payment-service/pool',
  `https://vigil.example.com/incidents/${opened.incident.id}`,
];

const assertEssentials = (text: string, channel: string) => {
  for (const e of essentials) assert.ok(text.includes(e), `${channel} payload lacks "${e}"`);
};

void test('slack: header and summary blocks plus a coloured attachment with the context', () => {
  const p = slackPayload(opened) as { text: string; blocks: Array<{ type: string }>; attachments: Array<{ color: string; blocks: unknown[] }> };
  assert.equal(p.text, opened.headline);
  assert.deepEqual(
    p.blocks.map((b) => b.type),
    ['header', 'section'],
  );
  assert.equal(p.attachments[0]?.color, '#E8590C');
  assertEssentials(JSON.stringify(p), 'slack');
});

void test('slack: state changes are one compact line linking the incident; mrkdwn is escaped', () => {
  const p = slackPayload(acked) as { text: string; blocks: unknown[]; attachments?: unknown };
  assert.equal(p.attachments, undefined);
  assert.equal(p.blocks.length, 1);
  assert.match(p.text, /acknowledged by alice/);
  assert.match(JSON.stringify(p), /<https:\/\/vigil\.example\.com\/incidents\/[^|]+\|incident /);
  const nasty = fixtureMessage('opened');
  nasty.incident.severityReason = '<!channel> & friends';
  assert.match(JSON.stringify(slackPayload(nasty)), /&lt;!channel&gt; &amp; friends/);
});

void test('mattermost: markdown text and a Slack-style attachment with fields and a title link', () => {
  const p = mattermostPayload(opened, { username: 'vigil' }) as {
    username: string;
    attachments: Array<{ title_link: string; fields: Array<{ title: string }> }>;
  };
  assert.equal(p.username, 'vigil');
  assert.equal(p.attachments[0]?.title_link, opened.links.incident);
  assert.ok(p.attachments[0]?.fields.some((f) => f.title === 'Top suspected root cause'));
  assertEssentials(JSON.stringify(p).replace(/\\\\/g, ''), 'mattermost');
  const update = mattermostPayload(acked) as { text: string; attachments?: unknown };
  assert.equal(update.attachments, undefined);
});

void test('teams: an Adaptive Card in a message envelope, with facts and an open-incident action', () => {
  const p = teamsPayload(opened) as {
    type: string;
    attachments: Array<{ contentType: string; content: { type: string; body: Array<{ type: string }>; actions: Array<{ url: string }> } }>;
  };
  assert.equal(p.type, 'message');
  const card = p.attachments[0]!;
  assert.equal(card.contentType, 'application/vnd.microsoft.card.adaptive');
  assert.equal(card.content.type, 'AdaptiveCard');
  assert.ok(card.content.body.some((b) => b.type === 'FactSet'));
  assert.equal(card.content.actions[0]?.url, opened.links.incident);
  assertEssentials(JSON.stringify(p).replace(/\\\\/g, ''), 'teams');
});

void test('webhook: the whole message with its idempotency key', () => {
  const body = webhookBody(opened);
  assert.equal(body.version, 1);
  assert.equal(body.idempotencyKey, `${opened.incident.id}:opened:1`);
  assert.deepEqual(body.message, opened);
});

void test('email: subject, text and HTML, updates threaded under the opening message', () => {
  const first = emailContent(opened, 'Vigil <vigil@example.com>');
  assert.equal(first.subject, `[Vigil] ${opened.headline}`);
  assert.equal(first.messageId, `<incident-${opened.incident.id}@example.com>`);
  assert.equal(first.inReplyTo, undefined);
  assertEssentials(first.text, 'email text');
  assertEssentials(first.html, 'email html');
  const update = emailContent(acked, 'vigil@example.com');
  assert.equal(update.inReplyTo, first.messageId);
  assert.notEqual(update.messageId, first.messageId);
});

void test('a bare incident (no root cause, no context, no base URL) renders on every channel', () => {
  const bare = buildIncidentMessage({ event: 'opened', seq: 1, atMs: 0, incident: fixtureIncident(9, { services: ['search'] }) });
  for (const payload of [slackPayload(bare), mattermostPayload(bare), teamsPayload(bare)]) {
    const text = JSON.stringify(payload);
    assert.ok(text.includes(bare.incident.title) && !text.includes('undefined'), text);
  }
  const mail = emailContent(bare, 'vigil@example.com');
  assert.ok(mail.text.includes('Services:\nsearch') && !mail.html.includes('undefined'));
});

void test('resolved and all-clear use the resolved colour, other events the severity colour', () => {
  assert.equal(messageColor(fixtureMessage('resolved', 9)), resolvedColor);
  assert.equal(messageColor({ ...fixtureMessage('opened'), event: 'all-clear' }), resolvedColor);
  assert.equal(messageColor(fixtureMessage('opened')), severityColor.high);
});
