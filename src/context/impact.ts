// Customer impact from an assembled context: the facts the incident engine turns into severity
// (entry requests failing or slow, users affected, critical journeys hit, duration).
import type { ImpactFacts, IncidentContext } from '../model/index.js';

/** A critical journey as configured: by name, optionally pinned to a service and/or route. */
export interface JourneyMatch {
  name: string;
  service?: string;
  route?: string;
}

/**
 * Is an endpoint on a journey? Service exact; the route contained in the endpoint's label
 * ("POST /checkout"); with neither, the name contained in the label or equal to the service. One
 * rule for incidents (journeys hit) and the coverage report (journeys covered).
 */
export function journeyOnEndpoint(j: JourneyMatch, service: string, endpoint: string): boolean {
  if (j.service !== undefined && j.service !== service) return false;
  if (j.route !== undefined) return endpoint.includes(j.route);
  if (j.service !== undefined) return true;
  const name = j.name.toLowerCase();
  return endpoint.toLowerCase().includes(name) || service.toLowerCase() === name;
}

/** A journey is hit when one of the affected endpoints is on it. */
export function journeysHit(ctx: IncidentContext, journeys: readonly JourneyMatch[]): string[] {
  return journeys.filter((j) => ctx.affectedEndpoints.some((e) => journeyOnEndpoint(j, e.service, e.endpoint))).map((j) => j.name);
}

export function impactFromContext(ctx: IncidentContext, journeys: readonly JourneyMatch[] = []): ImpactFacts {
  return {
    entryRequests: ctx.entry.requests,
    entryFailed: ctx.entry.failed,
    entrySlow: ctx.entry.slow,
    ...(ctx.entry.slowed !== undefined ? { entrySlowed: ctx.entry.slowed, slowedEndpoints: [...(ctx.entry.slowedEndpoints ?? [])] } : {}),
    affectedUsers: ctx.affectedUsers.count,
    totalUsers: ctx.affectedUsers.total,
    journeysHit: journeysHit(ctx, journeys),
    durationMs: Math.max(0, ctx.after.toMs - ctx.onsetMs),
    entryServices: [...ctx.entry.services],
    ...(ctx.entry.usualFailedRatio !== undefined ? { usualFailedRatio: ctx.entry.usualFailedRatio } : {}),
  };
}
