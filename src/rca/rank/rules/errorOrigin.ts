// Rule: errors start where a failing span has no failing child. The service (and the dependency
// call) where new failing spans originate is the suspect; services whose errors only propagate
// from below are cleared.

import { count, percent } from '../format.js';
import type { Finding, RcaRule, RuleContext } from '../types.js';
import { scopeNodes, windowScale } from './graphScope.js';

const MIN_EXCESS = 10;

interface OriginTally {
  service: string;
  excess: number;
  byPeer: Array<[string, number]>;
  propagated: number;
  origin: number;
}

export const errorOrigin: RcaRule = {
  name: 'error-origin',
  evaluate(ctx: RuleContext): Finding[] {
    const graph = ctx.graph;
    if (!graph) return [];
    const scale = windowScale(ctx);
    const { onsetMs, nowMs, beforeFromMs, beforeToMs } = ctx.window;
    const tallies: OriginTally[] = [];
    for (const service of scopeNodes(ctx)) {
      const during = graph.serviceStats(service, onsetMs, nowMs + 1);
      if (during.originErrors + during.propagatedErrors === 0) continue;
      const before = graph.serviceStats(service, beforeFromMs, beforeToMs);
      const byPeer = Object.entries(during.originErrorsByPeer)
        .map(([peer, n]): [string, number] => [peer, n - (before.originErrorsByPeer[peer] ?? 0) * scale])
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1]);
      tallies.push({
        service,
        excess: during.originErrors - before.originErrors * scale,
        byPeer,
        propagated: during.propagatedErrors - before.propagatedErrors * scale,
        origin: during.originErrors,
      });
    }
    const total = tallies.reduce((s, t) => s + Math.max(0, t.excess), 0);
    if (total < MIN_EXCESS) return [];
    const out: Finding[] = [];
    const ranked = [...tallies].sort((a, b) => b.excess - a.excess);
    for (const t of ranked) {
      const share = Math.max(0, t.excess) / total;
      if (share >= 0.15 && t.excess >= MIN_EXCESS) {
        const [peer, peerExcess] = t.byPeer[0] ?? ['', 0];
        const atPeer = peer !== '' && peerExcess >= 0.6 * t.excess;
        const where = atPeer ? `${t.service} → ${peer} calls` : `${t.service}'s own code`;
        const fact = `errors originate in ${where}: ${count(t.excess)} of ${count(total)} new failing spans (${percent(share)}) start there`;
        if (atPeer) {
          out.push({ rule: this.name, service: t.service, weight: 0.3 * share, fact });
          out.push({ rule: this.name, service: peer, weight: 0.3 * share, fact });
        } else {
          out.push({ rule: this.name, service: t.service, weight: 0.5 * share, fact });
          out.push({
            rule: this.name,
            service: t.service,
            kind: 'code-error',
            weight: 0.15 * share,
            fact: `failing spans in ${t.service} have no failing calls below them`,
          });
        }
      }
      const failing = t.origin + t.propagated;
      if (t.propagated >= MIN_EXCESS && t.propagated >= 4 * Math.max(0, t.excess)) {
        out.push({
          rule: this.name,
          service: t.service,
          weight: -0.35,
          fact: `${t.service}'s errors propagate from its calls (${count(t.propagated)} of ${count(failing)} failing spans have a failing child)`,
        });
      }
    }
    return out;
  },
};
