// Serves the web UI on the API port: the app's deep links (answered with the app when a session
// or key is present, with the login page otherwise), its hashed assets, login and logout. The API
// itself accepts the session cookie (api/access.ts), so the app calls /api/v1 like any client.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { access, audited, originMatchesHost, type SessionPort } from '../api/index.js';
import type { KeyRing } from '../auth/index.js';
import type { UiAssets } from './assets.js';
import { firstReadPreloads } from './first-reads.js';
import { loginPage, loginScript, safeNext } from './login-page.js';
import { clearedSessionCookie, sessionCookie } from './sessions.js';

export interface UiRouteOptions {
  assets: UiAssets;
  /** Served over TLS: the cookie gets the Secure flag. */
  secure: boolean;
  sessionTtlMs: number;
}

/** Pages and assets of the UI, open to anyone; not API operations, so not in the OpenAPI document. */
const uiPage = { ...access('public'), schema: { hide: true } };

/** The contract's deep links; each serves the app, which routes on the path. */
export const uiPaths = [
  '/',
  '/incidents',
  '/incidents/:id',
  '/services',
  '/services/:name',
  '/traces/:traceId',
  '/logs',
  '/map',
  '/deployments',
  '/checks',
  '/slos',
] as const;

/**
 * Scripts only from this origin (no inline script, no eval); styles may be inline (the chart
 * library sizes its canvas with style attributes); nothing may frame the UI.
 */
export const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', contentSecurityPolicy)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'same-origin')
    .header('cross-origin-opener-policy', 'same-origin');
}

/** Failed logins per client address in the current window: a key cannot be guessed, a weak VIGIL_API_KEY could. */
class LoginThrottle {
  private readonly failures = new Map<string, { count: number; sinceMs: number }>();
  constructor(
    private readonly max = 20,
    private readonly windowMs = 5 * 60_000,
  ) {}
  blocked(ip: string, nowMs: number): boolean {
    const f = this.failures.get(ip);
    return !!f && nowMs - f.sinceMs < this.windowMs && f.count >= this.max;
  }
  failed(ip: string, nowMs: number): void {
    const f = this.failures.get(ip);
    if (!f || nowMs - f.sinceMs >= this.windowMs) {
      if (this.failures.size > 10_000) this.failures.clear();
      this.failures.set(ip, { count: 1, sinceMs: nowMs });
    } else f.count++;
  }
}

export function registerUiRoutes(app: FastifyInstance, deps: { keys: Pick<KeyRing, 'identify'>; sessions: SessionPort }, o: UiRouteOptions): void {
  const { sessions } = deps;
  const { assets } = o;
  const throttle = new LoginThrottle();
  const viewer = (req: FastifyRequest) =>
    req.headers.authorization !== undefined ? deps.keys.identify(req.headers.authorization) : sessions.identify(req.headers.cookie);

  const sendApp = (reply: FastifyReply, url: string): FastifyReply => {
    const index = assets.get('index.html');
    securityHeaders(reply).header('cache-control', 'no-store');
    if (!index)
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The Vigil UI is not built in this installation: run `npm run build` in the repository (the npm package ships it built).');
    const preloads = firstReadPreloads(url);
    return reply.type(index.contentType).send(preloads ? index.body.toString('utf8').replace('</head>', `${preloads}</head>`) : index.body);
  };
  const sendLogin = (reply: FastifyReply, next: string, status = 200, error?: string): FastifyReply =>
    securityHeaders(reply)
      .status(status)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(loginPage({ next, ...(error ? { error } : {}) }));

  for (const path of uiPaths) {
    app.get(path, uiPage, async (req, reply) => (viewer(req)?.scopes.has('read') ? sendApp(reply, req.url) : sendLogin(reply, safeNext(req.url))));
  }

  app.get('/login', uiPage, async (req, reply) => {
    const next = safeNext((req.query as Record<string, unknown>).next);
    return viewer(req)?.scopes.has('read') ? reply.redirect(next, 303) : sendLogin(reply, next);
  });
  app.get('/login.js', uiPage, async (_req, reply) =>
    securityHeaders(reply).type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(loginScript),
  );

  app.get<{ Params: { '*': string } }>('/assets/*', uiPage, async (req, reply) => {
    const asset = assets.get(`assets/${req.params['*']}`);
    if (!asset) return reply.status(404).send({ error: { code: 'VIGIL_NOT_FOUND', message: 'no such UI asset' } });
    securityHeaders(reply).type(asset.contentType).header('cache-control', 'public, max-age=31536000, immutable').header('vary', 'accept-encoding');
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(asset.gzip);
    return reply.send(asset.body);
  });
  for (const path of ['/favicon.svg', '/favicon.ico']) {
    app.get(path, uiPage, async (_req, reply) => {
      const icon = assets.get('favicon.svg');
      return icon ? reply.type(icon.contentType).header('cache-control', 'public, max-age=86400').send(icon.body) : reply.status(404).send();
    });
  }

  // A plain form post; the Origin check keeps another site from signing a browser in with its own key.
  void app.register((forms, _opts, done) => {
    forms.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, parsed) => {
      parsed(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    forms.post('/login', { ...audited(access('public'), 'ui.login'), schema: { hide: true } }, async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const next = safeNext(body.next);
      const now = Date.now();
      if (!originMatchesHost(req)) return sendLogin(reply, next, 403, 'Sign in from this Vigil’s own page.');
      if (throttle.blocked(req.ip, now)) return sendLogin(reply, next, 429, 'Too many failed sign-ins from this address; wait a few minutes.');
      const key = typeof body.key === 'string' ? body.key.trim() : '';
      const session = key && key.length <= 512 ? await sessions.create(key) : null;
      if (!session) {
        throttle.failed(req.ip, now);
        req.auditNote = { details: { ok: false } };
        return sendLogin(reply, next, 401, 'That key is unknown, revoked, or lacks the read scope.');
      }
      req.vigilKey = { id: session.identity.id, name: session.identity.name };
      req.auditNote = { target: session.identity.id, details: { ok: true } };
      return securityHeaders(reply)
        .header('set-cookie', sessionCookie(session.sessionId, { secure: o.secure, maxAgeSeconds: Math.floor(o.sessionTtlMs / 1000) }))
        .redirect(next, 303);
    });
    forms.post('/logout', uiPage, async (req, reply) => {
      if (!originMatchesHost(req)) return reply.status(403).send({ error: { code: 'VIGIL_CSRF', message: 'log out from this Vigil’s own page' } });
      await sessions.destroy(req.headers.cookie);
      return reply.header('set-cookie', clearedSessionCookie(o.secure)).redirect('/login', 303);
    });
    done();
  });
}
