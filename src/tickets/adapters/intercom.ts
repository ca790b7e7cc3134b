// Intercom: notification events (`type: notification_event`) whose `data.item` is the conversation;
// a conversation a customer started is a ticket. Times are epoch seconds, bodies HTML.
import { isObject, plainText, serviceFromTags, str, ticketInput, timeOf, type HelpDeskAdapter } from './adapter.js';

const newConversation = new Set(['conversation.user.created', 'ticket.created', 'conversation.admin.single.created']);

export const intercomAdapter: HelpDeskAdapter = {
  source: 'intercom',
  parse(payload) {
    if (!isObject(payload)) return { error: 'an Intercom webhook body must be a JSON object' };
    const topic = str(payload.topic);
    if (!topic) return { error: 'an Intercom notification needs a "topic"' };
    if (!newConversation.has(topic)) return { ignored: `Intercom topic ${topic} is not a new conversation or ticket` };
    const item = isObject(payload.data) && isObject(payload.data.item) ? payload.data.item : undefined;
    if (!item) return { error: 'an Intercom notification needs "data.item"' };
    const source = isObject(item.source) ? item.source : {};
    const author = isObject(source.author) ? source.author : {};
    const body = str(source.body);
    const tags = isObject(item.tags) ? item.tags.tags : undefined;
    const ticketAttrs = isObject(item.ticket_attributes) ? item.ticket_attributes : {};
    return ticketInput('intercom', {
      id: str(item.id),
      title: str(source.subject) ? plainText(str(source.subject)!) : (str(ticketAttrs._default_title_) ?? str(item.title)),
      body: body ? plainText(body) : str(ticketAttrs._default_description_),
      service: serviceFromTags(tags),
      customer: str(author.email) ?? str(author.id),
      timeMs: timeOf(item.created_at, 'seconds') ?? timeOf(payload.created_at, 'seconds'),
    });
  },
};
