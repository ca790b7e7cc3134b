// Production confidence per service: one level (high/medium/low), a score and its reasons — "is it
// safe to stop watching?" (docs/confidence.md says how it is computed).
import type { FastifyInstance } from 'fastify';
import { access } from '../access.js';
import { ApiError } from '../errors.js';
import { optionalString } from '../params.js';
import type { ApiDeps } from '../ports.js';

export function registerConfidenceRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/api/v1/confidence', access('read'), async (req) => {
    const service = optionalString((req.query as Record<string, unknown>).service, 'service');
    const all = (await deps.confidence?.services()) ?? [];
    const services = service === undefined ? all : all.filter((c) => c.service === service);
    if (service !== undefined && !services.length)
      throw new ApiError('VIGIL_NOT_FOUND', `no service named "${service}" is known`);
    return { services };
  });
}
