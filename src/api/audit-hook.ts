// Writes an audit entry for every request to a route that declares an audited action
// (`config.audit`), whether it succeeded or was refused, before the answer leaves: an action
// whose entry could not be written is logged as such. Handlers add the target and a few details.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from '../logger.js';
import type { AuditPort } from './ports.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The audited action of this route, e.g. `key.create`. */
    audit?: string;
  }
  interface FastifyRequest {
    /** What the handler acted on, for the audit entry (never a secret or a telemetry body). */
    auditNote?: { target?: string; action?: string; details?: Record<string, unknown> };
  }
}

/** Route options for an audited route: its access scope plus the action it performs. */
export const audited = <A>(routeAccess: { config: A }, action: string): { config: A & { audit: string } } => ({
  config: { ...routeAccess.config, audit: action },
});

export function registerAuditHook(app: FastifyInstance, audit: AuditPort, log: Logger | undefined): void {
  app.addHook('onSend', async (req, reply, payload) => {
    const action = req.routeOptions.config.audit;
    if (!action) return payload;
    const note = req.auditNote;
    try {
      await audit.record({
        keyId: req.vigilKey?.id ?? '',
        keyName: req.vigilKey?.name ?? '',
        action: note?.action ?? action,
        target: note?.target ?? targetOf(req),
        status: reply.statusCode,
        ip: req.ip,
        details: note?.details ?? {},
      });
    } catch (err) {
      log?.error({ action, status: reply.statusCode, keyId: req.vigilKey?.id ?? null, reason: (err as Error).message }, 'audit entry could not be written');
    }
    return payload;
  });
}

function targetOf(req: FastifyRequest): string {
  const params = req.params as Record<string, unknown> | undefined;
  const id = params?.id;
  return typeof id === 'string' ? id.slice(0, 200) : '';
}
