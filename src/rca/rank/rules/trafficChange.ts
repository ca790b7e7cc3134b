// Rule: a traffic drop or surge at an entry service (where customers arrive) with no errors or
// latency of its own is a change in demand upstream, not a failure inside the system.

import type { Signal } from '../../../model/index.js';
import { count, percent } from '../format.js';
import type { Finding, RcaRule, RuleContext } from '../types.js';

const FAILURE_KINDS = new Set(['error-rate', 'latency', 'new-exception', 'saturation', 'slo-burn']);

function isEntry(ctx: RuleContext, service: string, traffic: readonly Signal[]): boolean {
  if (ctx.graph) return ctx.graph.isEntry(service);
  // Without a graph: the entry is the busiest of the services whose traffic changed, and nobody's peer.
  if (ctx.signals.some((s) => s.subject.peer === service)) return false;
  const busiest = [...traffic].sort((a, b) => b.baseline - a.baseline)[0];
  return busiest?.subject.service === service;
}

function describe(s: Signal): string {
  const change = s.baseline > 0 ? (s.observed - s.baseline) / s.baseline : 0;
  const dir = s.kind === 'throughput-drop' ? 'fell' : 'rose';
  const route = s.subject.route ? ` ${s.subject.route}` : '';
  return `requests to ${s.subject.service}${route} ${dir} ${percent(Math.abs(change))} (${count(s.baseline)} → ${count(s.observed)} ${s.unit.replace('_', ' ')})`;
}

export const trafficChange: RcaRule = {
  name: 'traffic-change',
  evaluate(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const traffic = ctx.signals.filter((s) => s.kind === 'throughput-drop' || s.kind === 'throughput-surge');
    const failingServices = new Set(ctx.signals.filter((s) => FAILURE_KINDS.has(s.kind)).map((s) => s.subject.service));
    for (const s of traffic) {
      const entry = isEntry(ctx, s.subject.service, traffic);
      const failing = failingServices.has(s.subject.service);
      let weight = entry ? 0.6 : 0.2;
      if (failing) weight *= 0.4;
      if (!failing && failingServices.size === 0) weight += 0.15;
      const where = entry ? 'at an entry service' : 'at an internal service';
      const health = failing ? 'alongside its own errors or latency' : 'with no errors or latency of its own';
      out.push({ rule: this.name, service: s.subject.service, kind: 'traffic-change', weight, fact: `${describe(s)} ${where}, ${health}` });
    }
    return out;
  },
};
