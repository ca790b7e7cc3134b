// The help-desk adapter port: a webhook payload in, a ticket out, or the reason it is not one.
// A new help desk is a new file in adapters/ plus one entry in registry.ts.
import { clipText, TICKET_LIMITS, type TicketInput, type TicketSource } from '../types.js';

export interface HelpDeskAdapter {
  source: Exclude<TicketSource, 'api'>;
  /** Reads one webhook payload; `ignored` for events that are not a new ticket (updates, comments). */
  parse(payload: unknown): { ticket: TicketInput } | { ignored: string } | { error: string };
}

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function str(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** ISO-8601 text or epoch seconds (Intercom) or milliseconds; undefined when unreadable. */
export function timeOf(v: unknown, numbersAre: 'seconds' | 'ms' = 'ms'): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return numbersAre === 'seconds' ? v * 1000 : v;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Help desks send HTML descriptions; the correlation wants the words. */
export function plainText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** Tags such as `service:checkout` or `service-checkout` name the service a ticket is about. */
export function serviceFromTags(tags: unknown): string | undefined {
  const list = Array.isArray(tags) ? tags.map((t) => (isObject(t) ? str(t.name) : str(t))) : typeof tags === 'string' ? tags.split(/[,\s]+/) : [];
  for (const t of list) {
    const m = t && /^service[:_-](.+)$/i.exec(t);
    if (m) return m[1];
  }
  return undefined;
}

/** Fills a ticket within the limits every source shares. */
export function ticketInput(
  source: HelpDeskAdapter['source'],
  f: { id?: string; title?: string; body?: string; service?: string; customer?: string; timeMs?: number },
): { ticket: TicketInput } | { error: string } {
  if (!f.id) return { error: `the ${source} payload has no ticket id` };
  const title = f.title ?? (f.body ? f.body.slice(0, 120) : undefined);
  if (!title) return { error: `the ${source} payload has neither a subject nor a description` };
  return {
    ticket: {
      id: clipText(f.id, TICKET_LIMITS.id),
      source,
      title: clipText(title, TICKET_LIMITS.title),
      ...(f.body ? { body: clipText(f.body, TICKET_LIMITS.body) } : {}),
      ...(f.service ? { service: clipText(f.service, TICKET_LIMITS.service) } : {}),
      ...(f.customer ? { customer: clipText(f.customer, TICKET_LIMITS.customer) } : {}),
      ...(f.timeMs !== undefined ? { timeMs: f.timeMs } : {}),
    },
  };
}
