// Rule: a new exception fingerprint or log template localized to one service is a code error
// there; when it first appears in a freshly deployed version, it also points at that deploy.

import type { Signal } from '../../../model/index.js';
import { clock, count } from '../format.js';
import type { Finding, RcaRule, RuleContext } from '../types.js';

const LOG_KINDS = new Set(['new-exception', 'new-log-pattern', 'log-pattern-spike']);

function describe(s: Signal): string {
  const what =
    s.kind === 'new-exception'
      ? `new exception ${s.subject.fingerprint ? `${String(s.evidence['type'] ?? s.summary)}` : s.summary}`
      : s.kind === 'new-log-pattern'
        ? `new log pattern "${s.subject.pattern ?? s.subject.patternId ?? ''}"`
        : `log pattern "${s.subject.pattern ?? s.subject.patternId ?? ''}" spiking`;
  const version = s.subject.version ? ` in ${s.subject.version}` : '';
  const n = Number.isFinite(s.observed) && s.observed > 0 ? ` (${count(s.observed)} occurrences)` : '';
  return `${what}${version} from ${s.subject.service} since ${clock(s.startedAtMs)}${n}`;
}

export const logSignals: RcaRule = {
  name: 'log-signals',
  evaluate(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const logs = ctx.signals.filter((s) => LOG_KINDS.has(s.kind));
    const services = new Set(logs.map((s) => s.subject.service));
    for (const s of logs) {
      // One service with new failures is localized; new patterns everywhere are a symptom.
      const localized = services.size <= 2 ? 1 : 0.5;
      const base = s.kind === 'new-exception' ? 0.4 : s.kind === 'new-log-pattern' ? 0.25 : 0.15;
      // A handful of occurrences is weak evidence next to hundreds.
      const volume = Number.isFinite(s.observed) && s.observed > 0 && s.observed < 5 ? 0.5 : 1;
      const fact = describe(s);
      out.push({ rule: this.name, service: s.subject.service, kind: 'code-error', weight: base * localized * volume, fact });
      const deploy = ctx.changes.find((c) => c.kind === 'deploy' && c.service === s.subject.service && c.version !== '' && c.version === s.subject.version);
      if (deploy && s.kind !== 'log-pattern-spike') {
        out.push({ rule: this.name, service: s.subject.service, kind: 'bad-deploy', weight: 0.3 * localized * volume, fact: `${fact}, first seen in the new version`, change: deploy });
      }
    }
    return out;
  },
};
