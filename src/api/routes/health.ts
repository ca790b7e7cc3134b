// Readiness and the engine clock: tests poll the watermark instead of sleeping.
import type { FastifyInstance } from 'fastify';
import { access } from '../access.js';
import { errorAnswers } from '../schemas/common.js';
import { healthSchema } from '../schemas/server.js';
import type { ApiDeps } from '../ports.js';
import { iso } from '../views.js';

export function registerHealthRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(
    '/api/v1/health',
    { ...access('public'), schema: { summary: 'Readiness and the engine clock', response: { 200: healthSchema, ...errorAnswers(false) } } },
    async () => {
      const watermark = deps.clock.watermarkMs();
      const { reasons = [], ...details } = deps.status ? await deps.status() : {};
      return {
        // Ready means 200; "degraded" says it works but needs the operator (the reasons say why).
        status: reasons.length ? 'degraded' : 'ok',
        ...(reasons.length ? { reasons } : {}),
        clock: deps.clock.mode,
        watermark: watermark > 0 ? iso(watermark) : null,
        watermarkMs: watermark,
        ...details,
      };
    },
  );
}
