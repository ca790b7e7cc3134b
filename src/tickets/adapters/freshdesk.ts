// Freshdesk: automation-rule webhooks, conventionally `{freshdesk_webhook: {ticket_id, ticket_subject,
// ticket_description, ticket_created_at, ticket_requester_email, ticket_tags}}` from its
// placeholders, or the ticket object of its API (`id`, `subject`, `description_text`, `created_at`).
import { isObject, plainText, serviceFromTags, str, ticketInput, timeOf, type HelpDeskAdapter } from './adapter.js';

export const freshdeskAdapter: HelpDeskAdapter = {
  source: 'freshdesk',
  parse(payload) {
    if (!isObject(payload)) return { error: 'a Freshdesk webhook body must be a JSON object' };
    const w = isObject(payload.freshdesk_webhook) ? payload.freshdesk_webhook : undefined;
    if (w) {
      const description = str(w.ticket_description);
      return ticketInput('freshdesk', {
        id: str(w.ticket_id),
        title: str(w.ticket_subject),
        body: description ? plainText(description) : undefined,
        service: serviceFromTags(w.ticket_tags),
        customer: str(w.ticket_requester_email) ?? str(w.ticket_contact_email),
        timeMs: timeOf(w.ticket_created_at),
      });
    }
    if (str(payload.id) && (str(payload.subject) || str(payload.description_text))) {
      return ticketInput('freshdesk', {
        id: str(payload.id),
        title: str(payload.subject),
        body: str(payload.description_text) ?? (str(payload.description) ? plainText(str(payload.description)!) : undefined),
        service: serviceFromTags(payload.tags),
        customer: str(payload.email) ?? str(payload.requester_id),
        timeMs: timeOf(payload.created_at),
      });
    }
    return { error: 'a Freshdesk webhook needs a "freshdesk_webhook" object or a ticket with "id" and "subject"' };
  },
};
