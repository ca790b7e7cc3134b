// The rollback-or-fix-forward hint for a bad deploy or config change: was the previous version
// (or setting) healthy, on how much traffic, and how long had it been running?

import type { ChangeEvent } from '../../model/index.js';
import { clock, count, duration, ms, percent } from './format.js';
import type { RuleContext } from './types.js';

const MIN_REQUESTS = 20;
const HEALTHY_ERROR_RATE = 0.02;

export function rollbackHint(change: ChangeEvent, ctx: RuleContext): string {
  if (change.kind !== 'deploy') return revertHint(change, ctx);
  const graph = ctx.graph;
  const known = graph?.versions(change.service) ?? [];
  const prev = change.previousVersion || [...known].reverse().find((v) => v.version !== change.version && v.firstSeenMs < change.timeMs)?.version || '';
  if (!prev) return `Roll back ${change.service} to the version before ${change.version || 'this deploy'} (its previous version is not known).`;
  const stats = graph?.serviceStats(change.service, change.timeMs - ctx.options.baselineMs, change.timeMs).byVersion.find((v) => v.version === prev);
  const info = known.find((v) => v.version === prev);
  const since = info ? `; it had run since ${clock(info.firstSeenMs)} (${duration(change.timeMs - info.firstSeenMs)} before the deploy)` : '';
  if (!stats || stats.requests < MIN_REQUESTS) {
    return `Roll back ${change.service} to ${prev}; no traffic of ${prev} was seen in the ${duration(ctx.options.baselineMs)} before the deploy, so confirm it was healthy${since}.`;
  }
  const facts = `${percent(stats.errorRate)} errors, ${ms(stats.meanMs)} per request over ${count(stats.requests)} requests in the ${duration(ctx.options.baselineMs)} before ${clock(change.timeMs)}`;
  if (stats.errorRate < HEALTHY_ERROR_RATE) return `Roll back ${change.service} to ${prev}: it was healthy (${facts})${since}.`;
  return `Fix forward rather than roll back: ${prev} was not healthy either (${facts})${since}.`;
}

function revertHint(change: ChangeEvent, ctx: RuleContext): string {
  const earlier = ctx.changes
    .filter((c) => c.service === change.service && c.kind === change.kind && c.timeMs < change.timeMs)
    .sort((a, b) => b.timeMs - a.timeMs)[0];
  const what = change.description ? ` "${change.description}"` : '';
  const attrs = Object.entries(change.attributes)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const detail = attrs ? ` (${attrs})` : '';
  const age = earlier ? `; the previous setting had been in place since ${clock(earlier.timeMs)} (${duration(change.timeMs - earlier.timeMs)})` : '';
  return `Revert the ${change.kind} change${what}${detail} made to ${change.service} at ${clock(change.timeMs)}${age}.`;
}
