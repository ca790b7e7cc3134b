// Customer impact from an assembled context: the facts the incident engine turns into severity
// (entry requests failing or slow, users affected, critical journeys hit, duration).
import type { ImpactFacts } from '../incidents/index.js';
import type { IncidentContext } from './types.js';

/** A critical journey as configured: by name, optionally pinned to a service and/or route. */
export interface JourneyMatch {
  name: string;
  service?: string;
  route?: string;
}

/** A journey is hit when one of the affected endpoints is on it. */
export function journeysHit(ctx: IncidentContext, journeys: readonly JourneyMatch[]): string[] {
  const hit: string[] = [];
  for (const j of journeys) {
    const on = ctx.affectedEndpoints.some((e) => {
      if (j.service !== undefined && j.service !== e.service) return false;
      if (j.route !== undefined) return e.endpoint.includes(j.route);
      if (j.service !== undefined) return true;
      const name = j.name.toLowerCase();
      return e.endpoint.toLowerCase().includes(name) || e.service.toLowerCase() === name;
    });
    if (on) hit.push(j.name);
  }
  return hit;
}

export function impactFromContext(ctx: IncidentContext, journeys: readonly JourneyMatch[] = []): ImpactFacts {
  return {
    entryRequests: ctx.entry.requests,
    entryFailed: ctx.entry.failed,
    entrySlow: ctx.entry.slow,
    affectedUsers: ctx.affectedUsers.count,
    totalUsers: ctx.affectedUsers.total,
    journeysHit: journeysHit(ctx, journeys),
    durationMs: Math.max(0, ctx.after.toMs - ctx.onsetMs),
    entryServices: [...ctx.entry.services],
  };
}
