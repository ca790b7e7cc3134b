// The audit log for admins: who did what and when, newest first, filterable by action, key and
// target, paged by cursor.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { access } from '../access.js';
import { isoTime } from '../openapi.js';
import { optionalString, parseLimit, timeRange } from '../params.js';
import type { ApiDeps } from '../ports.js';
import { iso } from '../views.js';
import { keyedErrors } from '../schemas/common.js';

// Documents the query; the handler's own checks below validate it (their messages are the contract's).
const auditQuery = z.object({
  from: z.string().optional().describe('ISO-8601 or epoch ms; default: to minus 30 days'),
  to: z.string().optional().describe('ISO-8601 or epoch ms; default: now'),
  action: z.string().max(200).optional(),
  keyId: z.string().max(200).optional(),
  target: z.string().max(200).optional(),
  limit: z.string().optional().describe('1 to 1000, default 100'),
  cursor: z.string().optional().describe('the nextCursor of the previous page'),
});
const auditEntry = z.object({
  id: z.string(),
  time: isoTime,
  keyId: z.string(),
  keyName: z.string(),
  action: z.string(),
  target: z.string(),
  status: z.number().int(),
  ip: z.string(),
  details: z.record(z.string(), z.unknown()),
});
const auditPage = z.object({ entries: z.array(auditEntry), nextCursor: z.string().optional() });

export function registerAuditRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(
    '/api/v1/audit',
    { ...access('admin'), schema: { summary: 'The audit log, newest first', querystring: auditQuery, response: { 200: auditPage, ...keyedErrors(400) } } },
    async (req) => {
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
        entries: page.items.map((e) => ({
          id: e.id,
          time: iso(e.timeMs),
          keyId: e.keyId,
          keyName: e.keyName,
          action: e.action,
          target: e.target,
          status: e.status,
          ip: e.ip,
          details: e.details,
        })),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    },
  );
}
