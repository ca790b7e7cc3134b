// Production confidence per service: one level (high/medium/low), a score and its reasons — "is it
// safe to stop watching?" (docs/confidence.md says how it is computed) — and `overall`, that question
// answered for all of production at once (the weakest service decides), which the home page leads with.
import type { FastifyInstance } from 'fastify';
import { overallConfidence } from '../../confidence/index.js';
import { access } from '../access.js';
import { ApiError } from '../errors.js';
import { optionalString } from '../params.js';
import type { ApiDeps } from '../ports.js';
import { keyedErrors } from '../schemas/common.js';
import { confidenceListSchema } from '../schemas/assurance.js';

export function registerConfidenceRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(
    '/api/v1/confidence',
    { ...access('read'), schema: { summary: 'Production confidence per service', response: { 200: confidenceListSchema, ...keyedErrors(400, 404) } } },
    async (req) => {
      const service = optionalString((req.query as Record<string, unknown>).service, 'service');
      const all = (await deps.confidence?.services()) ?? [];
      const services = service === undefined ? all : all.filter((c) => c.service === service);
      if (service !== undefined && !services.length) throw new ApiError('VIGIL_NOT_FOUND', `no service named "${service}" is known`);
      return { overall: overallConfidence(services), services };
    },
  );
}
