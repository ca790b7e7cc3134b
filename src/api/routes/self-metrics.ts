// GET /metrics: Prometheus text about Vigil itself, for any valid key (a scraper needs no more).
import type { FastifyInstance } from 'fastify';
import { access } from '../access.js';
import { ApiError } from '../errors.js';
import type { ApiDeps } from '../ports.js';

export function registerSelfMetricsRoute(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/metrics', access('any-key'), async (_req, reply) => {
    if (!deps.selfMetrics) throw new ApiError('VIGIL_NOT_FOUND', 'self-metrics are not enabled in this server');
    const { contentType, body } = await deps.selfMetrics.render();
    return reply.header('content-type', contentType).send(body);
  });
}
