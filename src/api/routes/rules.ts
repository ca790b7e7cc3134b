// User-defined alert rules: list (with each rule's state and value now), create and delete those
// made through the API (vigil.yaml's are changed in the file).
import type { FastifyInstance } from 'fastify';
import { alertRuleSchema } from '../../rules/index.js';
import type { RulePort, RuleView } from '../assurance-ports.js';
import { access } from '../access.js';
import { audited } from '../audit-hook.js';
import { availablePort } from '../errors.js';
import { parseBody } from '../params.js';
import type { ApiDeps } from '../ports.js';
import { iso } from '../views.js';
import { ruleListSchema, ruleSchema } from '../schemas/assurance.js';
import { keyedErrors, noContent } from '../schemas/common.js';

function ruleView(r: RuleView): Record<string, unknown> {
  const { status, ...rule } = r;
  return {
    ...rule,
    state: status.state,
    value: status.value,
    ...(status.baseline !== undefined ? { baseline: status.baseline } : {}),
    ...(status.score !== undefined ? { score: status.score } : {}),
    ...(status.since !== undefined ? { since: iso(status.since) } : {}),
  };
}

export function registerRuleRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const rules = (): RulePort => availablePort(deps.rules, 'alert rules are not available in this server');

  app.get(
    '/api/v1/rules',
    { ...access('read'), schema: { summary: 'Alert rules with their state and value now', response: { 200: ruleListSchema, ...keyedErrors() } } },
    () => ({ rules: (deps.rules?.list() ?? []).map(ruleView) }),
  );

  app.post(
    '/api/v1/rules',
    { ...audited(access('write'), 'rule.create'), schema: { summary: 'Create an alert rule', response: { 201: ruleSchema, ...keyedErrors(400, 404, 409) } } },
    async (req, reply) => {
      const rule = parseBody(alertRuleSchema, req.body);
      const created = await rules().create(rule);
      req.auditNote = {
        target: rule.name,
        details: {
          service: rule.service,
          kind: rule.kind,
          ...(rule.metric ? { metric: rule.metric } : { red: rule.red ?? null }),
        },
      };
      return reply.status(201).send(ruleView(created));
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/api/v1/rules/:name',
    {
      ...audited(access('write'), 'rule.delete'),
      schema: { summary: 'Delete an alert rule made through the API', response: { 204: noContent, ...keyedErrors(404, 409) } },
    },
    async (req, reply) => {
      await rules().remove(req.params.name);
      req.auditNote = { target: req.params.name };
      return reply.status(204).send();
    },
  );
}
