// Rule: a service's own CPU, memory, threads or GC breaking upward from its usual level (the
// resource-shift detector's signals) is resource exhaustion there; its pools and queues filling is
// saturation, weaker, since a slow dependency fills every caller's pool too. Needs no graph, so
// services known only from their metrics are ranked like any other.

import type { RootCauseKind, Signal } from '../../../model/index.js';
import { clock } from '../format.js';
import type { Finding, RcaRule, RuleContext } from '../types.js';
import { shiftMagnitude } from './signalShift.js';

const OWN_RESOURCES = new Set(['cpu', 'memory', 'threads', 'gc']);

export function isResourceShift(s: Signal): boolean {
  return s.kind === 'metric-anomaly' && typeof s.evidence['resource'] === 'string';
}

export const resourceShift: RcaRule = {
  name: 'resource-shift',
  evaluate(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const best = new Map<string, Finding>();
    for (const s of ctx.allSignals) {
      if (!isResourceShift(s) || s.startedAtMs > ctx.window.nowMs) continue;
      const resource = String(s.evidence['resource']);
      const own = OWN_RESOURCES.has(resource);
      const kind: RootCauseKind = own ? 'resource-exhaustion' : 'saturation';
      const inIncident = ctx.signals.includes(s) || ctx.involved.has(s.subject.service);
      // A resource that moved long before the onset is background; one far after it is a symptom.
      const lead = ctx.window.onsetMs - s.startedAtMs;
      const timely = lead <= ctx.options.changeWindowMs && lead >= -5 * 60_000;
      let weight = (own ? 0.3 + 0.3 * shiftMagnitude(s) : 0.15 + 0.1 * shiftMagnitude(s)) * (inIncident ? 1 : 0.5) * (timely ? 1 : 0.5);
      weight = Math.round(weight * 1000) / 1000;
      const fact = `${s.summary.replace(/\.$/, '')} since ${clock(s.startedAtMs)}`;
      const key = `${s.subject.service}\u0000${kind}`;
      const prev = best.get(key);
      if (!prev || prev.weight < weight) best.set(key, { rule: this.name, service: s.subject.service, kind, weight, fact });
    }
    out.push(...best.values());
    return out;
  },
};
