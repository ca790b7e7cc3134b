// Runbook lookup from config: the most specific rule (service and signal kind, then service, then
// kind, then a catch-all) that matches any of the incident's signals wins.
import type { Signal } from '../model/index.js';
import type { RunbookRule } from './config.js';

function specificity(rule: RunbookRule, signal: Signal): number {
  if (rule.service !== undefined && rule.service !== signal.subject.service) return -1;
  if (rule.signalKind !== undefined && rule.signalKind !== signal.kind) return -1;
  return (rule.service !== undefined ? 2 : 0) + (rule.signalKind !== undefined ? 1 : 0);
}

export function runbookFor(rules: readonly RunbookRule[], signals: readonly Signal[]): string | undefined {
  let best: { url: string; score: number } | undefined;
  for (const rule of rules) {
    for (const signal of signals) {
      const score = specificity(rule, signal);
      if (score >= 0 && (!best || score > best.score)) best = { url: rule.url, score };
    }
  }
  return best?.url;
}
