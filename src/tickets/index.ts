// Support tickets' public surface (pure): help-desk webhook adapters and correlation with incidents.
export {
  correlateTicket,
  correlateTicketWith,
  ticketsOf,
  firstTicketTimes,
  incidentVocabulary,
  tokens,
  TICKET_WINDOW,
  type TicketMatch,
} from './correlation.js';
export { helpDeskAdapters } from './registry.js';
export type { HelpDeskAdapter } from './adapters/adapter.js';
export { clipText, TICKET_LIMITS, type Ticket, type TicketInput, type TicketSource } from './types.js';
