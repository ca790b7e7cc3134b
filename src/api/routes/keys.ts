// API key management (admin scope): create a key with scopes (shown once), list, revoke.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { access } from '../access.js';
import { isoTime } from '../openapi.js';
import { audited } from '../audit-hook.js';
import type { ApiDeps } from '../ports.js';
import { isoOrNull } from '../views.js';
import { keyedErrors } from '../schemas/common.js';

const scopes = z.array(z.enum(['ingest', 'read', 'write', 'admin']));
const createBody = z.object({ name: z.string().min(1).max(200), scopes: scopes.min(1) }).strict();
const keyView = z.object({ id: z.string(), name: z.string(), scopes, createdAt: isoTime.nullable(), revokedAt: isoTime.nullable() });
const created = z.object({ id: z.string(), name: z.string(), scopes, key: z.string().describe('the secret, shown only in this answer'), note: z.string() });
const keyParams = z.object({ id: z.string() });

export function registerKeyRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(
    '/api/v1/keys',
    { ...access('admin'), schema: { summary: 'API keys, revoked ones included', response: { 200: z.object({ keys: z.array(keyView) }), ...keyedErrors() } } },
    () => ({
      keys: deps.keys
        .list()
        .map((k) => ({ id: k.id, name: k.name, scopes: k.scopes, createdAt: isoOrNull(k.createdAtMs), revokedAt: isoOrNull(k.revokedAtMs) })),
    }),
  );
  app.post(
    '/api/v1/keys',
    {
      ...audited(access('admin'), 'key.create'),
      schema: { summary: 'Create a key with scopes', body: createBody, response: { 201: created, ...keyedErrors(400) } },
    },
    async (req, reply) => {
      const b = req.body as z.output<typeof createBody>;
      const { key, info } = await deps.keys.add({ name: b.name, scopes: b.scopes, nowMs: Date.now() });
      req.auditNote = { target: info.id, details: { name: info.name, scopes: info.scopes } };
      return reply.status(201).send({ id: info.id, name: info.name, scopes: info.scopes, key, note: 'store this key now: it is not shown again' });
    },
  );
  app.delete<{ Params: { id: string } }>(
    '/api/v1/keys/:id',
    {
      ...audited(access('admin'), 'key.revoke'),
      schema: { summary: 'Revoke a key', params: keyParams, response: { 200: z.object({ revoked: z.string() }), ...keyedErrors(404) } },
    },
    async (req) => {
      if (!(await deps.keys.revoke(req.params.id, Date.now()))) throw new ApiError('VIGIL_NOT_FOUND', `no active key ${req.params.id}`);
      return { revoked: req.params.id };
    },
  );
}
