// Routing: which channels get a message, from the incident's services (globs) and severity and
// the event. Pure, so the same decision is replayed in tests and backtests.
import type { IncidentSummary, Severity } from '../model/index.js';
import type { EscalationPolicy, NotifyConfig, NotifyRoute } from './config.js';
import type { IncidentMessage } from './message.js';

const severityRank: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export const severityAtLeast = (severity: Severity, min: Severity): boolean => severityRank[severity] >= severityRank[min];

/** `*` matches any run of characters, `?` one character; everything else is literal. */
export function globMatch(glob: string, value: string): boolean {
  const pattern = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`).test(value);
}

type RoutedIncident = Pick<IncidentSummary, 'services' | 'severity'>;

export function routeMatches(route: NotifyRoute, incident: RoutedIncident): boolean {
  return severityAtLeast(incident.severity, route.minSeverity) && incident.services.some((s) => route.services.some((g) => globMatch(g, s)));
}

/** Matching routes in config order, stopping after a route with `continue: false`. */
export function matchingRoutes(incident: RoutedIncident, routes: readonly NotifyRoute[]): NotifyRoute[] {
  const out: NotifyRoute[] = [];
  for (const route of routes) {
    if (!routeMatches(route, incident)) continue;
    out.push(route);
    if (!route.continue) break;
  }
  return out;
}

/**
 * Channel names for a message. Escalations go to their level's channels only. Every other event
 * goes to the matching routes; `previouslyNotified` (channels that already heard about this
 * incident) keep getting its updates even when the severity drops below their route.
 */
export function routeMessage(message: IncidentMessage, config: Pick<NotifyConfig, 'routes'>, previouslyNotified: readonly string[] = []): string[] {
  if (message.event === 'escalated') return unique(message.escalation?.channels ?? []);
  const routed = matchingRoutes(message.incident, config.routes)
    .filter((r) => r.events === undefined || r.events.includes(message.event))
    .flatMap((r) => r.channels);
  return unique([...routed, ...(message.event === 'opened' ? [] : previouslyNotified)]);
}

/** The escalation policy of the first matching route that names one. */
export function escalationPolicyFor(incident: RoutedIncident, config: Pick<NotifyConfig, 'routes' | 'escalation'>): EscalationPolicy | undefined {
  const route = matchingRoutes(incident, config.routes).find((r) => r.escalation !== undefined);
  return route ? config.escalation.find((p) => p.name === route.escalation) : undefined;
}

const unique = (names: readonly string[]): string[] => [...new Set(names)];
