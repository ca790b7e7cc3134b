// Matching configured names (SLO and synthetic-check targets, critical journeys) to the endpoints
// seen in telemetry. Users write "POST /checkout", "frontend POST /checkout" or "/checkout", so the
// parsing is forgiving: a part left out matches anything.
import { journeyOnEndpoint } from '../context/index.js';
import type { CoverageTarget, JourneyTarget } from './types.js';

export interface EndpointRef {
  service: string;
  method: string;
  route: string;
}

export interface RouteName {
  service?: string;
  method?: string;
  route: string;
}

const methodRe = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|CONSUME|[A-Z]+)$/;

/** "frontend POST /checkout" → {service, method, route}; "POST /checkout"; "/checkout"; "order-confirmation". */
export function parseRouteName(text: string): RouteName {
  const parts = text.trim().split(/\s+/).filter(Boolean);
  if (parts.length >= 3) return { service: parts[0], method: parts[1]!.toUpperCase(), route: parts.slice(2).join(' ') };
  if (parts.length === 2) {
    // "POST /checkout" or "frontend /checkout"
    return methodRe.test(parts[0]!) ? { method: parts[0], route: parts[1]! } : { service: parts[0], route: parts[1]! };
  }
  return { route: parts[0] ?? '' };
}

export function routeNameMatches(name: RouteName, e: EndpointRef): boolean {
  if (name.service !== undefined && name.service !== e.service) return false;
  if (name.method !== undefined && name.method.toUpperCase() !== e.method.toUpperCase()) return false;
  return name.route === e.route || name.route === `${e.method} ${e.route}`;
}

/** Does the target cover this endpoint? A target without a route covers its whole service. */
export function targetCovers(target: CoverageTarget, e: EndpointRef): boolean {
  if (target.service !== undefined && target.service !== e.service) return false;
  if (target.route === undefined || target.route === '') return target.service !== undefined;
  const name = parseRouteName(target.route);
  return routeNameMatches({ ...name, service: name.service ?? target.service }, e);
}

/** Does a target cover the whole service (no route given)? */
export function targetCoversService(target: CoverageTarget, service: string): boolean {
  return target.service === service && (target.route === undefined || target.route === '');
}

export function endpointLabel(e: EndpointRef): string {
  return e.method ? `${e.method} ${e.route}` : e.route;
}

/** The incident engine's rule (journeyOnEndpoint), so a journey counts as covered where it would count as hit. */
export function journeyMatches(j: JourneyTarget, e: EndpointRef): boolean {
  return journeyOnEndpoint(j, e.service, endpointLabel(e));
}

/** A journey typed on the command line or in `journey=`: "frontend POST /checkout", "/checkout", "checkout". */
export function journeyFromText(text: string): JourneyTarget {
  const name = text.trim();
  const parsed = parseRouteName(name);
  // Only a path makes it a route: "checkout flow" is a name, not service "checkout" route "flow".
  if (!parsed.route.startsWith('/')) return { name };
  const route = parsed.method !== undefined ? `${parsed.method} ${parsed.route}` : parsed.route;
  return { name, ...(parsed.service !== undefined ? { service: parsed.service } : {}), route };
}

/** A target covers a journey by its name, or by covering one of the endpoints the journey matched. */
export function targetCoversJourney(target: CoverageTarget, j: JourneyTarget, endpoints: readonly EndpointRef[]): boolean {
  if (target.name !== undefined && target.name === j.name) return true;
  return endpoints.some((e) => targetCovers(target, e));
}
