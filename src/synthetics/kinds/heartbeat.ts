// The heartbeat kind: jobs ping Vigil (POST /api/v1/checks/NAME/ping); silence longer than the
// grace period is the failure. Before the first ping, the grace period runs from when the check
// began to be watched, so a job that never ran is caught too.
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
  const details: RunDetails = lastPingMs === undefined ? { pinged: false } : { pinged: true, lastPing: new Date(lastPingMs).toISOString() };
  return Promise.resolve({
    steps: [
      { name: 'heartbeat', ok, durationMs: 0, assertions: [{ assertion: 'grace', ok, expected: `a ping within ${Math.round(check.grace / 1000)} s`, actual }] },
    ],
    details,
  });
};
