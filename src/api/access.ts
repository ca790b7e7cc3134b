// Which key scope a route needs is declared on the route itself (`config.access`) and checked
// against the route the router matched, never against the URL text: `/api/v1/%6beys`,
// `//api/v1/keys` or `/api/v1/x/../keys` must need exactly what `/api/v1/keys` needs.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { KeyInfo, Scope } from '../auth/index.js';
import { ApiError } from './errors.js';
import type { ApiDeps } from './ports.js';

/**
 * A key scope; `any-key` for routes every valid key may call (Vigil's own /metrics, which a
 * Prometheus holding only an ingest key scrapes); `public` for the few anyone may call (health).
 */
export type RouteAccess = Scope | 'any-key' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

/** Route options that declare the scope a route needs. */
export const access = (needed: RouteAccess): { config: { access: RouteAccess } } => ({ config: { access: needed } });

/**
 * Fails the server's build when a route declares no scope: a forgotten declaration must not
 * silently become "any key". Call before any route is registered.
 */
export function requireDeclaredAccess(app: FastifyInstance): void {
  const table: DeclaredRoute[] = [];
  routeTables.set(app, table);
  app.addHook('onRoute', (route) => {
    const declared = route.config?.access;
    if (!declared)
      throw new Error(`route ${String(route.method)} ${route.url} declares no access scope: add access('read'|'write'|'admin'|'any-key'|'public')`);
    for (const method of [route.method].flat()) table.push({ method, url: route.url, access: declared });
  });
}

export interface DeclaredRoute {
  method: string;
  url: string;
  access: RouteAccess;
}

const routeTables = new WeakMap<FastifyInstance, DeclaredRoute[]>();

/** Every route of an API built with requireDeclaredAccess and the scope it declared (tests walk it). */
export const declaredRoutes = (app: FastifyInstance): readonly DeclaredRoute[] => routeTables.get(app) ?? [];

export interface AccessDecision {
  /** Why the request may not proceed, or undefined when it may. */
  error?: ApiError;
  /** The key that made the request (never the key itself), for logs and the audit trail. */
  key?: Pick<KeyInfo, 'id' | 'name'>;
}

/**
 * Decides from the matched route's declared scope. Deny by default: a request that matched no route
 * is forbidden unless the key is an admin's, so a path no route declares (however it is spelled)
 * grants nothing and tells a lesser key nothing; an admin gets the 404 that helps fix a typo.
 */
export function decideAccess(deps: ApiDeps, req: FastifyRequest): AccessDecision {
  const matched = req.routeOptions.config.access;
  if (matched === 'public') return {};
  // A Bearer key wins; without one, the UI's session cookie stands for the key it logged in with.
  const bearer = req.headers.authorization !== undefined;
  const identity = bearer ? deps.keys.identify(req.headers.authorization) : (deps.sessions?.identify(req.headers.cookie) ?? null);
  if (!identity) return { error: new ApiError('VIGIL_UNAUTHORIZED', 'missing or unknown API key: send Authorization: Bearer <key>') };
  const key = { id: identity.id, name: identity.name };
  if (!bearer && !isSafeMethod(req.method) && !sameOriginUiRequest(req)) {
    return {
      key,
      error: new ApiError(
        'VIGIL_CSRF',
        'a request authenticated by the UI session cookie must come from the UI: send X-Vigil-Request: ui from the same origin',
      ),
    };
  }
  if (!matched)
    return identity.scopes.has('admin')
      ? { key }
      : { key, error: new ApiError('VIGIL_FORBIDDEN', `no route ${req.method} ${req.url.split('?')[0]} is open to this key`) };
  if (matched === 'any-key') return { key };
  return identity.scopes.has(matched) ? { key } : { key, error: new ApiError('VIGIL_FORBIDDEN', `this key lacks the "${matched}" scope`) };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The key that passed the access check (its id and name), for logs and the audit trail. */
    vigilKey?: Pick<KeyInfo, 'id' | 'name'>;
  }
}

const isSafeMethod = (method: string): boolean => method === 'GET' || method === 'HEAD' || method === 'OPTIONS';

/**
 * Cross-site request forgery guard for cookie-authenticated writes (beside SameSite=Strict): a
 * custom header, which no other site can make a browser send without a CORS grant Vigil never
 * gives, and an Origin, when the browser sends one, equal to the host the request went to.
 */
export function sameOriginUiRequest(req: FastifyRequest): boolean {
  if (req.headers['x-vigil-request'] !== 'ui') return false;
  return originMatchesHost(req);
}

/** True when the request has no Origin header or one naming the host it was sent to. */
export function originMatchesHost(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
