// API key management (admin scope): create a key with scopes (shown once), list, revoke.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { parseBody } from '../params.js';
import { access } from '../access.js';
import { audited } from '../audit-hook.js';
import type { ApiDeps } from '../ports.js';
import { isoOrNull } from '../views.js';

const createBody = z.object({ name: z.string().min(1).max(200), scopes: z.array(z.enum(['ingest', 'read', 'write', 'admin'])).min(1) }).strict();

export function registerKeyRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/api/v1/keys', access('admin'), () => ({
    keys: deps.keys.list().map((k) => ({ id: k.id, name: k.name, scopes: k.scopes, createdAt: isoOrNull(k.createdAtMs), revokedAt: isoOrNull(k.revokedAtMs) })),
  }));
  app.post('/api/v1/keys', audited(access('admin'), 'key.create'), async (req, reply) => {
    const b = parseBody(createBody, req.body);
    const { key, info } = await deps.keys.add({ name: b.name, scopes: b.scopes, nowMs: Date.now() });
    req.auditNote = { target: info.id, details: { name: info.name, scopes: info.scopes } };
    return reply.status(201).send({ id: info.id, name: info.name, scopes: info.scopes, key, note: 'store this key now: it is not shown again' });
  });
  app.delete<{ Params: { id: string } }>('/api/v1/keys/:id', audited(access('admin'), 'key.revoke'), async (req) => {
    if (!(await deps.keys.revoke(req.params.id, Date.now()))) throw new ApiError('VIGIL_NOT_FOUND', `no active key ${req.params.id}`);
    return { revoked: req.params.id };
  });
}
