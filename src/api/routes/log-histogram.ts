// How many log lines match a search per time step (the UI's histogram above the log view): the
// same filters as GET /api/v1/logs, counted by the store instead of paged.
import type { FastifyInstance } from 'fastify';
import { logHistogram } from '../../store/index.js';
import { access } from '../access.js';
import { attributeFilters, optionalHexId, optionalString, parseSeverity, parseStepMs, timeRange } from '../params.js';
import type { ApiDeps } from '../ports.js';
import { keyedErrors } from '../schemas/common.js';
import { logHistogramSchema } from '../schemas/telemetry.js';
import { isoOrNull } from '../views.js';

export function registerLogHistogramRoute(app: FastifyInstance, deps: ApiDeps): void {
  app.get(
    '/api/v1/logs/histogram',
    { ...access('read'), schema: { summary: 'How many logs match a search per step', response: { 200: logHistogramSchema, ...keyedErrors(400) } } },
    async (req) => {
      const q = req.query as Record<string, unknown>;
      const { fromMs, toMs } = timeRange(q, deps.clock.now());
      const stepMs = parseStepMs(q.step, toMs - fromMs);
      const buckets = await logHistogram(deps.store, {
        fromMs,
        toMs,
        stepMs,
        text: optionalString(q.q, 'q'),
        service: optionalString(q.service, 'service'),
        minSeverity: parseSeverity(q.severity),
        traceId: optionalHexId(q.traceId, 32, 'traceId'),
        spanId: optionalHexId(q.spanId, 16, 'spanId'),
        version: optionalString(q.version, 'version'),
        attributes: attributeFilters(q),
      });
      return { from: isoOrNull(fromMs), to: isoOrNull(toMs), stepMs, buckets: buckets.map((b) => ({ time: isoOrNull(b.timeMs), ...b })) };
    },
  );
}
