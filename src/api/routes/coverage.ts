// GET /api/v1/coverage?from=&to=&journey=: the monitoring-coverage report (issue 4) over a window,
// default the last 24 h: per service and route what is instrumented, a 0-100 score and the gaps.
import type { FastifyInstance } from 'fastify';
import { buildCoverageReport, collectCoverageFacts, journeyFromText, type CoverageReport, type JourneyTarget } from '../../coverage/index.js';
import { ApiError } from '../errors.js';
import { timeRange } from '../params.js';
import { access } from '../access.js';
import type { ApiDeps } from '../ports.js';
import { keyedErrors } from '../schemas/common.js';
import { coverageSchema } from '../schemas/telemetry.js';
import { iso } from '../views.js';

export type CoverageRouteDeps = Pick<ApiDeps, 'store' | 'clock' | 'coverageOptions'>;

const dayMs = 86_400_000;
const maxWindowMs = 31 * dayMs;

/** `journey=POST /checkout&journey=GET /` or `journey=POST /checkout,GET /`. */
function journeysOf(value: unknown): JourneyTarget[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const out = list
    .flatMap((v) => (typeof v === 'string' ? v.split(',') : []))
    .map((s) => s.trim())
    .filter(Boolean);
  if (out.length > 100) throw new ApiError('VIGIL_BAD_REQUEST', 'at most 100 journeys');
  if (out.some((s) => s.length > 300)) throw new ApiError('VIGIL_BAD_REQUEST', 'a journey name is longer than 300 characters');
  return out.map(journeyFromText);
}

export function coverageView(r: CoverageReport): Record<string, unknown> {
  const { fromMs, toMs, ...rest } = r;
  return { from: iso(fromMs), to: iso(toMs), ...rest };
}

export function registerCoverageRoutes(app: FastifyInstance, deps: CoverageRouteDeps): void {
  app.get(
    '/api/v1/coverage',
    {
      ...access('read'),
      schema: { summary: 'Monitoring coverage per service, route and journey, with the gaps', response: { 200: coverageSchema, ...keyedErrors(400) } },
    },
    async (req) => {
      const q = req.query as Record<string, unknown>;
      const { fromMs, toMs } = timeRange(q, deps.clock.now(), dayMs);
      if (toMs - fromMs > maxWindowMs) throw new ApiError('VIGIL_BAD_REQUEST', 'the window is longer than 31 days');
      const configured = deps.coverageOptions ?? {};
      const options = {
        ...configured,
        criticalJourneys: [...(configured.criticalJourneys ?? []), ...journeysOf(q.journey)],
      };
      const facts = await collectCoverageFacts(deps.store, { fromMs, toMs });
      return coverageView(buildCoverageReport(facts, options));
    },
  );
}
