// Explore: traces, span search, log search, metric series, RED series and the services list.
import type { FastifyInstance } from 'fastify';
import { getTrace, listMetricNames, listServices, metricSeries, redSeries, searchLogs, searchSpans } from '../../store/index.js';
import { ApiError } from '../errors.js';
import { attributeFilters, hexId, optionalHexId, optionalString, parseLimit, parseNumber, parseSeverity, parseStepMs, timeRange } from '../params.js';
import { access } from '../access.js';
import type { ApiDeps } from '../ports.js';
import { keyedErrors } from '../schemas/common.js';
import { logPageSchema, metricNamesSchema, metricSeriesSchema, redSeriesSchema, servicesSchema, spanPageSchema, traceSchema } from '../schemas/telemetry.js';
import { isoOrNull, logView, spanView } from '../views.js';

type Query = Record<string, unknown>;

export function registerExploreRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { store } = deps;

  app.get<{ Params: { traceId: string } }>(
    '/api/v1/traces/:traceId',
    { ...access('read'), schema: { summary: 'One trace with all its spans', response: { 200: traceSchema, ...keyedErrors(400, 404) } } },
    async (req) => {
      const traceId = hexId(req.params.traceId, 32, 'traceId');
      const spans = await getTrace(store, traceId);
      if (!spans.length) throw new ApiError('VIGIL_NOT_FOUND', `no trace ${traceId} (it may not have arrived yet, or aged out)`);
      const start = Math.min(...spans.map((s) => s.startTimeMs));
      const end = Math.max(...spans.map((s) => s.startTimeMs + s.durationMs));
      return {
        traceId,
        startTime: isoOrNull(start),
        durationMs: end - start,
        services: [...new Set(spans.map((s) => s.service))],
        spanCount: spans.length,
        errorCount: spans.filter((s) => s.statusCode === 'error').length,
        spans: spans.map(spanView),
      };
    },
  );

  app.get(
    '/api/v1/spans',
    { ...access('read'), schema: { summary: 'Search spans, newest first, paged by cursor', response: { 200: spanPageSchema, ...keyedErrors(400) } } },
    async (req) => {
      const q = req.query as Query;
      const { fromMs, toMs } = timeRange(q, deps.clock.now());
      const status = optionalString(q.status, 'status');
      if (status && !['error', 'ok', 'unset'].includes(status)) throw new ApiError('VIGIL_BAD_REQUEST', 'status must be error, ok or unset');
      const page = await searchSpans(store, {
        fromMs,
        toMs,
        service: optionalString(q.service, 'service'),
        route: optionalString(q.route, 'route'),
        name: optionalString(q.name, 'name'),
        kind: optionalString(q.kind, 'kind'),
        status: status as 'error' | 'ok' | 'unset' | undefined,
        version: optionalString(q.version, 'version'),
        traceId: optionalHexId(q.traceId, 32, 'traceId'),
        userId: optionalString(q.userId, 'userId'),
        minDurationMs: parseNumber(q.minDuration, 'minDuration'),
        maxDurationMs: parseNumber(q.maxDuration, 'maxDuration'),
        attributes: attributeFilters(q),
        limit: parseLimit(q.limit, 100, 1000),
        cursor: optionalString(q.cursor, 'cursor'),
      });
      return { spans: page.items.map(spanView), nextCursor: page.nextCursor ?? null };
    },
  );

  app.get(
    '/api/v1/logs',
    { ...access('read'), schema: { summary: 'Search logs, newest first, paged by cursor', response: { 200: logPageSchema, ...keyedErrors(400) } } },
    async (req) => {
      const q = req.query as Query;
      const traceId = optionalHexId(q.traceId, 32, 'traceId');
      // A trace's logs are wanted whatever their age: widen the default range when only a trace id is given.
      const { fromMs, toMs } = timeRange(q, deps.clock.now(), traceId && q.from === undefined ? 30 * 86_400_000 : 3_600_000);
      const page = await searchLogs(store, {
        fromMs,
        toMs: q.to === undefined ? toMs + 60_000 : toMs,
        text: optionalString(q.q, 'q'),
        service: optionalString(q.service, 'service'),
        minSeverity: parseSeverity(q.severity),
        traceId,
        spanId: optionalHexId(q.spanId, 16, 'spanId'),
        version: optionalString(q.version, 'version'),
        attributes: attributeFilters(q),
        limit: parseLimit(q.limit, 100, 1000),
        cursor: optionalString(q.cursor, 'cursor'),
      });
      return { logs: page.items.map(logView), nextCursor: page.nextCursor ?? null };
    },
  );

  app.get(
    '/api/v1/metrics',
    { ...access('read'), schema: { summary: 'The series of a metric, aggregated per step', response: { 200: metricSeriesSchema, ...keyedErrors(400) } } },
    async (req) => {
      const q = req.query as Query;
      const name = optionalString(q.name, 'name');
      if (!name) throw new ApiError('VIGIL_BAD_REQUEST', 'name is required: the metric name, e.g. name=db.client.connection.count');
      const { fromMs, toMs } = timeRange(q, deps.clock.now());
      const stepMs = parseStepMs(q.step, toMs - fromMs);
      const r = await metricSeries(store, {
        name,
        fromMs,
        toMs,
        stepMs,
        service: optionalString(q.service, 'service'),
        attributes: attributeFilters(q),
        maxSeries: parseLimit(q.limit, 100, 1000),
      });
      return {
        ...r,
        from: isoOrNull(fromMs),
        to: isoOrNull(toMs),
        series: r.series.map((s) => ({ labels: s.labels, points: s.points.map((p) => ({ time: isoOrNull(p.timeMs), ...p })) })),
      };
    },
  );

  // Which metrics exist: a metric's name is the one thing a user must know to chart it.
  app.get(
    '/api/v1/metric-names',
    { ...access('read'), schema: { summary: 'Which metrics were sent in a window', response: { 200: metricNamesSchema, ...keyedErrors(400) } } },
    async (req) => {
      const q = req.query as Query;
      const { fromMs, toMs } = timeRange(q, deps.clock.now(), 24 * 3_600_000);
      const names = await listMetricNames(store, {
        fromMs,
        toMs,
        service: optionalString(q.service, 'service'),
        prefix: optionalString(q.prefix, 'prefix', 200),
        limit: parseLimit(q.limit, 1000, 10_000),
      });
      return { from: isoOrNull(fromMs), to: isoOrNull(toMs), metrics: names.map(({ lastSeenMs, ...m }) => ({ ...m, lastSeen: isoOrNull(lastSeenMs) })) };
    },
  );

  app.get(
    '/api/v1/red',
    {
      ...access('read'),
      schema: { summary: 'Rate, errors and duration per step, by service, route or version', response: { 200: redSeriesSchema, ...keyedErrors(400) } },
    },
    async (req) => {
      const q = req.query as Query;
      const { fromMs, toMs } = timeRange(q, deps.clock.now());
      const groupBy = optionalString(q.groupBy, 'groupBy') ?? 'service';
      if (!['service', 'route', 'version'].includes(groupBy)) throw new ApiError('VIGIL_BAD_REQUEST', 'groupBy must be service, route or version');
      const series = await redSeries(store, {
        fromMs,
        toMs,
        stepMs: parseStepMs(q.step, toMs - fromMs),
        service: optionalString(q.service, 'service'),
        route: optionalString(q.route, 'route'),
        version: optionalString(q.version, 'version'),
        groupBy: groupBy as 'service' | 'route' | 'version',
        maxSeries: parseLimit(q.limit, 100, 1000),
      });
      return { groupBy, series: series.map((s) => ({ ...s, points: s.points.map((p) => ({ time: isoOrNull(p.timeMs), ...p })) })) };
    },
  );

  app.get(
    '/api/v1/services',
    { ...access('read'), schema: { summary: 'Services seen in a window with their RED figures', response: { 200: servicesSchema, ...keyedErrors(400) } } },
    async (req) => {
      const q = req.query as Query;
      const { fromMs, toMs } = timeRange(q, deps.clock.now(), 15 * 60_000);
      const services = await listServices(store, fromMs, toMs);
      return { from: isoOrNull(fromMs), to: isoOrNull(toMs), services: services.map((s) => ({ ...s, lastSeen: isoOrNull(s.lastSeenMs) })) };
    },
  );
}
