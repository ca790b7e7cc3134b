// The reliability report for a range (default: the 7 days up to now), as JSON, Markdown or HTML.
import type { FastifyInstance } from 'fastify';
import { reliabilityDocument, reliabilityJson } from '../../reports/index.js';
import { renderHtml, renderMarkdown } from '../../reviews/index.js';
import { access } from '../access.js';
import { ApiError } from '../errors.js';
import { optionalString, timeRange } from '../params.js';
import type { ApiDeps } from '../ports.js';
import { followUpOf, sendDocument } from './reviews.js';
import { documentAnswer, keyedErrors } from '../schemas/common.js';
import { reliabilitySchema } from '../schemas/follow-up.js';

const WEEK_MS = 7 * 86_400_000;
/** A report reads every incident of its range plus 90 days before it; ten years is plenty. */
const MAX_RANGE_MS = 3660 * 86_400_000;

export function registerReportRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(
    '/api/v1/reports/reliability',
    {
      ...access('read'),
      schema: {
        summary: 'The reliability report for a range (JSON, or format=md|html)',
        response: { 200: documentAnswer(reliabilitySchema, 'the report'), ...keyedErrors(400, 404) },
      },
    },
    async (req, reply) => {
      const q = req.query as Record<string, unknown>;
      const format = optionalString(q.format, 'format', 20);
      if (format !== undefined && !['json', 'md', 'markdown', 'html'].includes(format))
        throw new ApiError('VIGIL_BAD_REQUEST', 'format must be json, md or html');
      const { fromMs, toMs } = timeRange(q, deps.clock.now(), WEEK_MS);
      if (toMs - fromMs > MAX_RANGE_MS) throw new ApiError('VIGIL_BAD_REQUEST', 'the range may span at most 3660 days');
      const report = await followUpOf(deps).reliability(fromMs, toMs);
      return sendDocument(
        reply,
        format,
        () => renderMarkdown(reliabilityDocument(report)),
        () => renderHtml(reliabilityDocument(report)),
        () => reliabilityJson(report),
      );
    },
  );
}
