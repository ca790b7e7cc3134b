// Log patterns and error groups of a search (the UI's service page and the log view's pattern
// view): the store reduces the lines to templates and the failing spans to groups, so the browser
// receives a few hundred rows instead of every line. The same filters as GET /api/v1/logs.
import type { FastifyInstance } from 'fastify';
import { ClickHouseContextQueries, logPatterns } from '../../store/index.js';
import { access } from '../access.js';
import { ApiError } from '../errors.js';
import { attributeFilters, optionalString, parseLimit, parseSeverity, timeRange } from '../params.js';
import type { ApiDeps } from '../ports.js';
import { isoOrNull } from '../views.js';
import { keyedErrors } from '../schemas/common.js';
import { logPatternsSchema } from '../schemas/telemetry.js';

const hex = (value: unknown, length: number, name: string): string | undefined => {
  const text = optionalString(value, name)?.toLowerCase();
  if (text && !new RegExp(`^[0-9a-f]{${length}}$`).test(text)) throw new ApiError('VIGIL_BAD_REQUEST', `${name} must be ${length} hex characters`);
  return text || undefined;
};

/** Error groups are the failing spans of named services: a page shows the top ones. */
const maxErrorGroups = 50;

export function registerLogPatternRoute(app: FastifyInstance, deps: ApiDeps): void {
  const context = new ClickHouseContextQueries(deps.store);
  app.get(
    '/api/v1/logs/patterns',
    { ...access('read'), schema: { summary: 'Log patterns and error groups of a search', response: { 200: logPatternsSchema, ...keyedErrors(400) } } },
    async (req) => {
      const q = req.query as Record<string, unknown>;
      const { fromMs, toMs } = timeRange(q, deps.clock.now());
      const service = optionalString(q.service, 'service');
      const limit = parseLimit(q.limit, 200, 1000);
      // "New" means absent from the same length of time just before the range.
      const baselineFromMs = fromMs - (toMs - fromMs);
      const services = (service ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const [found, errorGroups] = await Promise.all([
        logPatterns(deps.store, {
          fromMs,
          toMs,
          baselineFromMs,
          limit,
          text: optionalString(q.q, 'q'),
          service,
          minSeverity: parseSeverity(q.severity),
          traceId: hex(q.traceId, 32, 'traceId'),
          spanId: hex(q.spanId, 16, 'spanId'),
          version: optionalString(q.version, 'version'),
          attributes: attributeFilters(q),
        }),
        services.length ? context.errorGroups({ services, fromMs, toMs, limit: Math.min(limit, maxErrorGroups) }) : Promise.resolve([]),
      ]);
      return {
        from: isoOrNull(fromMs),
        to: isoOrNull(toMs),
        baselineFrom: isoOrNull(baselineFromMs),
        totalPatterns: found.totalPatterns,
        totalLines: found.totalLines,
        patterns: found.patterns.map((p) => ({
          service: p.service,
          template: p.template,
          count: p.count,
          baselineCount: p.baselineCount,
          new: p.baselineCount === 0,
          firstSeen: isoOrNull(p.firstSeenMs),
          lastSeen: isoOrNull(p.lastSeenMs),
          maxSeverity: p.maxSeverity,
          sample: { time: isoOrNull(p.sample.timeMs), severityText: p.sample.severityText, body: p.sample.body, traceId: p.sample.traceId || null },
        })),
        errorGroups: errorGroups.map((g) => ({
          service: g.service,
          fingerprint: g.fingerprint,
          exceptionType: g.exceptionType || null,
          message: g.message,
          count: g.count,
          sampleTraceId: g.sampleTraceId || null,
          firstSeenVersion: g.firstSeenVersion || null,
          firstSeen: isoOrNull(g.firstSeenMs),
        })),
      };
    },
  );
}
