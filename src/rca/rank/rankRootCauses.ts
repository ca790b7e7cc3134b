// Root-cause ranking: run every rule, gather their findings into candidates (service + kind),
// score each by combining its supporting evidence (noisy-OR) and penalties, and explain it in
// plain language with the numbers the rules found. Pure: same input, same ranking.

import type { ElevatedShift, RootCause, RootCauseKind, Signal } from '../../model/index.js';
import { nextStepsFor } from './nextSteps.js';
import { defaultRcaRules } from './registry.js';
import { signalShift } from './rules/signalShift.js';
import { defaultRcaOptions } from './types.js';
import type { Finding, RcaRule, RootCauseInput, RuleContext } from './types.js';

interface Candidate {
  service: string;
  kind: RootCauseKind;
  findings: Finding[];
  changeId?: string;
}

/** Mechanisms a change can set off: a deploy that exhausts a pool is still the deploy's fault. */
const MECHANISMS = new Set<RootCauseKind>(['saturation', 'resource-exhaustion', 'code-error']);
const MECHANISM_SHARE = 0.6;
const MAX_FACTS = 4;

export function buildRuleContext(input: RootCauseInput): RuleContext {
  const options = { ...defaultRcaOptions, ...input.options };
  const byOnset = (a: Signal, b: Signal): number => a.startedAtMs - b.startedAtMs || a.id.localeCompare(b.id);
  const signals = [...input.signals].sort(byOnset);
  const ids = new Set(signals.map((s) => s.id));
  const others = (input.otherSignals ?? []).filter((s) => !ids.has(s.id));
  const involved = new Set<string>();
  for (const s of signals) {
    involved.add(s.subject.service);
    if (s.subject.peer) involved.add(s.subject.peer);
  }
  const beforeToMs = input.onsetMs - options.baselineGapMs;
  return {
    options,
    window: { onsetMs: input.onsetMs, nowMs: input.nowMs, beforeFromMs: beforeToMs - options.baselineMs, beforeToMs },
    signals,
    allSignals: [...signals, ...others].sort(byOnset),
    elevated: freshMoves(input.elevated ?? [], beforeToMs - options.baselineMs, beforeToMs, input.nowMs),
    changes: [...input.changes].sort((a, b) => a.timeMs - b.timeMs || a.id.localeCompare(b.id)),
    graph: input.graph,
    involved,
  };
}

/** Earlier episodes of a key's sub-threshold move that make it a habit of the series (see freshMoves). */
const RECURRING_EPISODES = 2;

/**
 * The sub-threshold moves that are this incident's evidence. A move already under way when the
 * "before" window began was part of the state the incident is compared with, not something that
 * changed at it (a service hovering under its bar for an hour). Nor is one of a series that moved
 * and settled twice or more before it in the detectors' memory (a lambda's cold starts every half
 * hour): one earlier episode may be the same fault's first try, a third is the series' habit.
 */
function freshMoves(moves: readonly ElevatedShift[], fromMs: number, lastSeenFromMs: number, nowMs: number): ElevatedShift[] {
  const onsets = new Map<string, number[]>();
  for (const e of moves) onsets.set(e.key, [...(onsets.get(e.key) ?? []), e.startedAtMs]);
  const earlier = (e: ElevatedShift): number => (onsets.get(e.key) ?? []).filter((t) => t < e.startedAtMs).length;
  return moves
    .filter((e) => e.lastSeenMs >= lastSeenFromMs && e.startedAtMs >= fromMs && e.startedAtMs <= nowMs && earlier(e) < RECURRING_EPISODES)
    .sort((a, b) => a.startedAtMs - b.startedAtMs || a.key.localeCompare(b.key));
}

export function rankRootCauses(input: RootCauseInput, rules: readonly RcaRule[] = defaultRcaRules): RootCause[] {
  const ctx = buildRuleContext(input);
  const findings = rules.flatMap((r) => r.evaluate(ctx));
  // Suspects the rules support equally (several services "among the first anomalies") are told
  // apart by the graph-free evidence — which moved most, which a callee's move explains — not by name.
  const shift = new Map(signalShift.evaluate(ctx).map((f) => [f.service, f.weight] as const));
  const shiftOf = (c: Candidate): number => shift.get(c.service) ?? 0;
  const ranked = candidatesOf(findings, ctx)
    .map((c) => ({ c, score: scoreOf(c.findings) }))
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score || shiftOf(b.c) - shiftOf(a.c) || a.c.service.localeCompare(b.c.service) || a.c.kind.localeCompare(b.c.kind));
  return withFallback(bestPerPair(ranked), ctx)
    .slice(0, ctx.options.maxResults)
    .map(({ c, score, lowConfidence }) => toRootCause(c, score, ctx, lowConfidence));
}

/** The most a fallback suspect scores: below anything a localizing rule ranked. */
const FALLBACK_CEILING = 0.3;

/**
 * Every incident gets a ranking. When the rules localize nothing (no graph, traces or changes:
 * a metric-only system), or fewer suspects than the list holds, the graph-free signal-shift
 * evidence fills it in, below what the rules found and marked as low confidence.
 */
