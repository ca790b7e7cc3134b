// Zendesk: the event webhooks (`type: zen:event-type:ticket.created`, the ticket in `detail`) and
// the trigger webhooks most teams configure with a `ticket` object of placeholders.
import { isObject, plainText, serviceFromTags, str, ticketInput, timeOf, type HelpDeskAdapter } from './adapter.js';

export const zendeskAdapter: HelpDeskAdapter = {
  source: 'zendesk',
  parse(payload) {
    if (!isObject(payload)) return { error: 'a Zendesk webhook body must be a JSON object' };
    const type = str(payload.type);
    if (type && !type.endsWith('ticket.created')) return { ignored: `Zendesk event ${type} is not a new ticket` };
    const t = isObject(payload.detail) ? payload.detail : isObject(payload.ticket) ? payload.ticket : undefined;
    if (!t) return { error: 'a Zendesk webhook needs a "detail" (event webhooks) or "ticket" (trigger webhooks) object' };
    const requester = isObject(t.requester) ? (str(t.requester.email) ?? str(t.requester.id)) : (str(t.requester_email) ?? str(t.requester_id));
    const description = str(t.description);
    return ticketInput('zendesk', {
      id: str(t.id),
      title: str(t.subject) ?? str(t.title),
      body: description ? plainText(description) : undefined,
      service: serviceFromTags(t.tags),
      customer: requester,
      timeMs: timeOf(t.created_at) ?? timeOf(payload.time),
    });
  },
};
