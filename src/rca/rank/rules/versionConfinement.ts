// Rule: an anomaly confined to the newly deployed version (signals about that version, or the
// graph's per-version error rates and latencies) points at the deploy; a healthy new version clears it.

import type { ChangeEvent } from '../../../model/index.js';
import { count, duration, factor, ms, percent } from '../format.js';
import type { Finding, RcaRule, RuleContext } from '../types.js';

const MIN_REQUESTS = 20;

export const versionConfinement: RcaRule = {
  name: 'version-confinement',
  evaluate(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const change of ctx.changes) {
      if (change.kind !== 'deploy' || !change.version) continue;
      if (change.timeMs > ctx.window.nowMs || ctx.window.onsetMs - change.timeMs > ctx.options.changeWindowMs) continue;
      const aboutVersion = ctx.signals.filter((s) => s.subject.service === change.service && s.subject.version === change.version);
      if (aboutVersion.length > 0) {
        const kinds = [...new Set(aboutVersion.map((s) => s.kind))].join(', ');
        out.push({ rule: this.name, service: change.service, kind: 'bad-deploy', weight: 0.35, fact: `${kinds} signals concern ${change.version} only`, change });
      }
      const finding = ctx.graph ? compareVersions(ctx, change) : undefined;
      if (finding) out.push(finding);
      const healthy = ctx.graph ? healthyBeforeOnset(ctx, change) : undefined;
      if (healthy) out.push(healthy);
    }
    return out;
  },
};

/** Minimum time a new version must have served before the onset to count as proven healthy. */
const PROVEN_MS = 3 * 60_000;

/** A version that served traffic normally for a while before the onset did not cause it. */
function healthyBeforeOnset(ctx: RuleContext, change: ChangeEvent): Finding | undefined {
  const graph = ctx.graph;
  const provenTo = ctx.window.onsetMs - ctx.options.baselineGapMs;
  if (!graph || provenTo - change.timeMs < PROVEN_MS) return undefined;
  const after = graph.serviceStats(change.service, change.timeMs, provenTo).byVersion.find((v) => v.version === change.version);
  const before = graph.serviceStats(change.service, change.timeMs - ctx.options.baselineMs, change.timeMs).byVersion.filter((v) => v.version !== change.version);
  const oldRequests = before.reduce((s, v) => s + v.requests, 0);
  if (!after || after.requests < MIN_REQUESTS || oldRequests < MIN_REQUESTS) return undefined;
  const oldErrors = before.reduce((s, v) => s + v.errors, 0) / oldRequests;
  const oldMean = before.reduce((s, v) => s + v.meanMs * v.requests, 0) / oldRequests;
  if (after.errorRate >= Math.max(0.02, oldErrors * 3) || after.meanMs >= oldMean * 1.5) return undefined;
  const fact = `${change.version} served ${count(after.requests)} requests normally for ${duration(provenTo - change.timeMs)} before the onset (${percent(after.errorRate)} errors, ${ms(after.meanMs)} per request)`;
  return { rule: 'version-confinement', service: change.service, kind: 'bad-deploy', weight: -0.5, fact, change };
}

function compareVersions(ctx: RuleContext, change: ChangeEvent): Finding | undefined {
  const graph = ctx.graph;
  if (!graph) return undefined;
  const during = graph.serviceStats(change.service, Math.max(change.timeMs, ctx.window.onsetMs), ctx.window.nowMs + 1);
  const before = graph.serviceStats(change.service, change.timeMs - ctx.options.baselineMs, change.timeMs);
  const fresh = during.byVersion.find((v) => v.version === change.version);
  const old = before.byVersion.filter((v) => v.version !== change.version);
  const oldRequests = old.reduce((s, v) => s + v.requests, 0);
  if (!fresh || fresh.requests < MIN_REQUESTS || oldRequests < MIN_REQUESTS) return undefined;
  const oldErrors = old.reduce((s, v) => s + v.errors, 0) / oldRequests;
  const oldMean = old.reduce((s, v) => s + v.meanMs * v.requests, 0) / oldRequests;
  const prev = change.previousVersion || old.map((v) => v.version).join('/');
  const errorsWorse = fresh.errorRate >= Math.max(0.02, oldErrors * 3) && fresh.errors >= 5;
  const slower = fresh.meanMs >= oldMean * 1.5 && fresh.meanMs - oldMean >= 5;
  if (errorsWorse) {
    const fact = `${change.version} fails ${percent(fresh.errorRate)} of ${count(fresh.requests)} requests vs ${percent(oldErrors)} on ${prev} before the deploy`;
    return { rule: 'version-confinement', service: change.service, kind: 'bad-deploy', weight: 0.45, fact, change };
  }
  if (slower) {
    const fact = `${change.version} takes ${ms(fresh.meanMs)} per request vs ${ms(oldMean)} on ${prev} before the deploy (${factor(fresh.meanMs / oldMean)})`;
    return { rule: 'version-confinement', service: change.service, kind: 'bad-deploy', weight: 0.45, fact, change };
  }
  const fact = `${change.version} looks like ${prev}: ${percent(fresh.errorRate)} errors and ${ms(fresh.meanMs)} per request vs ${percent(oldErrors)} and ${ms(oldMean)} before`;
  return { rule: 'version-confinement', service: change.service, kind: 'bad-deploy', weight: -0.5, fact, change };
}
