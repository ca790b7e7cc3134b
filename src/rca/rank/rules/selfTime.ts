// Rule: latency starts where time is spent. A service whose own work per request grew is the
// latency origin; a dependency whose callers wait longer on it is one too; a service that is
// slower only because it waits on its calls is cleared.

import { factor, ms } from '../format.js';
import type { Finding, RcaRule, RuleContext } from '../types.js';
import { scopeNodes } from './graphScope.js';

const MIN_REQUESTS = 20;
const MIN_RATIO = 1.5;
const MIN_DELTA_MS = 2;

function strength(ratio: number): number {
  return Math.min(0.5, 0.2 + 0.1 * Math.log2(ratio));
}

export const selfTime: RcaRule = {
  name: 'self-time',
  evaluate(ctx: RuleContext): Finding[] {
    const graph = ctx.graph;
    if (!graph) return [];
    const { onsetMs, nowMs, beforeFromMs, beforeToMs } = ctx.window;
    const out: Finding[] = [];
    for (const service of scopeNodes(ctx)) {
      if (graph.nodeKind(service) !== 'service') continue;
      const during = graph.serviceStats(service, onsetMs, nowMs + 1);
      const before = graph.serviceStats(service, beforeFromMs, beforeToMs);
      if (during.requests < MIN_REQUESTS || before.requests < MIN_REQUESTS) continue;
      const selfRatio = during.selfMsPerRequest / before.selfMsPerRequest;
      const selfGrew = selfRatio >= MIN_RATIO && during.selfMsPerRequest - before.selfMsPerRequest >= MIN_DELTA_MS;
      if (selfGrew) {
        const fact = `${service}'s own work per request rose ${factor(selfRatio)} (${ms(before.selfMsPerRequest)} → ${ms(during.selfMsPerRequest)}) while its calls did not explain it`;
        out.push({ rule: this.name, service, weight: strength(selfRatio), fact });
      }
      // Only waits on other services clear this one: waiting on its own pool or database may be its own doing.
      let waitGrew = false;
      for (const [peer, wait] of Object.entries(during.waitMsPerRequestByPeer)) {
        const was = before.waitMsPerRequestByPeer[peer] ?? 0;
        const ratio = was > 0 ? wait / was : Infinity;
        if (ratio < MIN_RATIO || wait - was < MIN_DELTA_MS) continue;
        if (graph.nodeKind(peer) === 'service') {
          waitGrew = true; // an instrumented callee is judged by its own self time
          continue;
        }
        const fact = `${service} waits ${ms(wait)} per request on ${peer} vs ${ms(was)} before${Number.isFinite(ratio) ? ` (${factor(ratio)})` : ''}`;
        out.push({ rule: this.name, service: peer, weight: strength(Number.isFinite(ratio) ? ratio : 8), fact });
      }
      const p95Ratio = before.p95Ms > 0 ? during.p95Ms / before.p95Ms : 1;
      if (!selfGrew && waitGrew && p95Ratio >= MIN_RATIO && selfRatio < 1.2) {
        out.push({
          rule: this.name,
          service,
          weight: -0.25,
          fact: `${service} is slower only because it waits on its calls (own work ${ms(before.selfMsPerRequest)} → ${ms(during.selfMsPerRequest)})`,
        });
      }
    }
    return out;
  },
};