function withFallback(ranked: Array<{ c: Candidate; score: number }>, ctx: RuleContext): Array<{ c: Candidate; score: number; lowConfidence?: string }> {
  if (ranked.length >= ctx.options.maxResults) return ranked;
  const reason =
    ranked.length === 0
      ? ctx.graph && ctx.graph.edges(ctx.window.beforeFromMs, ctx.window.nowMs + 1).length > 0
        ? 'no rule localized this incident'
        : 'no dependency graph or trace evidence covers these services'
      : '';
  const floor = ranked.length > 0 ? Math.min(FALLBACK_CEILING, ranked[ranked.length - 1]!.score * 0.9) : FALLBACK_CEILING;
  const taken = new Set(ranked.map(({ c }) => c.service));
  const extra = signalShift
    .evaluate(ctx)
    .filter((f) => !taken.has(f.service) && f.kind !== undefined)
    .map((f) => ({
      c: { service: f.service, kind: f.kind!, findings: [f] },
      score: Math.min(floor, f.weight) * (reason ? 1 : 0.99),
      lowConfidence: reason || 'other suspects are better supported',
    }))
    // Suspects capped at the same floor keep the order of their own evidence.
    .sort((a, b) => b.score - a.score || b.c.findings[0]!.weight - a.c.findings[0]!.weight || a.c.service.localeCompare(b.c.service));
  return [...ranked, ...extra];
}

function candidatesOf(findings: readonly Finding[], ctx: RuleContext): Candidate[] {
  // Change candidates are one per change: two deploys of a service are two suspects.
  const byKey = new Map<string, Candidate>();
  const key = (service: string, kind: RootCauseKind, changeId = ''): string => `${service}\u0000${kind}\u0000${changeId}`;
  for (const f of findings) {
    if (!f.kind || f.weight <= 0) continue;
    const k = key(f.service, f.kind, f.change?.id);
    if (!byKey.has(k)) byKey.set(k, { service: f.service, kind: f.kind, findings: [], ...(f.change ? { changeId: f.change.id } : {}) });
  }
  // A service the evidence localizes to, with no kind named, gets the default kind of its node.
  for (const f of findings) {
    if (f.kind || f.weight <= 0) continue;
    if ([...byKey.values()].some((c) => c.service === f.service)) continue;
    const node = ctx.graph?.nodeKind(f.service);
    const kind: RootCauseKind = node !== undefined && node !== 'service' ? 'dependency-failure' : 'code-error';
    byKey.set(key(f.service, kind), { service: f.service, kind, findings: [] });
  }
  for (const c of byKey.values()) {
    for (const f of findings) {
      if (f.service !== c.service) continue;
      if (f.kind === undefined) c.findings.push(f);
      else if (f.kind === c.kind) {
        if (!f.change || !c.changeId || f.change.id === c.changeId) c.findings.push(f);
      } else if ((c.kind === 'bad-deploy' || c.kind === 'config-change') && MECHANISMS.has(f.kind) && f.weight > 0) {
        c.findings.push({ ...f, weight: f.weight * MECHANISM_SHARE });
      }
    }
  }
  return [...byKey.values()];
}

/** Keeps the best-scored candidate per service and kind (the API shows one per pair). */
function bestPerPair<T extends { c: Candidate; score: number }>(ranked: T[]): T[] {
  const seen = new Set<string>();
  return ranked.filter(({ c }) => {
    const k = `${c.service}\u0000${c.kind}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function scoreOf(findings: readonly Finding[]): number {
  let miss = 1;
  let keep = 1;
  const seen = new Set<string>();
  for (const f of findings) {
    const id = `${f.rule}\u0000${f.fact}\u0000${f.weight > 0 ? '+' : '-'}`;
    if (seen.has(id)) continue; // the same fact stated twice is one piece of evidence
    seen.add(id);
    if (f.weight > 0) miss *= 1 - Math.min(1, f.weight);
    else keep *= 1 + Math.max(-1, f.weight);
  }
  return (1 - miss) * keep;
}

const HEADLINES: Record<RootCauseKind, (c: Candidate, version: string) => string> = {
  'bad-deploy': (c, v) => `Bad deploy of ${c.service}${v ? ` ${v}` : ''}`,
  'config-change': (c) => `Config change in ${c.service}`,
  saturation: (c) => `Saturation of ${c.service}`,
  'dependency-failure': (c) => `Dependency failure: ${c.service}`,
  'resource-exhaustion': (c) => `Resource exhaustion in ${c.service}`,
  'traffic-change': (c) => `Traffic change at ${c.service}`,
  'code-error': (c) => `Code error in ${c.service}`,
};

function toRootCause(c: Candidate, score: number, ctx: RuleContext, lowConfidence?: string): RootCause {
  const support = uniqueFacts(c.findings.filter((f) => f.weight > 0).sort((a, b) => b.weight - a.weight));
  const against = uniqueFacts(c.findings.filter((f) => f.weight < 0));
  const change = c.findings.find((f) => f.change && (c.kind === 'bad-deploy' || c.kind === 'config-change'))?.change;
  const facts = support.slice(0, MAX_FACTS).map((f) => f.fact);
  const caveat = against.length > 0 ? ` Against it: ${against.map((f) => f.fact).join('; ')}.` : '';
  return {
    service: c.service,
    kind: c.kind,
    score: Math.round(score * 1000) / 1000,
    explanation: `${lowConfidence ? `Low confidence (${lowConfidence}; ranked by which service's own signals moved first and most). ` : ''}${HEADLINES[c.kind](c, change?.version ?? '')}: ${facts.join('; ')}.${caveat}`,
    evidence: [...support, ...against].map((f) => `[${f.rule}${f.weight < 0 ? ', against' : ''}] ${f.fact}`),
    nextSteps: nextStepsFor({ service: c.service, kind: c.kind, findings: c.findings, ...(change ? { change } : {}) }, ctx),
    ...(change ? { changeId: change.id } : {}),
  };
}

function uniqueFacts(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => (seen.has(f.fact) ? false : (seen.add(f.fact), true)));
}
