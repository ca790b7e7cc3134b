// Rule: an anomaly confined to the newly deployed version (signals about that version, or the
// graph's per-version error rates and latencies) points at the deploy; a healthy new version clears it.

import type { ChangeEvent } from '../../../model/index.js';
import type { VersionWindow } from '../../graph/windows.js';
import { clock, count, duration, factor, ms, percent } from '../format.js';
import { describeChange, LATE_TOLERANCE_MS } from './changeAlignment.js';
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
        // Trivially true once the rollout is over and nothing else serves: then it says little.
        const olderServed =
          !ctx.graph ||
          ctx.graph
            .serviceStats(change.service, ctx.window.onsetMs, ctx.window.nowMs + 1)
            .byVersion.some((v) => v.version !== change.version && v.requests > 0);
        out.push({
          rule: this.name,
          service: change.service,
          kind: 'bad-deploy',
          weight: olderServed ? 0.35 : 0.2,
          fact: `${kinds} signals concern ${change.version} only`,
          change,
        });
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
  const before = graph
    .serviceStats(change.service, change.timeMs - ctx.options.baselineMs, change.timeMs)
    .byVersion.filter((v) => v.version !== change.version);
  const oldRequests = before.reduce((s, v) => s + v.requests, 0);
  if (!after || after.requests < MIN_REQUESTS || oldRequests < MIN_REQUESTS) return undefined;
  const oldErrors = before.reduce((s, v) => s + v.errors, 0) / oldRequests;
  const oldMean = before.reduce((s, v) => s + v.meanMs * v.requests, 0) / oldRequests;
  if (after.errorRate >= Math.max(0.02, oldErrors * 3) || after.meanMs >= oldMean * 1.5) return undefined;
  const fact = `${change.version} served ${count(after.requests)} requests normally for ${duration(provenTo - change.timeMs)} before the onset (${percent(after.errorRate)} errors, ${ms(after.meanMs)} per request)`;
  return { rule: 'version-confinement', service: change.service, kind: 'bad-deploy', weight: -0.5, fact, change };
}

interface Verdict {
  worse: boolean;
  errors: boolean;
  fact: string;
}

/** The new version against `old` (its requests in the same window, or before the deploy). */
function judge(change: ChangeEvent, fresh: VersionWindow, old: VersionWindow[], when: string): Verdict | undefined {
  const oldRequests = old.reduce((s, v) => s + v.requests, 0);
  if (oldRequests < SIDE_BY_SIDE_MIN) return undefined;
  const oldErrors = old.reduce((s, v) => s + v.errors, 0) / oldRequests;
  const oldMean = old.reduce((s, v) => s + v.meanMs * v.requests, 0) / oldRequests;
  const prev = change.previousVersion || old.map((v) => v.version).join('/');
  const errors = fresh.errorRate >= Math.max(0.02, oldErrors * 3) && fresh.errors >= 5;
  const slower = fresh.meanMs >= oldMean * 1.5 && fresh.meanMs - oldMean >= 5;
  if (errors)
    return {
      worse: true,
      errors,
      fact: `${change.version} fails ${percent(fresh.errorRate)} of ${count(fresh.requests)} requests vs ${percent(oldErrors)} on ${prev} ${when}`,
    };
  if (slower)
    return {
      worse: true,
      errors,
      fact: `${change.version} takes ${ms(fresh.meanMs)} per request vs ${ms(oldMean)} on ${prev} ${when} (${factor(fresh.meanMs / oldMean)})`,
    };
  return {
    worse: false,
    errors,
    fact: `${change.version} looks like ${prev}: ${percent(fresh.errorRate)} errors and ${ms(fresh.meanMs)} per request vs ${percent(oldErrors)} and ${ms(oldMean)} ${when === 'before the deploy' ? 'before' : 'side by side'}`,
  };
}

function compareVersions(ctx: RuleContext, change: ChangeEvent): Finding | undefined {
  const graph = ctx.graph;
  if (!graph) return undefined;
  const during = graph.serviceStats(change.service, Math.max(change.timeMs, ctx.window.onsetMs), ctx.window.nowMs + 1);
  const fresh = during.byVersion.find((v) => v.version === change.version);
  if (!fresh || fresh.requests < MIN_REQUESTS) return undefined;
  const before = graph
    .serviceStats(change.service, change.timeMs - ctx.options.baselineMs, change.timeMs)
    .byVersion.filter((v) => v.version !== change.version);
  if (before.reduce((s, v) => s + v.requests, 0) < MIN_REQUESTS) return undefined;
  const finding = (weight: number, fact: string): Finding => ({
    rule: 'version-confinement',
    service: change.service,
    kind: 'bad-deploy',
    weight,
    fact,
    change,
  });
  // Both versions side by side in the same minutes (a rollout in progress) is the fair comparison:
  // the new one worse there is the deploy's doing.
  const pair = sideBySideMinutes(ctx, change);
  const beside = pair ? judge(change, pair.fresh, pair.old, 'side by side in the same minutes') : undefined;
  if (beside?.worse) return finding(0.45, beside.fact);
  const vsBefore = judge(change, fresh, before, 'before the deploy');
  if (!vsBefore) return undefined;
  if (!vsBefore.worse) return finding(-0.5, vsBefore.fact);
  // A version that served normally until a later change of the service landed did not break it:
  // that change did (a config change two minutes after a routine deploy).
  const later = laterChange(ctx, change);
  const untilLater = later ? graph.serviceStats(change.service, change.timeMs, later.timeMs).byVersion.find((v) => v.version === change.version) : undefined;
  if (later && untilLater && untilLater.requests >= MIN_REQUESTS && judge(change, untilLater, before, 'before the deploy')?.worse === false) {
    return finding(
      -0.3,
      `${vsBefore.fact}, but it served ${count(untilLater.requests)} requests normally until the ${describeChange(later)} at ${clock(later.timeMs)}`,
    );
  }
  // Worse than before the deploy: a dependency failing an undeployed caller too explains it; the
  // old version suffering alike beside it (a shared pool or database) leaves it open.
  const shared = sharedCulprit(ctx, change.service, vsBefore.errors);
  if (shared) return finding(-0.3, `${vsBefore.fact}, but ${shared}`);
  if (beside) {
    // Alike side by side means what broke reaches every version. A later change of the service
    // before the onset (a config change, a flag) reaches them all and explains it better.
    if (later) return finding(-0.3, `${vsBefore.fact}, though ${beside.fact}; the ${describeChange(later)} after it reaches both`);
    return finding(0.2, `${vsBefore.fact}, though ${beside.fact}`);
  }
  return finding(0.45, vsBefore.fact);
}

