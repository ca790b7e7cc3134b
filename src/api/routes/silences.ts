// Silences: create (by service and/or signal kind, a window, a reason), list, and expire. A silence
// stops notifications for incidents it covers; the incidents are still recorded (docs/silences.md).
import type { FastifyInstance } from 'fastify';
import { parseSilenceDuration, silenceInputSchema } from '../../silences/index.js';
import type { SilencePort, SilenceView } from '../assurance-ports.js';
import { access } from '../access.js';
import { audited } from '../audit-hook.js';
import { ApiError, availablePort } from '../errors.js';
import { parseBody, parseTime } from '../params.js';
import type { ApiDeps } from '../ports.js';
import { iso } from '../views.js';
import { silenceListSchema, silenceSchema } from '../schemas/assurance.js';
import { keyedErrors } from '../schemas/common.js';

export function silenceView(s: SilenceView): Record<string, unknown> {
  return {
    id: s.id,
    ...(s.service !== undefined ? { service: s.service } : {}),
    ...(s.kind !== undefined ? { kind: s.kind } : {}),
    startsAt: iso(s.startsAtMs),
    endsAt: iso(s.endsAtMs),
    ...(s.expiredAtMs !== undefined ? { expiredAt: iso(s.expiredAtMs) } : {}),
    state: s.state,
    comment: s.comment,
    createdBy: s.createdBy,
    createdAt: iso(s.createdAtMs),
  };
}

export function registerSilenceRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const silences = (): SilencePort => availablePort(deps.silences, 'silences are not available in this server');

  app.get(
    '/api/v1/silences',
    { ...access('read'), schema: { summary: 'Silences, expired ones included', response: { 200: silenceListSchema, ...keyedErrors() } } },
    () => ({ silences: (deps.silences?.list() ?? []).map(silenceView) }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/silences/:id',
    { ...access('read'), schema: { summary: 'One silence', response: { 200: silenceSchema, ...keyedErrors(404) } } },
    (req) => {
      const found = silences().get(req.params.id);
      if (!found) throw new ApiError('VIGIL_NOT_FOUND', `no silence ${req.params.id}`);
      return silenceView(found);
    },
  );

  app.post(
    '/api/v1/silences',
    {
      ...audited(access('write'), 'silence.create'),
      schema: { summary: 'Silence notifications by service and/or signal kind for a window', response: { 201: silenceSchema, ...keyedErrors(400, 404) } },
    },
    async (req, reply) => {
      const b = parseBody(silenceInputSchema, req.body);
      const created = await silences().create(
        {
          ...(b.service !== undefined ? { service: b.service } : {}),
          ...(b.kind !== undefined ? { kind: b.kind } : {}),
          ...(b.startsAt !== undefined ? { startsAtMs: parseTime(b.startsAt, 'startsAt') } : {}),
          ...(b.endsAt !== undefined ? { endsAtMs: parseTime(b.endsAt, 'endsAt') } : {}),
          ...(b.duration !== undefined ? { durationMs: parseSilenceDuration(b.duration)! } : {}),
          comment: b.comment,
          ...(b.createdBy !== undefined ? { createdBy: b.createdBy } : {}),
        },
        req.vigilKey?.name ?? 'api',
      );
      req.auditNote = {
        target: created.id,
        details: {
          service: created.service ?? null,
          kind: created.kind ?? null,
          startsAt: iso(created.startsAtMs),
          endsAt: iso(created.endsAtMs),
          comment: created.comment.slice(0, 200),
        },
      };
      return reply.status(201).send(silenceView(created));
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/silences/:id',
    {
      ...audited(access('write'), 'silence.expire'),
      schema: { summary: 'Expire a silence now (it stays listed)', response: { 200: silenceSchema, ...keyedErrors(404, 409) } },
    },
    async (req) => {
      const expired = await silences().expire(req.params.id);
      req.auditNote = { target: expired.id };
      return silenceView(expired);
    },
  );
}
