import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY, incident, MIN, T0 } from '../reviews/testing/incidents.js';
import { correlateTicket, correlateTicketWith, firstTicketTimes, ticketsOf } from './correlation.js';
import { helpDeskAdapters } from './registry.js';
import { freshdeskWebhook, intercomConversationCreated, zendeskTicketCreated, zendeskTrigger } from './testing/help-desk-payloads.js';
import type { Ticket } from './types.js';
import { clipText } from './types.js';

const pay = incident({
  id: '12',
  title: 'Errors on payment after payment 2.3.0 deploy',
  startedAtMs: T0,
  detectedAtMs: T0 + 2 * MIN,
  resolvedAtMs: T0 + 30 * MIN,
  endpoints: [{ service: 'checkout', endpoint: 'POST /checkout' }],
  errorGroups: [{ service: 'payment', message: 'connection timeout acquiring a pool connection', count: 120 }],
  affectedUserSample: ['u-17', 'u-42'],
});
const ticket = (over: Partial<Ticket>): Ticket => ({ id: 't', source: 'api', title: '', timeMs: T0 + MIN, ...over });

void test('a ticket in the window that names a service, an affected customer or the incident’s words correlates', () => {
  assert.deepEqual(correlateTicket(ticket({ title: 'Checkout is broken' }), pay)?.reasons, ['words checkout']);
  assert.deepEqual(correlateTicket(ticket({ title: 'something is off', service: 'Payment' }), pay)?.reasons, ['service Payment']);
  assert.deepEqual(correlateTicket(ticket({ title: 'cannot buy', customer: 'u-42' }), pay)?.reasons, ['customer u-42 is among the affected users']);
  assert.deepEqual(correlateTicket(ticket({ title: 'Timeouts when paying', body: 'Connection timeout on the payments page' }), pay)?.reasons, [
    'words connection, payment, timeout',
  ]);
});

void test('a ticket outside the window, about other things, or filed against another service does not', () => {
  assert.equal(correlateTicket(ticket({ title: 'Checkout is broken', timeMs: T0 - 31 * MIN }), pay), undefined, 'long before the onset');
  assert.equal(correlateTicket(ticket({ title: 'Checkout is broken', timeMs: T0 + 61 * MIN }), pay), undefined, 'long after it was resolved');
  assert.equal(correlateTicket(ticket({ title: 'Invoice PDF shows the wrong font' }), pay), undefined, 'nothing in common');
  assert.equal(correlateTicket(ticket({ title: 'cannot buy', customer: 'u-99' }), pay), undefined, 'a customer the incident did not touch');
  assert.equal(correlateTicket(ticket({ title: 'The site is down, please help, error' }), pay), undefined, 'only words every ticket has');
  assert.equal(correlateTicket(ticket({ title: 'checkout search returns nothing', service: 'search' }), pay), undefined, 'filed against search');
  assert.ok(
    correlateTicket(ticket({ title: 'checkout search returns nothing', service: 'search', customer: 'u-17' }), pay),
    'unless its reporter was hurt here',
  );
  const open = { ...pay, resolvedAtMs: undefined };
  assert.ok(correlateTicket(ticket({ title: 'Checkout is broken', timeMs: T0 + DAY }), open), 'an open incident keeps collecting');
});

void test('tickets are matched to the best incident and the earliest one per incident is found', () => {
  const search = incident({ id: '13', title: 'Latency on search', services: ['search'], startedAtMs: T0, detectedAtMs: T0 + MIN, resolvedAtMs: T0 + 10 * MIN });
  const matches = correlateTicketWith(ticket({ title: 'payment at checkout fails', service: 'payment' }), [search, pay]);
  assert.deepEqual(
    matches.map((m) => m.incidentId),
    ['12'],
  );
  const tickets = [
    ticket({ id: 'b', title: 'checkout broken', timeMs: T0 + 5 * MIN }),
    ticket({ id: 'a', title: 'checkout broken', timeMs: T0 + MIN }),
    ticket({ id: 'x', title: 'font', timeMs: T0 }),
  ];
  assert.deepEqual(
    ticketsOf(pay, tickets).map((t) => t.id),
    ['a', 'b'],
  );
  assert.deepEqual([...firstTicketTimes([pay, search], tickets)], [['12', T0 + MIN]]);
});

void test('help-desk payloads become tickets: Zendesk (event and trigger), Intercom, Freshdesk', () => {
  const f = {
    id: '4521',
    subject: 'Payment fails 💳',
    description: '<p>Card &amp; PayPal both time out</p>',
    email: 'jo@example.com',
    tags: ['vip', 'service:payment'],
    createdAtMs: T0,
  };
  const expected = { id: '4521', title: 'Payment fails 💳', body: 'Card & PayPal both time out', service: 'payment', customer: 'jo@example.com', timeMs: T0 };
  assert.deepEqual(helpDeskAdapters.get('zendesk')!.parse(zendeskTicketCreated(f)), { ticket: { source: 'zendesk', ...expected } });
  assert.deepEqual(helpDeskAdapters.get('zendesk')!.parse(zendeskTrigger(f)), { ticket: { source: 'zendesk', ...expected } });
  assert.deepEqual(helpDeskAdapters.get('freshdesk')!.parse(freshdeskWebhook(f)), { ticket: { source: 'freshdesk', ...expected } });
  const intercom = helpDeskAdapters.get('intercom')!.parse(intercomConversationCreated(f));
  assert.deepEqual(intercom, {
    ticket: {
      source: 'intercom',
      id: '4521',
      title: 'Payment fails 💳 Card & PayPal both time out',
      body: 'Payment fails 💳 Card & PayPal both time out',
      service: 'payment',
      customer: 'jo@example.com',
      timeMs: T0,
    },
  });
});

void test('events that are not new tickets are ignored and broken payloads are refused with a reason', () => {
  const f = { id: '1', subject: 's', createdAtMs: T0 };
  assert.ok('ignored' in helpDeskAdapters.get('intercom')!.parse(intercomConversationCreated(f, 'conversation.admin.closed')));
  assert.ok('ignored' in helpDeskAdapters.get('zendesk')!.parse({ ...zendeskTicketCreated(f), type: 'zen:event-type:ticket.comment_added' }));
  for (const [source, body] of [
    ['zendesk', { detail: { subject: 'no id' } }],
    ['zendesk', []],
    ['intercom', { topic: 'ticket.created' }],
    ['freshdesk', { hello: 1 }],
    ['freshdesk', 'text'],
  ] as const) {
    const r = helpDeskAdapters.get(source)!.parse(body);
    assert.ok('error' in r && r.error.length > 10, `${source} ${JSON.stringify(body)}`);
  }
});

void test('long text is cut without splitting an emoji', () => {
  const s = `${'a'.repeat(9)}💳`;
  assert.equal(clipText(s, 10), 'a'.repeat(9));
  assert.equal(clipText(s, 11), s);
  const huge = helpDeskAdapters.get('zendesk')!.parse(zendeskTicketCreated({ id: '9', subject: '💳'.repeat(400), createdAtMs: T0 }));
  assert.ok('ticket' in huge && huge.ticket.title.length === 500 && !/[\ud800-\udbff]$/.test(huge.ticket.title));
});
