// Rule: new exception fingerprints and log templates localized to one service are a code error
// there; when they first appear in a freshly deployed version, they also point at that deploy.
// Signals are summed per service so twenty one-off templates do not outweigh one real exception.

import type { ChangeEvent, Signal } from '../../../model/index.js';
import { clock, count } from '../format.js';
import type { Finding, RcaRule, RuleContext } from '../types.js';

const LOG_KINDS = new Set(['new-exception', 'new-log-pattern', 'log-pattern-spike']);

function occurrences(s: Signal): number {
  const n = Number(s.evidence['occurrences'] ?? s.observed);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

function label(s: Signal): string {
  if (s.kind === 'new-exception') return `new exception ${String(s.evidence['type'] ?? s.subject.fingerprint ?? s.summary)}`;
  const text = s.subject.pattern ?? s.subject.patternId ?? '';
  return s.kind === 'new-log-pattern' ? `new log pattern "${text}"` : `log pattern "${text}" spiking`;
}

/** Strength of one service's log evidence: exceptions count most, and volume matters. */
function strength(signals: readonly Signal[]): number {
  const exceptions = signals.filter((s) => s.kind === 'new-exception').reduce((n, s) => n + occurrences(s), 0);
  const patterns = signals.filter((s) => s.kind !== 'new-exception').reduce((n, s) => n + occurrences(s), 0);
  const volume = (n: number): number => Math.min(1, Math.log10(1 + n) / Math.log10(51)); // 50 occurrences → full weight
  return Math.min(0.5, 0.45 * volume(exceptions) + 0.25 * volume(patterns));
}

export const logSignals: RcaRule = {
  name: 'log-signals',
  evaluate(ctx: RuleContext): Finding[] {
    const byService = new Map<string, Signal[]>();
    for (const s of ctx.signals) {
      if (!LOG_KINDS.has(s.kind)) continue;
      byService.set(s.subject.service, [...(byService.get(s.subject.service) ?? []), s]);
    }
    // One service with new failures is localized; new patterns everywhere are mostly symptoms.
    const spread = byService.size <= 2 ? 1 : 0.6;
    const out: Finding[] = [];
    for (const [service, signals] of [...byService].sort((a, b) => a[0].localeCompare(b[0]))) {
      const top = [...signals].sort((a, b) => occurrences(b) - occurrences(a) || (a.kind === 'new-exception' ? -1 : 1))[0]!;
      const total = signals.reduce((n, s) => n + occurrences(s), 0);
      const version = top.subject.version ? ` in ${top.subject.version}` : '';
      const more =
        signals.length > 1 ? ` and ${signals.length - 1} more new log signal${signals.length > 2 ? 's' : ''} (${count(total)} occurrences in all)` : '';
      const fact = `${label(top)}${version} from ${service} since ${clock(top.startedAtMs)} (${count(occurrences(top))} occurrences)${more}`;
      const weight = strength(signals) * spread;
      out.push({ rule: this.name, service, kind: 'code-error', weight, fact });
      const deploy = newVersionDeploy(ctx, service, signals);
      if (deploy)
        out.push({
          rule: this.name,
          service,
          kind: 'bad-deploy',
          weight: weight * 0.75,
          fact: `${fact}, first seen in the new version ${deploy.version}`,
          change: deploy,
        });
    }
    return out;
  },
};

function newVersionDeploy(ctx: RuleContext, service: string, signals: readonly Signal[]): ChangeEvent | undefined {
  const versions = new Set(signals.filter((s) => s.kind !== 'log-pattern-spike').map((s) => s.subject.version ?? ''));
  return [...ctx.changes].reverse().find((c) => c.kind === 'deploy' && c.service === service && c.version !== '' && versions.has(c.version));
}
