// Synthetic checks: their status and last run, each check's runs, and the heartbeat ping URL.
import type { FastifyInstance } from 'fastify';
import { access } from '../access.js';
import { ApiError, availablePort } from '../errors.js';
import { parseLimit, timeRange } from '../params.js';
import type { ApiDeps, ChecksPort } from '../ports.js';
import { iso } from '../views.js';
import { checkListSchema, checkPingSchema, checkRunsSchema } from '../schemas/assurance.js';
import { keyedErrors } from '../schemas/common.js';

export function registerCheckRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const checks = (): ChecksPort =>
    availablePort(deps.checks, 'no synthetic checks are configured: start Vigil with --checks DIR (or checks.dir in vigil.yaml)');

  app.get(
    '/api/v1/checks',
    { ...access('read'), schema: { summary: 'Synthetic checks with their status and last run', response: { 200: checkListSchema, ...keyedErrors() } } },
    () => ({
      checks: (deps.checks?.list() ?? []).map((c) => ({
        name: c.name,
        kind: c.kind,
        ...(c.service ? { service: c.service } : {}),
        critical: c.critical,
        smoke: c.smoke,
        everyMs: c.everyMs,
        status: c.status,
        ...(c.lastRun
          ? {
              lastRun: {
                at: iso(c.lastRun.atMs),
                ok: c.lastRun.ok,
                durationMs: c.lastRun.durationMs,
                ...(c.lastRun.error ? { error: c.lastRun.error } : {}),
                ...(c.lastRun.traceId ? { traceId: c.lastRun.traceId } : {}),
              },
            }
          : {}),
      })),
    }),
  );

  app.get<{ Params: { name: string } }>(
    '/api/v1/checks/:name/runs',
    { ...access('read'), schema: { summary: "A check's runs in a window", response: { 200: checkRunsSchema, ...keyedErrors(400, 404) } } },
    async (req) => {
      const port = checks();
      if (!port.has(req.params.name)) throw new ApiError('VIGIL_NOT_FOUND', `no check named "${req.params.name}"`);
      const q = req.query as Record<string, unknown>;
      const { fromMs, toMs } = timeRange(q, Date.now(), 24 * 3_600_000);
      const runs = await port.runs(req.params.name, fromMs, toMs, parseLimit(q.limit, 100, 1000));
      return {
        runs: runs.map((r) => ({
          at: iso(r.atMs),
          ok: r.ok,
          durationMs: Math.round(r.durationMs),
          ...(r.error ? { error: r.error } : {}),
          ...(r.traceId ? { traceId: r.traceId } : {}),
          steps: r.steps,
          details: r.details,
        })),
      };
    },
  );

  // Jobs ping their heartbeat check; any valid key may (a cron job holds an ingest key at most).
  app.post<{ Params: { name: string } }>(
    '/api/v1/checks/:name/ping',
    { ...access('any-key'), schema: { summary: 'Ping a heartbeat check', response: { 200: checkPingSchema, ...keyedErrors(404) } } },
    (req) => {
      if (!checks().ping(req.params.name)) throw new ApiError('VIGIL_NOT_FOUND', `no heartbeat check named "${req.params.name}"`);
      return { pinged: req.params.name, at: iso(Date.now()) };
    },
  );
}
