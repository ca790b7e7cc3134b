// Support tickets: recorded through the API or a help desk's webhook (Zendesk, Intercom,
// Freshdesk), answered with the incidents each one correlates with.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { clipText, helpDeskAdapters, TICKET_LIMITS } from '../../tickets/index.js';
import { access } from '../access.js';
import { audited } from '../audit-hook.js';
import { ApiError } from '../errors.js';
import { parseBody, timeSchema } from '../params.js';
import type { ApiDeps } from '../ports.js';
import { followUpOf } from './reviews.js';
import { keyedErrors } from '../schemas/common.js';
import { ticketIgnoredSchema, ticketRecordedSchema } from '../schemas/follow-up.js';

const field = (max: number): z.ZodType<string> => z.string().trim().min(1).max(max);
const ticketBody = z
  .object({
    id: z.union([field(TICKET_LIMITS.id), z.number().int().nonnegative().transform(String)]),
    title: field(TICKET_LIMITS.title),
    body: z.string().max(TICKET_LIMITS.body).optional(),
    service: field(TICKET_LIMITS.service).optional(),
    customer: field(TICKET_LIMITS.customer).optional(),
    time: timeSchema.optional(),
  })
  .strict();

export function registerTicketRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.post(
    '/api/v1/tickets',
    {
      ...audited(access('write'), 'ticket.record'),
      schema: {
        summary: 'Record a support ticket; answers the incidents it correlates with',
        response: { 201: ticketRecordedSchema, ...keyedErrors(400, 404) },
      },
    },
    async (req, reply) => {
      const b = parseBody(ticketBody, req.body);
      const recorded = await followUpOf(deps).recordTicket({
        id: b.id,
        source: 'api',
        title: b.title,
        ...(b.body ? { body: b.body } : {}),
        ...(b.service ? { service: b.service } : {}),
        ...(b.customer ? { customer: b.customer } : {}),
        ...(b.time !== undefined ? { timeMs: b.time } : {}),
      });
      req.auditNote = { target: clipText(b.id, 200), details: { source: 'api', incidents: recorded.incidents.map((m) => m.incidentId) } };
      return reply.status(201).send(recorded);
    },
  );

  app.post<{ Params: { source: string } }>(
    '/api/v1/tickets/webhooks/:source',
    {
      ...audited(access('write'), 'ticket.record'),
      schema: {
        summary: "A help desk's webhook (zendesk, intercom, freshdesk)",
        response: { 201: ticketRecordedSchema, 202: ticketIgnoredSchema, ...keyedErrors(400, 404) },
      },
    },
    async (req, reply) => {
      const adapter = helpDeskAdapters.get(req.params.source);
      if (!adapter)
        throw new ApiError('VIGIL_NOT_FOUND', `no help-desk adapter "${clipText(req.params.source, 50)}": use ${[...helpDeskAdapters.keys()].join(', ')}`);
      const parsed = adapter.parse(req.body);
      if ('error' in parsed) throw new ApiError('VIGIL_BAD_REQUEST', parsed.error);
      if ('ignored' in parsed) return reply.status(202).send({ ignored: parsed.ignored });
      const recorded = await followUpOf(deps).recordTicket(parsed.ticket);
      req.auditNote = { target: parsed.ticket.id, details: { source: adapter.source, incidents: recorded.incidents.map((m) => m.incidentId) } };
      return reply.status(201).send(recorded);
    },
  );
}
