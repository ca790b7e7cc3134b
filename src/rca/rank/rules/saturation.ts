// Rule: saturation gauges (pools, threads, queues) and resources (memory, CPU, disk) at or near
// their limit, from saturation and saturation-forecast signals, name the service that holds them.

import type { RootCauseKind, Signal } from '../../../model/index.js';
import { clock, count, duration, num, percent } from '../format.js';
import type { Finding, RcaRule, RuleContext } from '../types.js';

const RESOURCE = /memory|heap|rss|cpu|disk|filesystem|fd|file_descriptor|inode|gc/i;

export function saturationKind(metric: string): RootCauseKind {
  return RESOURCE.test(metric) ? 'resource-exhaustion' : 'saturation';
}

/** The dependency a pool gauge is about, when the signal names one. */
export function saturatedPeer(signal: Signal): string {
  const e = signal.evidence;
  const named = signal.subject.peer ?? e['peer'] ?? e['pool'] ?? e['pool.name'] ?? e['db.client.connection.pool.name'];
  if (named !== undefined) return String(named);
  // Detection keeps the gauge's attributes as "k=v,k=v": the pool name is one of them.
  const attrs = String(e['attributes'] ?? '');
  const match = /(?:^|,)[\w.]*pool\.name=([^,]+)/.exec(attrs);
  return match?.[1] ?? '';
}

function limitOf(signal: Signal): number {
  const e = signal.evidence;
  return num(e['limit'] ?? e['max'] ?? e['capacity']);
}

/** The gauge's value in its own unit: detection may report a ratio as `observed` and the value in evidence. */
function valueOf(signal: Signal, limit: number): number {
  const v = num(signal.evidence['value']);
  if (Number.isFinite(v)) return v;
  return signal.observed <= 1 && limit > 1 ? signal.observed * limit : signal.observed;
}

function amount(n: number, metric: string, unit: string): string {
  if (unit === 'By' || /memory|heap|rss/i.test(metric)) return `${count(n / 1_048_576)} MB`;
  return count(n);
}

function describe(signal: Signal, peer: string): string {
  const metric = signal.subject.metric ?? String(signal.evidence['metric'] ?? 'gauge');
  const limit = limitOf(signal);
  const label = peer ? `${peer} pool` : `${signal.subject.service} ${metric}`;
  const bytes = signal.unit === 'By' || /memory|heap|rss/i.test(metric);
  const level =
    Number.isFinite(limit) && limit > 0
      ? bytes
        ? `${amount(valueOf(signal, limit), metric, signal.unit)} of ${amount(limit, metric, signal.unit)} in use`
        : `${count(valueOf(signal, limit))}/${count(limit)} in use`
      : `at ${signal.unit === 'ratio' ? percent(signal.observed) : count(signal.observed)}`;
  if (signal.kind === 'saturation-forecast') {
    const eta = num(signal.evidence['etaMs'] ?? signal.evidence['timeToLimitMs']);
    const when = Number.isFinite(eta) ? `; limit reached in about ${duration(eta)}` : '';
    return `${label} heading for its limit (${level} at ${clock(signal.detectedAtMs)}${when})`;
  }
  return `${label} ${level} since ${clock(signal.startedAtMs)}`;
}

/** A connection-pool gauge without a pool name: the service's only database is the pool's. */
function poolFromGraph(ctx: RuleContext, service: string, metric: string): string {
  if (!ctx.graph || !/connection/.test(metric)) return '';
  const dbs = ctx.graph.callees(service).filter((c) => ctx.graph?.nodeKind(c) === 'database');
  return dbs.length === 1 ? (dbs[0] ?? '') : '';
}

export const saturation: RcaRule = {
  name: 'saturation',
  evaluate(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const relevant = ctx.allSignals.filter((s) => (s.kind === 'saturation' || s.kind === 'saturation-forecast') && s.startedAtMs <= ctx.window.nowMs);
    for (const signal of relevant) {
      const metric = signal.subject.metric ?? String(signal.evidence['metric'] ?? '');
      const kind = saturationKind(metric);
      const peer = saturatedPeer(signal) || poolFromGraph(ctx, signal.subject.service, metric);
      const inIncident = ctx.signals.includes(signal) || ctx.involved.has(signal.subject.service);
      let weight = signal.kind === 'saturation' ? 0.6 : 0.4;
      if (!inIncident) weight *= 0.5;
      // A resource that filled long before the onset is background, not the trigger.
      if (ctx.window.onsetMs - signal.startedAtMs > 2 * ctx.options.changeWindowMs) weight *= 0.5;
      const poolOf = peer && peer !== signal.subject.service ? peer : undefined;
      out.push({ rule: this.name, service: signal.subject.service, kind, weight, fact: describe(signal, poolOf ?? ''), ...(poolOf ? { poolOf } : {}) });
      if (kind === 'saturation' && peer && peer !== signal.subject.service) {
        // The caller's own pool is full: calls wait for a connection, not on the dependency.
        out.push({
          rule: this.name,
          service: peer,
          kind: 'dependency-failure',
          weight: -0.35,
          fact: `${signal.subject.service}'s own pool to ${peer} is full: calls queue for a connection before reaching ${peer}`,
        });
      }
    }
    return out;
  },
};
