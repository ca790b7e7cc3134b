// Number formatting for signal summaries: sentences a person on call reads at 3 a.m., so numbers
// are rounded the way people say them ("14.8%", "1,204", "p < 1e-9", "2 min").

// Ratios and counts print by Vigil's one rule (src/format), as in root-cause facts and incident text.
export { count, percent } from '../format/index.js';

export function pValue(p: number): string {
  if (!Number.isFinite(p)) return 'p n/a';
  if (p < 1e-9) return 'p < 1e-9';
  return `p = ${p.toExponential(1)}`;
}

export function ms(value: number): string {
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 100) return `${Math.round(value)} ms`;
  return `${value.toFixed(1)} ms`;
}

export function duration(msValue: number): string {
  if (msValue < 60_000) return `${Math.round(msValue / 1000)} s`;
  if (msValue < 3_600_000) return `${Math.round(msValue / 60_000)} min`;
  return `${(msValue / 3_600_000).toFixed(1)} h`;
}

export function subjectName(service: string, route: string, peer: string): string {
  if (peer) return `${service} → ${peer}`;
  return route ? `${service} ${route}` : service;
}

/** Significance score in 0..1 from a p-value: 1e-3 → 0.3, 1e-9 → 0.9, smaller → 1. */
export function scoreOf(p: number, effect: number): number {
  const fromP = Number.isFinite(p) && p > 0 ? Math.min(1, -Math.log10(p) / 10) : 1;
  const fromEffect = Math.min(1, Math.max(0, Math.log(Math.max(effect, 1)) / Math.log(10)));
  return Math.round(Math.max(0, Math.min(1, 0.5 * fromP + 0.5 * fromEffect)) * 1000) / 1000;
}
