// Webhook payloads in the shapes Zendesk, Intercom and Freshdesk send, built by code (the fields
// each help desk documents for its webhooks), for the adapter tests and the e2e test.

export interface PayloadFields {
  id: string;
  subject: string;
  description?: string;
  email?: string;
  tags?: string[];
  createdAtMs: number;
}

/** Zendesk event webhook (`zen:event-type:ticket.created`), the ticket in `detail`. */
export function zendeskTicketCreated(f: PayloadFields): Record<string, unknown> {
  return {
    account_id: 9_876_543,
    id: 'cbe4028c-7239-495d-b020-f22348516046',
    time: new Date(f.createdAtMs + 1000).toISOString(),
    type: 'zen:event-type:ticket.created',
    zendesk_event_version: '2022-11-06',
    subject: `zen:ticket:${f.id}`,
    detail: {
      actor_id: '8447388090494',
      assignee_id: null,
      brand_id: '8447346621310',
      created_at: new Date(f.createdAtMs).toISOString(),
      description: f.description ?? f.subject,
      id: f.id,
      is_public: true,
      organization_id: '8447346622462',
      priority: 'HIGH',
      requester_id: f.email ?? '8447388090494',
      status: 'NEW',
      subject: f.subject,
      tags: f.tags ?? [],
      type: 'INCIDENT',
      updated_at: new Date(f.createdAtMs).toISOString(),
    },
  };
}

/** A Zendesk trigger webhook whose JSON body the admin wrote from placeholders ({{ticket.id}} …). */
export function zendeskTrigger(f: PayloadFields): Record<string, unknown> {
  return {
    ticket: {
      id: Number(f.id),
      subject: f.subject,
      description: f.description ?? '',
      created_at: new Date(f.createdAtMs).toISOString(),
      requester: { email: f.email ?? '' },
      tags: (f.tags ?? []).join(' '),
    },
  };
}

/** Intercom notification event for a conversation a user started (epoch seconds, HTML body). */
export function intercomConversationCreated(f: PayloadFields, topic = 'conversation.user.created'): Record<string, unknown> {
  const seconds = Math.floor(f.createdAtMs / 1000);
  return {
    type: 'notification_event',
    app_id: 'abc123',
    id: 'notif_0f0e4f2a',
    topic,
    created_at: seconds + 1,
    data: {
      type: 'notification_event_data',
      item: {
        type: 'conversation',
        id: f.id,
        created_at: seconds,
        updated_at: seconds,
        title: null,
        source: {
          type: 'conversation',
          id: '403918',
          delivered_as: 'customer_initiated',
          subject: '',
          body: `<p>${f.subject}</p>${f.description ? `<p>${f.description}</p>` : ''}`,
          author: { type: 'user', id: '5d8a6e', name: 'Customer', email: f.email ?? '' },
        },
        tags: { type: 'tag.list', tags: (f.tags ?? []).map((name, i) => ({ type: 'tag', id: String(i), name })) },
      },
    },
  };
}

/** Freshdesk automation webhook with the conventional placeholder body. */
export function freshdeskWebhook(f: PayloadFields): Record<string, unknown> {
  return {
    freshdesk_webhook: {
      ticket_id: Number(f.id),
      ticket_subject: f.subject,
      ticket_description: `<div>${f.description ?? f.subject}</div>`,
      ticket_created_at: new Date(f.createdAtMs).toISOString(),
      ticket_requester_email: f.email ?? '',
      ticket_tags: (f.tags ?? []).join(','),
      ticket_priority: 'High',
      ticket_status: 'Open',
    },
  };
}
