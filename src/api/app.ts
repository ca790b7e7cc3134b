// The API server: Fastify with one auth hook (the scope each matched route declares), one error
// handler that maps ApiErrors to statuses, and route modules registered in routes/. Refused and
// failed requests are logged with method, route and key id, never with their body or key.
import type { RequestListener, Server } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from '../logger.js';
import { decideAccess, requireDeclaredAccess } from './access.js';
import { ApiError, asApiError } from './errors.js';
import type { ApiDeps } from './ports.js';
import { registerAuditHook } from './audit-hook.js';
import { registerOpenApi } from './openapi.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerChangeRoutes } from './routes/changes.js';
import { registerCheckRoutes } from './routes/checks.js';
import { registerCoverageRoutes } from './routes/coverage.js';
import { registerExploreRoutes } from './routes/explore.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerSelfMetricsRoute } from './routes/self-metrics.js';
import { registerServiceMapRoutes } from './routes/service-map.js';
import { registerLogHistogramRoute } from './routes/log-histogram.js';
import { registerLogPatternRoute } from './routes/log-patterns.js';
import { registerIncidentRoutes } from './routes/incidents.js';
import { registerReportRoutes } from './routes/reports.js';
import { registerReviewRoutes } from './routes/reviews.js';
import { registerTicketRoutes } from './routes/tickets.js';
import { registerKeyRoutes } from './routes/keys.js';
import { registerSloRoutes } from './routes/slos.js';
import { registerSilenceRoutes } from './routes/silences.js';
import { registerRuleRoutes } from './routes/rules.js';
import { registerConfidenceRoutes } from './routes/confidence.js';
import { registerStatusRoutes } from './routes/status.js';
import { registerReleaseRoutes } from './routes/release.js';
import { registerSessionRoute } from './routes/session.js';

export interface ApiOptions {
  bodyLimitBytes: number;
  /** Where refusals and failures are logged; omitted, they are not logged (unit tests). */
  log?: Logger;
  /** Builds the HTTP(S) server: timeouts and TLS (see server/listeners.ts); omitted, Fastify's defaults. */
  serverFactory?: (handler: RequestListener) => Server;
}

export function buildApi(deps: ApiDeps, options: ApiOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimitBytes, ...(options.serverFactory ? { serverFactory: options.serverFactory } : {}) });
  const log = options.log;
  requireDeclaredAccess(app);
  registerOpenApi(app);

  app.addHook('onRequest', (req, _reply, done) => {
    const decision = decideAccess(deps, req);
    if (decision.key) req.vigilKey = decision.key;
    done(decision.error);
  });

  // One line per refused or failed request: who (key id), what (method, matched route, path),
  // the answer. Never the body, the query string (it may hold user ids) or the key.
  app.addHook('onResponse', (req, reply, done) => {
    deps.selfMetrics?.apiAnswered(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    if (reply.statusCode >= 400 && log) {
      const line = {
        method: req.method,
        route: req.routeOptions.url ?? null,
        path: req.url.split('?')[0],
        status: reply.statusCode,
        keyId: req.vigilKey?.id ?? null,
        ip: req.ip,
      };
      if (reply.statusCode >= 500) log.error(line, 'api request failed');
      else if (reply.statusCode === 401 || reply.statusCode === 403) log.warn(line, 'api request refused');
      else log.info(line, 'api request rejected');
    }
    done();
  });

  app.setErrorHandler((thrown, req, reply) => {
    const err = asApiError(thrown) ?? thrown;
    if (err instanceof ApiError) {
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      const code = status === 413 ? 'VIGIL_BODY_TOO_LARGE' : status === 415 ? 'VIGIL_UNSUPPORTED_MEDIA_TYPE' : 'VIGIL_BAD_REQUEST';
      return reply.status(status).send({ error: { code, message: (err as Error).message } });
    }
    log?.error(
      { err: { type: (err as Error).name, message: (err as Error).message, stack: (err as Error).stack }, route: req.routeOptions.url ?? null },
      'api handler threw',
    );
    return reply.status(500).send({ error: { code: 'VIGIL_INTERNAL', message: 'internal error; see the server log' } });
  });

  registerAuditHook(app, deps.audit, log);

  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'VIGIL_NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });

  registerHealthRoutes(app, deps);
  registerChangeRoutes(app, deps);
  registerKeyRoutes(app, deps);
  registerSessionRoute(app, deps);
  registerAuditRoutes(app, deps);
  registerSelfMetricsRoute(app, deps);
  registerSloRoutes(app, deps);
  registerSilenceRoutes(app, deps);
  registerRuleRoutes(app, deps);
  // Reads over telemetry and what detection made of it see every acknowledged OTLP request.
  void app.register((reads, _opts, done) => {
    const telemetry = deps.telemetry;
    if (telemetry) reads.addHook('preHandler', async (req) => (req.method === 'GET' ? telemetry.visible() : undefined));
    registerExploreRoutes(reads, deps);
    registerIncidentRoutes(reads, deps);
    registerReviewRoutes(reads, deps);
    registerReportRoutes(reads, deps);
    registerTicketRoutes(reads, deps);
    registerCoverageRoutes(reads, deps);
    registerCheckRoutes(reads, deps);
    registerConfidenceRoutes(reads, deps);
    registerStatusRoutes(reads, deps);
    registerServiceMapRoutes(reads, deps);
    registerLogHistogramRoute(reads, deps);
    registerLogPatternRoute(reads, deps);
    registerReleaseRoutes(reads, deps);
    done();
  });
  return app;
}
