// Which incidents a support ticket is about: it must fall in the incident's window (from 30 min
// before the onset, when customers may notice first, to 30 min after resolution), and then name
// one of its services, come from one of its affected users, or share a significant word with
// what the incident is about (services, routes, error messages, title). Pure.
import type { IncidentFacts } from '../reviews/index.js';
import type { Ticket } from './types.js';

export const TICKET_WINDOW = { beforeOnsetMs: 30 * 60_000, afterResolveMs: 30 * 60_000 } as const;

/** Words every ticket and incident share; they say nothing about which problem it is. */
const STOPWORDS = new Set(
  'the and for with from not but are was were has have had can cannot cant could does did doesnt dont this that these those there their they them you your our ours when what why how who which while into onto out off all any some just still again also too very get got post put delete patch http https api www com html error errors failed failing fails fail failure issue issues problem problems service services request requests help please thanks thank hello team customer user users working work works broken down page site app application time times today now since after before users ticket'.split(
    ' ',
  ),
);

export function tokens(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length < 3 || STOPWORDS.has(raw) || /^\d+$/.test(raw)) continue;
    out.add(raw.length > 4 && raw.endsWith('s') ? raw.slice(0, -1) : raw);
  }
  return out;
}

/** The words an incident is about, computed once per incident. */
export function incidentVocabulary(i: Pick<IncidentFacts, 'title' | 'services' | 'endpoints' | 'errorGroups' | 'rootCauses'>): Set<string> {
  const text = [
    i.title,
    ...i.services,
    ...(i.endpoints ?? []).map((e) => `${e.service} ${e.endpoint}`),
    ...(i.errorGroups ?? []).map((g) => g.message),
    ...i.rootCauses.slice(0, 1).map((c) => c.service),
  ].join(' ');
  return tokens(text);
}

export interface TicketMatch {
  incidentId: string;
  /** service 0.5, customer 0.3, each shared word 0.1 up to 0.3: for ranking, not for the decision. */
  score: number;
  reasons: string[];
}

type Correlatable = Pick<
  IncidentFacts,
  'id' | 'title' | 'services' | 'startedAtMs' | 'resolvedAtMs' | 'endpoints' | 'errorGroups' | 'rootCauses' | 'affectedUserSample'
>;

export function correlateTicket(ticket: Ticket, incident: Correlatable, vocabulary: Set<string> = incidentVocabulary(incident)): TicketMatch | undefined {
  if (ticket.timeMs < incident.startedAtMs - TICKET_WINDOW.beforeOnsetMs) return undefined;
  if (incident.resolvedAtMs !== undefined && ticket.timeMs > incident.resolvedAtMs + TICKET_WINDOW.afterResolveMs) return undefined;
  const reasons: string[] = [];
  let score = 0;
  const services = new Set(incident.services.map((s) => s.toLowerCase()));
  const serviceNamed = ticket.service !== undefined && ticket.service.trim() !== '';
  const serviceMatches = serviceNamed && services.has(ticket.service!.trim().toLowerCase());
  if (serviceMatches) {
    score += 0.5;
    reasons.push(`service ${ticket.service!.trim()}`);
  }
  const customerMatches = ticket.customer !== undefined && ticket.customer !== '' && (incident.affectedUserSample ?? []).includes(ticket.customer);
  if (customerMatches) {
    score += 0.3;
    reasons.push(`customer ${ticket.customer} is among the affected users`);
  }
  // A ticket filed against another service is about that one, unless its reporter was hit here.
  if (serviceNamed && !serviceMatches && !customerMatches) return undefined;
  const shared = [...tokens(`${ticket.title} ${ticket.body ?? ''}`)].filter((w) => vocabulary.has(w)).sort();
  if (shared.length) {
    score += Math.min(0.3, 0.1 * shared.length);
    reasons.push(`words ${shared.slice(0, 5).join(', ')}`);
  }
  if (!reasons.length) return undefined;
  return { incidentId: incident.id, score: Math.round(score * 100) / 100, reasons };
}

/** Every incident a ticket correlates with, best first. */
export function correlateTicketWith(ticket: Ticket, incidents: readonly Correlatable[]): TicketMatch[] {
  return incidents
    .map((i) => correlateTicket(ticket, i))
    .filter((m): m is TicketMatch => m !== undefined)
    .sort((a, b) => b.score - a.score || a.incidentId.localeCompare(b.incidentId));
}

/** The tickets correlated with one incident, oldest first. */
export function ticketsOf(incident: Correlatable, tickets: readonly Ticket[]): Array<Ticket & { match: TicketMatch }> {
  const vocabulary = incidentVocabulary(incident);
  return tickets
    .flatMap((t) => {
      const match = correlateTicket(t, incident, vocabulary);
      return match ? [{ ...t, match }] : [];
    })
    .sort((a, b) => a.timeMs - b.timeMs || a.id.localeCompare(b.id));
}

/**
 * The earliest correlated ticket per incident, for "customer-reported first". Tickets are sorted
 * once and each incident scans only those in its window.
 */
export function firstTicketTimes(incidents: readonly Correlatable[], tickets: readonly Ticket[]): Map<string, number> {
  const sorted = [...tickets].sort((a, b) => a.timeMs - b.timeMs);
  const out = new Map<string, number>();
  for (const i of incidents) {
    const vocabulary = incidentVocabulary(i);
    let lo = 0;
    let hi = sorted.length;
    const from = i.startedAtMs - TICKET_WINDOW.beforeOnsetMs;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.timeMs < from) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < sorted.length; k++) {
      const t = sorted[k]!;
      if (i.resolvedAtMs !== undefined && t.timeMs > i.resolvedAtMs + TICKET_WINDOW.afterResolveMs) break;
      if (correlateTicket(t, i, vocabulary)) {
        out.set(i.id, t.timeMs);
        break;
      }
    }
  }
  return out;
}
