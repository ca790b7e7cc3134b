// Incidents: newest first with cursor paging (never a silent cut), one incident with context,
// timeline and root causes, and the lifecycle actions.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { optionalString, parseBody, parseLimit } from '../params.js';
import { access } from '../access.js';
import { audited } from '../audit-hook.js';
import { incidentSummaryView, incidentView } from '../incident-views.js';
import type { ApiDeps, IncidentAction } from '../ports.js';
import type { IncidentRecord } from '../../model/index.js';
import { silenceMarks, type SilenceMarks } from '../../silences/index.js';
import { keyedErrors } from '../schemas/common.js';
import { incidentListSchema, incidentSchema } from '../schemas/incidents.js';

const actionBody = z.object({ actor: z.string().max(200).optional(), note: z.string().max(10_000).optional() }).strict();
const noteBody = z.object({ actor: z.string().max(200).optional(), text: z.string().min(1).max(10_000) }).strict();
const actions: Record<string, IncidentAction> = { ack: 'acknowledged', acknowledge: 'acknowledged', mitigate: 'mitigated', resolve: 'resolved' };

export function registerIncidentRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(
    '/api/v1/incidents',
    { ...access('read'), schema: { summary: 'Incidents, newest first, paged by cursor', response: { 200: incidentListSchema, ...keyedErrors(400) } } },
    async (req) => {
      const q = req.query as Record<string, unknown>;
      const status = optionalString(q.status, 'status') ?? 'open';
      if (status !== 'open' && status !== 'all') throw new ApiError('VIGIL_BAD_REQUEST', 'status must be open or all');
      const r = await deps.incidents.list({ openOnly: status === 'open', limit: parseLimit(q.limit, 100, 1000), cursor: optionalString(q.cursor, 'cursor') });
      return { incidents: r.incidents.map((i) => incidentSummaryView(i, silenceOf(deps, i))), ...(r.nextCursor ? { nextCursor: r.nextCursor } : {}) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/incidents/:id',
    { ...access('read'), schema: { summary: 'One incident with root causes, context and timeline', response: { 200: incidentSchema, ...keyedErrors(404) } } },
    async (req) => detail(deps, req.params.id),
  );

  app.post<{ Params: { id: string; action: string } }>(
    '/api/v1/incidents/:id/:action',
    {
      ...audited(access('write'), 'incident.action'),
      schema: { summary: 'ack, mitigate, resolve or note an incident; answers the incident', response: { 200: incidentSchema, ...keyedErrors(400, 404, 409) } },
    },
    async (req) => {
      const { id, action } = req.params;
      if (action === 'note') {
        const b = parseBody(noteBody, req.body);
        req.auditNote = { action: 'incident.note', details: { actor: b.actor ?? 'api' } };
        await deps.incidents.note(id, b.actor ?? 'api', b.text);
        return detail(deps, id);
      }
      const to = actions[action];
      if (!to) throw new ApiError('VIGIL_NOT_FOUND', `unknown incident action "${action}": use ack, mitigate, resolve or note`);
      const b = parseBody(actionBody, req.body);
      req.auditNote = { action: `incident.${to}`, details: { actor: b.actor ?? 'api' } };
      await deps.incidents.transition(id, to, b.actor ?? 'api', b.note);
      return detail(deps, id);
    },
  );
}

async function detail(deps: ApiDeps, id: string): Promise<Record<string, unknown>> {
  const found = await deps.incidents.get(id);
  if (!found) throw new ApiError('VIGIL_NOT_FOUND', `no incident ${id}`);
  const { record, timeline, ...sections } = found;
  return { ...incidentView(record, timeline, deps.release?.remediationsFor?.(record), silenceOf(deps, record)), ...sections };
}

/** Silenced incidents stay listed, marked with the silences that cover them (as of now, or as they resolved). */
function silenceOf(deps: ApiDeps, record: IncidentRecord): SilenceMarks {
  return silenceMarks(record, deps.silences?.list() ?? [], record.resolvedAtMs ?? deps.clock.now());
}
