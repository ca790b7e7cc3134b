// Deployments and config/flag/infra changes: recorded through the API (or a CI webhook) and
// listed together, since both are root-cause suspects.
import type { FastifyInstance } from 'fastify';
import { listChanges } from '../../store/index.js';
import { optionalString, parseBody, parseLimit, timeRange } from '../params.js';
import { access } from '../access.js';
import { audited } from '../audit-hook.js';
import type { ApiDeps } from '../ports.js';
import { changeView } from '../views.js';
import { deploymentView } from './release.js';
import { changeListSchema, changeSchema, deploymentListSchema } from '../schemas/changes.js';
import { keyedErrors } from '../schemas/common.js';
import { changeBodySchema, deploymentBodySchema } from '../schemas/change-bodies.js';

type Query = Record<string, unknown>;

export function registerChangeRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.post(
    '/api/v1/deployments',
    { ...audited(access('write'), 'deployment.record'), schema: { summary: 'Record a deployment', response: { 201: changeSchema, ...keyedErrors(400) } } },
    async (req, reply) => {
      const b = parseBody(deploymentBodySchema, req.body);
      const change = await deps.changes.record({ ...b, kind: 'deploy', timeMs: b.time, source: 'api' });
      req.auditNote = { target: change.service, details: { id: change.id, version: change.version, environment: change.environment } };
      return reply.status(201).send(changeView(change));
    },
  );

  app.post(
    '/api/v1/changes',
    {
      ...audited(access('write'), 'change.record'),
      schema: { summary: 'Record a config, flag or infra change', response: { 201: changeSchema, ...keyedErrors(400) } },
    },
    async (req, reply) => {
      const b = parseBody(changeBodySchema, req.body);
      const change = await deps.changes.record({ ...b, timeMs: b.time, source: 'api' });
      req.auditNote = { target: change.service, details: { id: change.id, kind: change.kind } };
      return reply.status(201).send(changeView(change));
    },
  );

  const list = (kinds?: string[]) => async (req: { query: unknown }) => {
    const q = req.query as Query;
    const { fromMs, toMs } = timeRange(q, deps.clock.now() + 60_000, 30 * 86_400_000);
    const kind = optionalString(q.kind, 'kind');
    const changes = await listChanges(deps.store, {
      service: optionalString(q.service, 'service'),
      kinds: kind ? [kind] : kinds,
      fromMs,
      toMs,
      limit: parseLimit(q.limit, 100, 1000),
    });
    return { changes: changes.map(changeView) };
  };
  // Each deployment with its release verdict (routes/release.ts shapes it).
  app.get(
    '/api/v1/deployments',
    {
      ...access('read'),
      schema: { summary: 'Deployments with their release verdicts, newest first', response: { 200: deploymentListSchema, ...keyedErrors(400) } },
    },
    async (req) => {
      const q = req.query as Query;
      const { fromMs, toMs } = timeRange(q, deps.clock.now() + 60_000, 30 * 86_400_000);
      const changes = await listChanges(deps.store, {
        service: optionalString(q.service, 'service'),
        kinds: ['deploy'],
        fromMs,
        toMs,
        limit: parseLimit(q.limit, 100, 1000),
      });
      return { deployments: await Promise.all(changes.map((c) => deploymentView(c, deps.release))) };
    },
  );
  app.get(
    '/api/v1/changes',
    { ...access('read'), schema: { summary: 'Deployments and changes, newest first', response: { 200: changeListSchema, ...keyedErrors(400) } } },
    list(),
  );
}
