// Rule: the service whose anomaly started first is the likeliest origin, since effects travel
// from the cause outwards through callers; ties within the detection resolution count for both.
// When every service started together (coarse metrics: one 5-min point), order says nothing. So
// does a lead between services the graph shows unrelated: no chain of calls joins them either way
// (a workflow engine slower one export before a search it neither calls nor is called by fails).

import { clock, duration } from '../format.js';
import type { Finding, GraphView, RcaRule, RuleContext } from '../types.js';

const RESOLUTION_MS = 30_000;

/** Whether the graph knows both services and `from` calls `to` through no chain of calls: then `to` cannot have caused `from`'s move. */
function unreachable(graph: GraphView | undefined, from: string, to: string): boolean {
  if (!graph || graph.nodeKind(from) === undefined || graph.nodeKind(to) === undefined) return false;
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length > 0) {
    for (const callee of graph.callees(queue.shift()!)) {
      if (callee === to) return false;
      if (!seen.has(callee)) {
        seen.add(callee);
        queue.push(callee);
      }
    }
  }
  return true;
}

export const firstAnomaly: RcaRule = {
  name: 'first-anomaly',
  evaluate(ctx: RuleContext): Finding[] {
    const firstBy = new Map<string, number>();
    for (const s of ctx.signals) {
      if (s.kind === 'saturation-forecast') continue; // a forecast is early by design
      const t = firstBy.get(s.subject.service);
      if (t === undefined || s.startedAtMs < t) firstBy.set(s.subject.service, s.startedAtMs);
    }
    if (firstBy.size < 2) return [];
    const order = [...firstBy.entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
    const [first, second] = order as [[string, number], [string, number]];
    const lead = second[1] - first[1];
    if (lead >= RESOLUTION_MS) {
      // A caller's move can reach its callees too (load, retries), so only services unrelated both ways are ruled out.
      if (unreachable(ctx.graph, second[0], first[0]) && unreachable(ctx.graph, first[0], second[0])) return [];
      return [
        { rule: this.name, service: first[0], weight: 0.3, fact: `its anomaly started first (${clock(first[1])}, ${duration(lead)} before ${second[0]})` },
      ];
    }
    const tied = order.filter(([, t]) => t - first[1] < RESOLUTION_MS).map(([s]) => s);
    if (tied.length === order.length) return [];
    return tied.map((service) => ({
      rule: this.name,
      service,
      weight: 0.1,
      fact: `among the first anomalies (${clock(first[1])}, with ${tied.filter((s) => s !== service).join(', ')})`,
    }));
  },
};
