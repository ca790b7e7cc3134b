// Which graph nodes the graph-reading rules look at: the incident's services and dependencies
// plus two hops around them, so a cause one call away from every symptom is still considered.

import type { RuleContext } from '../types.js';

export function scopeNodes(ctx: RuleContext, hops = 2): string[] {
  const graph = ctx.graph;
  const seen = new Set(ctx.involved);
  if (!graph) return [...seen].sort();
  let frontier = [...seen];
  for (let i = 0; i < hops; i++) {
    const next: string[] = [];
    for (const n of frontier) {
      for (const m of [...graph.callers(n), ...graph.callees(n)]) {
        if (!seen.has(m)) {
          seen.add(m);
          next.push(m);
        }
      }
    }
    frontier = next;
  }
  return [...seen].sort();
}

/** Length ratio of the incident window to the baseline window, to scale baseline counts. */
export function windowScale(ctx: RuleContext): number {
  const during = Math.max(1, ctx.window.nowMs - ctx.window.onsetMs);
  const before = Math.max(1, ctx.window.beforeToMs - ctx.window.beforeFromMs);
  return during / before;
}
