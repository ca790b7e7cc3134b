// The API server: Fastify with one auth hook (scopes by method), one error handler that maps
// ApiErrors to statuses, and route modules registered in routes/.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Scope } from '../auth/index.js';
import { ApiError } from './errors.js';
import type { ApiDeps } from './ports.js';
import { registerChangeRoutes } from './routes/changes.js';
import { registerCoverageRoutes } from './routes/coverage.js';
import { registerExploreRoutes } from './routes/explore.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerIncidentRoutes } from './routes/incidents.js';
import { registerKeyRoutes } from './routes/keys.js';

export interface ApiOptions {
  bodyLimitBytes: number;
  logger: boolean | Record<string, unknown>;
}

const openPaths = new Set(['/api/v1/health']);

function requiredScope(method: string, url: string): Scope {
  if (url.startsWith('/api/v1/keys')) return 'admin';
  return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
}

/** Why the request may not proceed, or undefined when it may. */
function authorizationError(deps: ApiDeps, method: string, url: string, authorization: string | undefined): ApiError | undefined {
  const path = url.split('?')[0] ?? '';
  if (openPaths.has(path)) return undefined;
  const scopes = deps.keys.scopesOf(authorization);
  if (!scopes) return new ApiError('VIGIL_UNAUTHORIZED', 'missing or unknown API key: send Authorization: Bearer <key>');
  const needed = requiredScope(method, path);
  return scopes.has(needed) ? undefined : new ApiError('VIGIL_FORBIDDEN', `this key lacks the "${needed}" scope`);
}

export function buildApi(deps: ApiDeps, options: ApiOptions): FastifyInstance {
  const app = Fastify({ logger: options.logger, bodyLimit: options.bodyLimitBytes });

  app.addHook('onRequest', (req, _reply, done) => {
    done(authorizationError(deps, req.method, req.url, req.headers.authorization));
  });

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof ApiError) {
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      const code = status === 413 ? 'VIGIL_BODY_TOO_LARGE' : status === 415 ? 'VIGIL_UNSUPPORTED_MEDIA_TYPE' : 'VIGIL_BAD_REQUEST';
      return reply.status(status).send({ error: { code, message: (err as Error).message } });
    }
    req.log.error({ err }, 'request failed');
    return reply.status(500).send({ error: { code: 'VIGIL_INTERNAL', message: 'internal error; see the server log' } });
  });

  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'VIGIL_NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });

  registerHealthRoutes(app, deps);
  registerChangeRoutes(app, deps);
  registerKeyRoutes(app, deps);
  // Reads over telemetry and what detection made of it see every acknowledged OTLP request.
  void app.register((reads, _opts, done) => {
    const telemetry = deps.telemetry;
    if (telemetry) reads.addHook('preHandler', async (req) => (req.method === 'GET' ? telemetry.visible() : undefined));
    registerExploreRoutes(reads, deps);
    registerIncidentRoutes(reads, deps);
    registerCoverageRoutes(reads, deps);
    done();
  });
  return app;
}
