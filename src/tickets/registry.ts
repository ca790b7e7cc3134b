// Help-desk adapters by source name (the last segment of POST /api/v1/tickets/webhooks/SOURCE).
import type { HelpDeskAdapter } from './adapters/adapter.js';
import { freshdeskAdapter } from './adapters/freshdesk.js';
import { intercomAdapter } from './adapters/intercom.js';
import { zendeskAdapter } from './adapters/zendesk.js';

export const helpDeskAdapters: ReadonlyMap<string, HelpDeskAdapter> = new Map([zendeskAdapter, intercomAdapter, freshdeskAdapter].map((a) => [a.source, a]));
