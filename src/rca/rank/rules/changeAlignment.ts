// Rule: a deploy or config change of a service shortly before the onset is a suspect; the closer
// it lines up and the more signals name it, the stronger. Changes of uninvolved services count little.

import type { ChangeEvent, RootCauseKind } from '../../../model/index.js';
import { clock, duration } from '../format.js';
import type { Finding, RcaRule, RuleContext } from '../types.js';

/** Changes just after the estimated onset still count: onsets are estimated from coarse buckets. */
export const LATE_TOLERANCE_MS = 90_000;

export function changeRootKind(change: ChangeEvent): RootCauseKind {
  return change.kind === 'deploy' ? 'bad-deploy' : 'config-change';
}

export function describeChange(change: ChangeEvent): string {
  if (change.kind === 'deploy') return `${change.service} ${change.version || 'new version'} deploy`;
  const what = change.description ? ` (${change.description})` : '';
  return `${change.service} ${change.kind} change${what}`;
}

export const changeAlignment: RcaRule = {
  name: 'change-alignment',
  evaluate(ctx: RuleContext): Finding[] {
    const { onsetMs } = ctx.window;
    const out: Finding[] = [];
    for (const change of ctx.changes) {
      const gap = onsetMs - change.timeMs;
      if (gap > ctx.options.changeWindowMs || gap < -LATE_TOLERANCE_MS) continue;
      const involved = ctx.involved.has(change.service);
      const linked = ctx.signals.filter((s) => s.change?.changeId === change.id).length;
      // Close in time is most telling; a change 30 min earlier is weak evidence on its own.
      const closeness = Math.exp(-Math.max(0, gap) / (10 * 60_000));
      let weight = involved ? 0.3 + 0.35 * closeness : 0.08 * closeness;
      if (linked > 0) weight += 0.1;
      const linkedText = linked > 0 ? `; ${linked} of the incident's signals follow it` : '';
      // An onset estimated just before the change still lines up: onsets come from coarse buckets.
      const fact =
        gap >= 0
          ? `started ${duration(gap)} after the ${describeChange(change)} at ${clock(change.timeMs)}${linkedText}`
          : `the ${describeChange(change)} at ${clock(change.timeMs)} lines up with the onset (${clock(onsetMs)})${linkedText}`;
      out.push({ rule: this.name, service: change.service, kind: changeRootKind(change), weight: Math.min(0.8, weight), fact, change });
    }
    return out;
  },
};
