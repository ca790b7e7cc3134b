// GET /metrics: Prometheus text about Vigil itself, for any valid key (a scraper needs no more).
import type { FastifyInstance } from 'fastify';
import { access } from '../access.js';
import { availablePort } from '../errors.js';
import type { ApiDeps } from '../ports.js';
import { z } from 'zod';
import { keyedErrors } from '../schemas/common.js';

const exposition = { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: z.string() } } };

export function registerSelfMetricsRoute(app: FastifyInstance, deps: ApiDeps): void {
  app.get(
    '/metrics',
    { ...access('any-key'), schema: { summary: 'Prometheus metrics about Vigil itself', response: { 200: exposition, ...keyedErrors(404) } } },
    async (_req, reply) => {
      const { contentType, body } = await availablePort(deps.selfMetrics, 'self-metrics are not enabled in this server').render();
      return reply.header('content-type', contentType).send(body);
    },
  );
}
