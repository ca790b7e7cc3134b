// The audit log for admins: who did what and when, newest first, filterable by action, key and
// target, paged by cursor.
import type { FastifyInstance } from 'fastify';
import { access } from '../access.js';
import { optionalString, parseLimit, timeRange } from '../params.js';
import type { ApiDeps } from '../ports.js';
import { iso } from '../views.js';

export function registerAuditRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/api/v1/audit', access('admin'), async (req) => {
    const q = req.query as Record<string, unknown>;
    const { fromMs, toMs } = timeRange(q, Date.now(), 30 * 86_400_000);
    const page = await deps.audit.list({
      fromMs,
      toMs,
      action: optionalString(q.action, 'action', 200),
      keyId: optionalString(q.keyId, 'keyId', 200),
      target: optionalString(q.target, 'target', 200),
      limit: parseLimit(q.limit, 100, 1000),
      cursor: optionalString(q.cursor, 'cursor'),
    });
    return {
      entries: page.items.map((e) => ({ id: e.id, time: iso(e.timeMs), keyId: e.keyId, keyName: e.keyName, action: e.action, target: e.target, status: e.status, ip: e.ip, details: e.details })),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  });
}
