// Rule: a database, cache, queue or external API that fails or slows down for all its callers is
// the cause (down → dependency failure, slow for everyone → saturated); when only one caller
// suffers, the problem is on that caller's side ("other payment-db clients unaffected").

import { count, factor, ms, percent } from '../format.js';
import type { Finding, RcaRule, RuleContext } from '../types.js';
import { scopeNodes } from './graphScope.js';

const MIN_CALLS = 10;

interface CallerHealth {
  caller: string;
  failing: boolean;
  slow: boolean;
  text: string;
}

export const dependencyHealth: RcaRule = {
  name: 'dependency-health',
  evaluate(ctx: RuleContext): Finding[] {
    const graph = ctx.graph;
    if (!graph) return fromEdgeSignals(ctx);
    const { onsetMs, nowMs, beforeFromMs, beforeToMs } = ctx.window;
    const out: Finding[] = [];
    for (const dep of scopeNodes(ctx)) {
      const kind = graph.nodeKind(dep);
      if (kind === undefined || kind === 'service') continue;
      const health: CallerHealth[] = [];
      for (const caller of graph.callers(dep).sort()) {
        const during = graph.edgeStats(caller, dep, onsetMs, nowMs + 1);
        const before = graph.edgeStats(caller, dep, beforeFromMs, beforeToMs);
        if (during.calls < MIN_CALLS) continue;
        const failing = during.errors >= 5 && during.errorRate >= before.errorRate + 0.05;
        const ratio = before.meanMs > 0 ? during.meanMs / before.meanMs : 1;
        const slow = ratio >= 2 && during.meanMs - before.meanMs >= 2;
        const text = failing
          ? `${caller} ${percent(during.errorRate)} errors vs ${percent(before.errorRate)}`
          : slow
            ? `${caller} ${ms(before.meanMs)} → ${ms(during.meanMs)} (${factor(ratio)})`
            : `${caller} unaffected (${count(during.calls)} calls, ${percent(during.errorRate)} errors, ${ms(during.meanMs)})`;
        health.push({ caller, failing, slow, text });
      }
      out.push(...judge(dep, health, this.name));
    }
    return out;
  },
};

function judge(dep: string, health: CallerHealth[], rule: string): Finding[] {
  const failing = health.filter((h) => h.failing);
  const slow = health.filter((h) => h.slow && !h.failing);
  const affected = [...failing, ...slow];
  if (affected.length === 0) return [];
  const n = health.length;
  const detail = health.map((h) => h.text).join('; ');
  const out: Finding[] = [];
  if (n >= 2 && affected.length < n) {
    const fine = health.filter((h) => !h.failing && !h.slow).map((h) => h.caller);
    out.push({ rule, service: dep, weight: -0.4, fact: `other ${dep} clients unaffected (${fine.join(', ')})` });
    for (const h of affected) out.push({ rule, service: h.caller, weight: 0.25, fact: `only ${h.caller}'s calls to ${dep} are affected: ${detail}` });
    return out;
  }
  const breadth = n >= 2 ? `for all ${n} callers` : `for its only caller`;
  if (failing.length > 0) {
    const weight = n >= 2 ? 0.7 : 0.45;
    out.push({ rule, service: dep, kind: 'dependency-failure', weight, fact: `calls to ${dep} fail ${breadth}: ${detail}` });
  } else {
    out.push({ rule, service: dep, kind: 'saturation', weight: n >= 2 ? 0.55 : 0.25, fact: `${dep} is slower ${breadth}: ${detail}` });
    out.push({ rule, service: dep, kind: 'dependency-failure', weight: n >= 2 ? 0.35 : 0.3, fact: `${dep} is slower ${breadth}: ${detail}` });
  }
  return out;
}

/** Without a graph: edge signals (subject.peer) grouped by the dependency they name. */
function fromEdgeSignals(ctx: RuleContext): Finding[] {
  const byPeer = new Map<string, CallerHealth[]>();
  for (const s of ctx.signals) {
    const peer = s.subject.peer;
    if (!peer || (s.kind !== 'error-rate' && s.kind !== 'latency')) continue;
    const list = byPeer.get(peer) ?? [];
    const text =
      s.kind === 'error-rate'
        ? `${s.subject.service} ${percent(s.observed)} errors vs ${percent(s.baseline)}`
        : `${s.subject.service} ${ms(s.baseline)} → ${ms(s.observed)}`;
    list.push({ caller: s.subject.service, failing: s.kind === 'error-rate', slow: s.kind === 'latency', text });
    byPeer.set(peer, list);
  }
  return [...byPeer.entries()].flatMap(([peer, health]) => judge(peer, health, 'dependency-health'));
}
