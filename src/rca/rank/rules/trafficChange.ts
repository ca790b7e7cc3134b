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

function change(s: Signal): string {
  const rel = s.baseline > 0 ? Math.abs(s.observed - s.baseline) / s.baseline : 0;
  const unit = s.unit === 'per_min' ? ' per min' : '';
  return `${percent(rel)}, ${count(s.baseline)} → ${count(s.observed)}${unit}`;
}

function describe(service: string, signals: readonly Signal[]): string {
  const dir = signals.every((s) => s.kind === 'throughput-drop') ? 'fell' : signals.every((s) => s.kind === 'throughput-surge') ? 'rose' : 'changed';
  const perRoute = signals.filter((s) => s.subject.route);
  if (perRoute.length === 0) return `requests to ${service} ${dir} (${change(signals[0]!)})`;
  const routes = perRoute
    .slice(0, 3)
    .map((s) => `${s.subject.route}: ${change(s)}`)
    .join('; ');
  const more = perRoute.length > 3 ? `; ${perRoute.length - 3} more routes` : '';
  return `requests to ${service} ${dir} on ${perRoute.length} route${perRoute.length > 1 ? 's' : ''} (${routes}${more})`;
}

export const trafficChange: RcaRule = {
  name: 'traffic-change',
  evaluate(ctx: RuleContext): Finding[] {
    const traffic = ctx.signals.filter((s) => (s.kind === 'throughput-drop' || s.kind === 'throughput-surge') && !s.subject.peer);
    const failingServices = new Set(ctx.signals.filter((s) => FAILURE_KINDS.has(s.kind)).map((s) => s.subject.service));
    const byService = new Map<string, Signal[]>();
    for (const s of traffic) byService.set(s.subject.service, [...(byService.get(s.subject.service) ?? []), s]);
    const out: Finding[] = [];
    for (const [service, signals] of [...byService].sort((a, b) => a[0].localeCompare(b[0]))) {
      const entry = isEntry(ctx, service, traffic);
      const failing = failingServices.has(service);
      let weight = entry ? 0.6 : 0.2;
      if (failing) weight *= 0.4;
      if (!failing && failingServices.size === 0) weight += 0.15;
      const where = entry ? 'at an entry service' : 'at an internal service';
      const health = failing ? 'alongside its own errors or latency' : 'with no errors or latency of its own';
      out.push({ rule: this.name, service, kind: 'traffic-change', weight, fact: `${describe(service, signals)} ${where}, ${health}` });
    }
    return out;
  },
};
