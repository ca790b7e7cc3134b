// How many log lines match a search per time step (the UI's histogram above the log view): the
// same filters as GET /api/v1/logs, counted by the store instead of paged.
import type { FastifyInstance } from 'fastify';
import { logHistogram } from '../../store/index.js';
import { access } from '../access.js';
import { ApiError } from '../errors.js';
import { attributeFilters, optionalString, parseSeverity, parseStepMs, timeRange } from '../params.js';
import type { ApiDeps } from '../ports.js';
import { keyedErrors } from '../schemas/common.js';
import { logHistogramSchema } from '../schemas/telemetry.js';
import { isoOrNull } from '../views.js';

const hex = (value: unknown, length: number, name: string): string | undefined => {
  const text = optionalString(value, name)?.toLowerCase();
  if (text && !new RegExp(`^[0-9a-f]{${length}}$`).test(text)) throw new ApiError('VIGIL_BAD_REQUEST', `${name} must be ${length} hex characters`);
  return text || undefined;
};

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
        traceId: hex(q.traceId, 32, 'traceId'),
        spanId: hex(q.spanId, 16, 'spanId'),
        version: optionalString(q.version, 'version'),
        attributes: attributeFilters(q),
      });
      return { from: isoOrNull(fromMs), to: isoOrNull(toMs), stepMs, buckets: buckets.map((b) => ({ time: isoOrNull(b.timeMs), ...b })) };
    },
  );
}
