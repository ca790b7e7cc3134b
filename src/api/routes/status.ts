// The public status page (GET /status, HTML, no key) and its JSON (GET /api/v1/status, no key
// either: it holds nothing but public names and posted updates), plus stakeholder updates of an
// incident: listed, drafted, edited and posted (POST /api/v1/incidents/ID/updates).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { renderStatusHtml, type StatusPage } from '../../status/index.js';
import type { StakeholderUpdateView, StatusPort } from '../assurance-ports.js';
import { access } from '../access.js';
import { audited } from '../audit-hook.js';
import { ApiError, availablePort } from '../errors.js';
import { parseBody } from '../params.js';
import type { ApiDeps } from '../ports.js';
import { iso } from '../views.js';
import { errorAnswers, jsonAnswer, keyedErrors } from '../schemas/common.js';
import {
  stakeholderUpdateListSchema,
  stakeholderUpdateSchema,
  statusPageSchema,
  type StakeholderUpdateAnswer,
  type StatusPageAnswer,
} from '../schemas/incidents.js';

const statusHtml = { description: 'the public status page', content: { 'text/html': { schema: z.string() } } };

const updateBody = z
  .object({
    /** Edit or post this draft; absent: a new draft (composed from the incident when no text is given). */
    id: z.string().min(1).max(100).optional(),
    text: z.string().trim().min(1).max(5_000).optional(),
    /** Post it (to the status page and the configured channels) now. */
    post: z.boolean().default(false),
  })
  .strict();

function pageJson(page: StatusPage): StatusPageAnswer {
  return {
    title: page.title,
    status: page.overall,
    components: page.components,
    incidents: page.incidents.map((i) => ({
      id: i.id,
      title: i.title,
      status: i.status,
      impact: i.impact,
      components: i.components,
      startedAt: iso(i.startedAtMs),
      ...(i.resolvedAtMs !== undefined ? { resolvedAt: iso(i.resolvedAtMs) } : {}),
      updates: i.updates.map((u) => ({ at: iso(u.atMs), status: u.status, text: u.text })),
    })),
  };
}

function updateView(u: StakeholderUpdateView): StakeholderUpdateAnswer {
  return {
    id: u.id,
    incidentId: u.incidentId,
    status: u.status,
    incidentStatus: u.incidentStatus,
    text: u.text,
    createdAt: iso(u.createdAtMs),
    ...(u.postedAtMs !== undefined ? { postedAt: iso(u.postedAtMs) } : {}),
    ...(u.editedBy ? { editedBy: u.editedBy } : {}),
    ...(u.postedBy ? { postedBy: u.postedBy } : {}),
  };
}

export function registerStatusRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const status = (): StatusPort => availablePort(deps.statusPage, 'the status page is not available in this server');

  app.get(
    '/status',
    { ...access('public'), schema: { summary: 'The public status page (HTML, no key)', response: { 200: statusHtml, ...errorAnswers(false, 404) } } },
    async (_req, reply) => {
      const port = status();
      const html = renderStatusHtml(await port.page(), port.nowMs());
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .send(html);
    },
  );

  app.get(
    '/api/v1/status',
    { ...access('public'), schema: { summary: 'The public status page as JSON (no key)', response: { 200: statusPageSchema, ...errorAnswers(false, 404) } } },
    async (_req, reply) => {
      return reply.header('cache-control', 'no-store').send(pageJson(await status().page()));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/incidents/:id/updates',
    { ...access('read'), schema: { summary: 'Stakeholder updates of an incident', response: { 200: stakeholderUpdateListSchema, ...keyedErrors(404) } } },
    async (req) => {
      if (!(await deps.incidents.get(req.params.id))) throw new ApiError('VIGIL_NOT_FOUND', `no incident ${req.params.id}`);
      return { updates: (await status().updates(req.params.id)).map(updateView) };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/incidents/:id/updates',
    {
      ...audited(access('write'), 'incident.update'),
      schema: {
        summary: 'Draft, edit or post a stakeholder update',
        response: {
          200: jsonAnswer(stakeholderUpdateSchema, 'an edited or posted draft'),
          201: jsonAnswer(stakeholderUpdateSchema, 'a new update'),
          ...keyedErrors(400, 404, 409),
        },
      },
    },
    async (req, reply) => {
      const b = parseBody(updateBody, req.body);
      const saved = await status().saveUpdate(
        req.params.id,
        { ...(b.id ? { id: b.id } : {}), ...(b.text ? { text: b.text } : {}), post: b.post },
        req.vigilKey?.name ?? 'api',
      );
      if (!saved) throw new ApiError('VIGIL_NOT_FOUND', `no incident ${req.params.id}`);
      req.auditNote = {
        target: req.params.id,
        action: saved.status === 'posted' ? 'incident.update.post' : 'incident.update.draft',
        details: { update: saved.id },
      };
      return reply.status(b.id ? 200 : 201).send(updateView(saved));
    },
  );
}