/** A non-deploy change of the same service after `change` and no later than the onset's tolerance. */
function laterChange(ctx: RuleContext, change: ChangeEvent): ChangeEvent | undefined {
  return ctx.changes.find(
    (c) => c.service === change.service && c.kind !== 'deploy' && c.timeMs > change.timeMs && c.timeMs <= ctx.window.onsetMs + LATE_TOLERANCE_MS,
  );
}

const SIDE_BY_SIDE_MIN = 10;

/** The new and the old versions' traffic over the incident's minutes in which both served, when both served enough. */
function sideBySideMinutes(ctx: RuleContext, change: ChangeEvent): { fresh: VersionWindow; old: VersionWindow[] } | undefined {
  const graph = ctx.graph;
  if (!graph) return undefined;
  const fresh: VersionWindow = { version: change.version, requests: 0, errors: 0, errorRate: 0, meanMs: 0 };
  const old = new Map<string, VersionWindow>();
  const add = (into: VersionWindow, v: VersionWindow): void => {
    into.meanMs = (into.meanMs * into.requests + v.meanMs * v.requests) / Math.max(1, into.requests + v.requests);
    into.requests += v.requests;
    into.errors += v.errors;
    into.errorRate = into.requests > 0 ? into.errors / into.requests : 0;
  };
  const from = Math.floor(Math.max(change.timeMs, ctx.window.onsetMs) / 60_000) * 60_000;
  for (let m = from; m <= ctx.window.nowMs; m += 60_000) {
    const versions = graph.serviceStats(change.service, m, m + 60_000).byVersion;
    const mine = versions.find((v) => v.version === change.version);
    const others = versions.filter((v) => v.version !== change.version && v.requests > 0);
    if (!mine || mine.requests === 0 || others.length === 0) continue;
    add(fresh, mine);
    for (const v of others)
      add((old.get(v.version) ?? old.set(v.version, { version: v.version, requests: 0, errors: 0, errorRate: 0, meanMs: 0 }).get(v.version))!, v);
  }
  const oldRequests = [...old.values()].reduce((s, v) => s + v.requests, 0);
  return fresh.requests >= SIDE_BY_SIDE_MIN && oldRequests >= SIDE_BY_SIDE_MIN ? { fresh, old: [...old.values()] } : undefined;
}

/**
 * The dependency behind a service's new errors (or waits) when it degrades for its other callers
 * too, said as a fact; '' when there is none. Then the service's fresh version only suffers it.
 */
function sharedCulprit(ctx: RuleContext, service: string, errors: boolean): string {
  const graph = ctx.graph;
  if (!graph) return '';
  const { onsetMs, nowMs, beforeFromMs, beforeToMs } = ctx.window;
  const during = graph.serviceStats(service, onsetMs, nowMs + 1);
  const before = graph.serviceStats(service, beforeFromMs, beforeToMs);
  let peer = '';
  if (errors) {
    const [top, n] = Object.entries(during.originErrorsByPeer).sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
    if (top && n >= 0.6 * Math.max(1, during.originErrors)) peer = top;
  } else {
    let grew = 0;
    for (const [p, wait] of Object.entries(during.waitMsPerRequestByPeer)) {
      const delta = wait - (before.waitMsPerRequestByPeer[p] ?? 0);
      if (delta > grew) [peer, grew] = [p, delta];
    }
  }
  if (!peer) return '';
  for (const caller of graph.callers(peer)) {
    if (caller === service) continue;
    const now = graph.edgeStats(caller, peer, onsetMs, nowMs + 1);
    const was = graph.edgeStats(caller, peer, beforeFromMs, beforeToMs);
    if (now.calls < MIN_REQUESTS) continue;
    const failing = now.errors >= 5 && now.errorRate >= was.errorRate + 0.05;
    const slow = was.meanMs > 0 && now.meanMs >= 2 * was.meanMs && now.meanMs - was.meanMs >= 2;
    if (errors ? failing : slow || failing) return `calls to ${peer} ${failing ? 'fail' : 'slowed'} for ${caller} too, which was not deployed`;
  }
  return '';
}
