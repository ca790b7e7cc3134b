// The incident API with what was learnt around it: an incident's body also lists the support
// tickets correlated with it, the earlier incident it repeats and the open action items of similar
// earlier incidents, so a responder sees "customers reported this", "this happened before" and
// "we said we'd fix this last time" on the incident.
import { isoTime } from '../reviews/index.js';
import type { FollowUpService } from './follow-up-service.js';
import type { IncidentSource } from './incident-service.js';

export function withFollowUp(incidents: IncidentSource, followUp: FollowUpService): IncidentSource {
  return {
    list: (q) => incidents.list(q),
    transition: (id, to, actor, note) => incidents.transition(id, to, actor, note),
    note: (id, actor, text) => incidents.note(id, actor, text),
    async get(id) {
      const body = await incidents.get(id);
      if (!body) return body;
      const facts = await followUp.incident(id);
      if (!facts) return body;
      const [tickets, earlier] = await Promise.all([followUp.ticketsOf(facts), followUp.earlierFor(facts)]);
      return {
        ...body,
        tickets: tickets.map((t) => ({
          id: t.id,
          source: t.source,
          title: t.title,
          time: isoTime(t.timeMs),
          ...(t.service ? { service: t.service } : {}),
          ...(t.customer ? { customer: t.customer } : {}),
          reasons: t.match.reasons,
          beforeDetection: t.timeMs < facts.detectedAtMs,
        })),
        ...(earlier.repeatOf ? { repeatOf: earlier.repeatOf } : {}),
        resurfacedActionItems: earlier.resurfaced,
      };
    },
  };
}
