// SLOs: each one's attainment, error budget left, burn rates and status now, and creating,
// replacing and deleting those made through the API (vigil.yaml's are changed in the file).
import type { FastifyInstance } from 'fastify';
import { sloDefinitionSchema } from '../../slo/index.js';
import { access } from '../access.js';
import { audited } from '../audit-hook.js';
import { ApiError, availablePort } from '../errors.js';
import { parseBody } from '../params.js';
import type { ApiDeps, SloPort, SloView } from '../ports.js';
import { sloListSchema, sloSchema } from '../schemas/assurance.js';
import { keyedErrors, noContent } from '../schemas/common.js';

/** Numbers rounded for reading; the order of keys follows the documented shape. */
function sloView(s: SloView): Record<string, unknown> {
  const r = (x: number, digits = 6): number => Math.round(x * 10 ** digits) / 10 ** digits;
  return {
    ...s,
    attainment: s.attainment === null ? null : r(s.attainment),
    errorBudgetRemaining: r(s.errorBudgetRemaining, 4),
    burnRates: Object.fromEntries(Object.entries(s.burnRates).map(([w, b]) => [w, r(b, 3)])),
    alerts: s.alerts.map((a) => ({ ...a, threshold: r(a.threshold, 3), longBurn: r(a.longBurn, 3), shortBurn: r(a.shortBurn, 3) })),
  };
}

export function registerSloRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const slos = (): SloPort => availablePort(deps.slos, 'SLOs are not available in this server');
  const find = (name: string): SloView => {
    const found = slos()
      .list()
      .find((s) => s.name === name);
    if (!found) throw new ApiError('VIGIL_NOT_FOUND', `no SLO named "${name}"`);
    return found;
  };

  app.get(
    '/api/v1/slos',
    {
      ...access('read'),
      schema: { summary: 'SLOs with attainment, error budget, burn rates and status now', response: { 200: sloListSchema, ...keyedErrors() } },
    },
    () => ({ slos: (deps.slos?.list() ?? []).map(sloView) }),
  );

  app.get<{ Params: { name: string } }>(
    '/api/v1/slos/:name',
    { ...access('read'), schema: { summary: 'One SLO now', response: { 200: sloSchema, ...keyedErrors(404) } } },
    (req) => sloView(find(req.params.name)),
  );

  app.post(
    '/api/v1/slos',
    { ...audited(access('write'), 'slo.create'), schema: { summary: 'Create an SLO', response: { 201: sloSchema, ...keyedErrors(400, 404, 409) } } },
    async (req, reply) => {
      const definition = parseBody(sloDefinitionSchema, req.body);
      const created = await slos().create(definition, false);
      req.auditNote = {
        target: definition.name,
        details: { service: definition.service, objective: definition.objective, target: definition.target, version: created.version },
      };
      return reply.status(201).send(sloView(created));
    },
  );

  app.put<{ Params: { name: string } }>(
    '/api/v1/slos/:name',
    {
      ...audited(access('write'), 'slo.update'),
      schema: { summary: 'Replace an SLO made through the API', response: { 200: sloSchema, ...keyedErrors(400, 404, 409) } },
    },
    async (req) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (body.name !== undefined && body.name !== req.params.name)
        throw new ApiError(
          'VIGIL_BAD_REQUEST',
          `the body names "${typeof body.name === 'string' ? body.name : JSON.stringify(body.name)}" but the path names "${req.params.name}"; an SLO cannot be renamed`,
        );
      const definition = parseBody(sloDefinitionSchema, { ...body, name: req.params.name });
      const replaced = await slos().create(definition, true);
      req.auditNote = {
        target: definition.name,
        details: { service: definition.service, objective: definition.objective, target: definition.target, version: replaced.version },
      };
      return sloView(replaced);
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/api/v1/slos/:name',
    {
      ...audited(access('write'), 'slo.delete'),
      schema: { summary: 'Delete an SLO made through the API', response: { 204: noContent, ...keyedErrors(404, 409) } },
    },
    async (req, reply) => {
      await slos().remove(req.params.name);
      req.auditNote = { target: req.params.name };
      return reply.status(204).send();
    },
  );
}
