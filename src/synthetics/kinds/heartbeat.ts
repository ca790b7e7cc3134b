// The heartbeat kind: jobs ping Vigil (POST /api/v1/checks/NAME/ping); silence longer than the
// grace period is the failure. Before the first ping, the grace period runs from when the check
// began to be watched, so a job that never ran is caught too. Both times are in the run's details,
// so a restart of Vigil neither forgets a ping nor grants a silent job a fresh grace period.
import type { RunDetails } from '../result.js';
import type { HeartbeatCheck } from '../schema.js';
import type { CheckRunner } from './context.js';

export const runHeartbeatCheck: CheckRunner<HeartbeatCheck> = (check, ctx) => {
  const { lastPingMs, watchedSinceMs } = ctx.heartbeat(check.name);
  const since = lastPingMs ?? watchedSinceMs;
  const silentMs = ctx.now() - since;
  const ok = silentMs <= check.grace;
  const actual =
    lastPingMs === undefined ? `no ping for ${Math.round(silentMs / 1000)} s since watching began` : `last ping ${Math.round(silentMs / 1000)} s ago`;
  const details: RunDetails =
    lastPingMs === undefined
      ? { pinged: false, watchedSince: new Date(watchedSinceMs).toISOString() }
      : { pinged: true, lastPing: new Date(lastPingMs).toISOString() };
  return Promise.resolve({
    steps: [
      { name: 'heartbeat', ok, durationMs: 0, assertions: [{ assertion: 'grace', ok, expected: `a ping within ${Math.round(check.grace / 1000)} s`, actual }] },
    ],
    details,
  });
};

/** A heartbeat's clock as its stored run left it (after a restart the silence goes on counting). */
export function heartbeatClock(details: Readonly<Record<string, unknown>>): { lastPingMs?: number; watchedSinceMs?: number } {
  const at = (v: unknown): number | undefined => (typeof v === 'string' && Number.isFinite(Date.parse(v)) ? Date.parse(v) : undefined);
  const lastPingMs = at(details.lastPing);
  const watchedSinceMs = at(details.watchedSince);
  return { ...(lastPingMs !== undefined ? { lastPingMs } : {}), ...(watchedSinceMs !== undefined ? { watchedSinceMs } : {}) };
}
