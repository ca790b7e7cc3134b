// Support tickets as Vigil keeps them, whatever help desk they came from.

export type TicketSource = 'api' | 'zendesk' | 'intercom' | 'freshdesk';

export interface Ticket {
  /** The help desk's own id (unique per source). */
  id: string;
  source: TicketSource;
  title: string;
  body?: string;
  service?: string;
  /** Who reported it: a customer or user id, or an email, as the help desk knows them. */
  customer?: string;
  /** When the customer reported it. */
  timeMs: number;
}

/** A ticket as an adapter or the API reads it: the time may be missing (the server fills in now). */
export type TicketInput = Omit<Ticket, 'timeMs'> & { timeMs?: number };

export const TICKET_LIMITS = { id: 200, title: 500, body: 10_000, service: 200, customer: 320 } as const;

/** Cuts text to at most `max` UTF-16 units without splitting a surrogate pair (an emoji). */
export function clipText(s: string, max: number): string {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
