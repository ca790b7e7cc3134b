// Error-budget arithmetic of the Google SRE workbook ("Alerting on SLOs"): burn rates, the
// multiwindow multi-burn-rate rules, budget left and exhaustion forecasts. Pure numbers in, numbers out.

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;

export type BurnSeverity = 'page' | 'ticket';

/** Fires when both windows burn faster than the threshold: the long one proves it matters, the short one that it is still happening. */
export interface BurnRule {
  severity: BurnSeverity;
  longMs: number;
  shortMs: number;
  /** Fraction of the window's budget that burning at the threshold for `longMs` spends. */
  budgetSpent: number;
}

/** The workbook's recommended rules: 2% of the budget in 1 h and 5% in 6 h page, 10% in 3 d is a ticket. */
export const burnRules: readonly BurnRule[] = [
  { severity: 'page', longMs: hourMs, shortMs: 5 * minuteMs, budgetSpent: 0.02 },
  { severity: 'page', longMs: 6 * hourMs, shortMs: 30 * minuteMs, budgetSpent: 0.05 },
  { severity: 'ticket', longMs: 72 * hourMs, shortMs: 6 * hourMs, budgetSpent: 0.1 },
];

/** The burn-rate threshold of a rule for an SLO window: 14.4, 6 and 1 for 30 days. */
export function burnThreshold(rule: BurnRule, windowMs: number): number {
  return (rule.budgetSpent * windowMs) / rule.longMs;
}

/** How many times faster than "exactly on budget" the bad events come: error ratio over allowed ratio. */
export function burnRate(good: number, total: number, target: number): number {
  if (total <= 0) return 0;
  return (total - good) / total / (1 - target);
}

/** Fraction of the window's budget left: 1 untouched, 0 spent, negative overspent. */
export function budgetRemaining(good: number, total: number, target: number): number {
  if (total <= 0) return 1;
  return 1 - (total - good) / ((1 - target) * total);
}

/** At `burn` the budget left is gone after this long: 0 when already gone, Infinity when nothing burns. */
export function exhaustionForecastMs(remaining: number, burn: number, windowMs: number): number {
  if (remaining <= 0) return 0;
  if (burn <= 0) return Number.POSITIVE_INFINITY;
  return (remaining * windowMs) / burn;
}

/** The workbook's detection time: how long a steady error ratio takes to cross a rule's long window threshold. */
export function detectionTimeMs(errorRatio: number, target: number, rule: BurnRule, windowMs: number): number {
  if (errorRatio <= 0) return Number.POSITIVE_INFINITY;
  return ((1 - target) / errorRatio) * rule.longMs * burnThreshold(rule, windowMs);
}

/** "4.8 h", "43 min", "2.5 d": how forecasts read in summaries. */
export function formatSpan(ms: number): string {
  if (!Number.isFinite(ms)) return 'never';
  if (ms < hourMs) return `${Math.max(1, Math.round(ms / minuteMs))} min`;
  if (ms < 48 * hourMs) return `${round1(ms / hourMs)} h`;
  return `${round1(ms / (24 * hourMs))} d`;
}

/** Burn rates read as "150x", "14.4x", "0.2x". */
export function formatBurn(burn: number): string {
  return `${burn >= 100 ? Math.round(burn) : round1(burn)}x`;
}

function round1(x: number): string {
  return String(Math.round(x * 10) / 10);
}

export const windowLabel = (ms: number): string =>
  ms % hourMs === 0 ? `${ms / hourMs >= 48 ? `${ms / (24 * hourMs)} d` : `${ms / hourMs} h`}` : `${ms / minuteMs} m`;
