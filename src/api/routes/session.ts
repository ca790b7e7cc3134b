// Who the caller is: the name and scopes of the key behind a Bearer header or the web UI's session
// cookie, so the UI shows only the actions the key may take.
import type { FastifyInstance } from 'fastify';
import { access } from '../access.js';
import type { ApiDeps } from '../ports.js';
import { keyedErrors } from '../schemas/common.js';
import { sessionSchema } from '../schemas/server.js';

export function registerSessionRoute(app: FastifyInstance, deps: Pick<ApiDeps, 'keys' | 'sessions'>): void {
  app.get(
    '/api/v1/session',
    {
      ...access('any-key'),
      schema: {
        summary: "The caller's key name and scopes, and whether it came as a Bearer key or a UI session",
        response: { 200: sessionSchema, ...keyedErrors() },
      },
    },
    (req) => {
      // A Bearer key wins over the cookie, as in the access check.
      const bearer = req.headers.authorization !== undefined;
      const who = bearer ? deps.keys.identify(req.headers.authorization) : (deps.sessions?.identify(req.headers.cookie) ?? null);
      return { name: who?.name ?? '', scopes: [...(who?.scopes ?? [])], via: bearer ? 'bearer' : 'session' };
    },
  );
}
