// KPI drops as business impact: an incident during which a KPI is off is at least as severe as
// the drop says, whatever its error rates show (a checkout that silently stops taking orders is an
// outage). Takes the severity the incident engine measured and returns it raised, with the reason.
import type { Severity } from '../model/index.js';
import type { KpiDrop } from './watch.js';

const order: Severity[] = ['low', 'medium', 'high', 'critical'];
const rank = (s: Severity): number => order.indexOf(s);

export interface SeverityVerdict {
  severity: Severity;
  reason: string;
}

/** The incident's severity raised to the worst KPI drop, or unchanged when no drop outranks it. */
export function withBusinessImpact(verdict: SeverityVerdict, drops: readonly KpiDrop[]): SeverityVerdict {
  const worst = [...drops].sort((a, b) => rank(b.severity) - rank(a.severity) || b.drop - a.drop)[0];
  if (!worst || rank(worst.severity) <= rank(verdict.severity)) return verdict;
  return { severity: worst.severity, reason: `business impact: ${kpiDropText(worst)}; ${verdict.reason}` };
}

/** "orders/min down 70% (30.0 vs usual 95.2 a minute)". */
export function kpiDropText(d: KpiDrop): string {
  const way = d.direction === 'rise-is-bad' ? 'up' : 'down';
  const unit = d.unit ? ` ${d.unit}` : '';
  return `${d.kpi} ${way} ${(d.drop * 100).toFixed(0)}% (${round(d.current)} vs usual ${round(d.usual)}${unit}${d.perMinute ? ' a minute' : ''})`;
}

const round = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1));
