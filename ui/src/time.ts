// Times as people read them: local clock times, relative ages, durations and compact numbers.
import { percent } from '../../src/format/index.js';
export const ms = (iso: string | number | null | undefined): number =>
  iso === null || iso === undefined ? NaN : typeof iso === 'number' ? iso : Date.parse(iso);

// One formatter for every time shown: toLocaleString with options builds a new one per call
// (about half a millisecond), which made each frame of a scrolling log list cost tens of ms.
const clockFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function clock(t: string | number | null | undefined): string {
  const v = ms(t);
  if (!Number.isFinite(v)) return '—';
  return clockFormat.format(v);
}

export function ago(t: string | number | null | undefined, now = Date.now()): string {
  const v = ms(t);
  if (!Number.isFinite(v)) return '—';
  return `${duration(Math.max(0, now - v))} ago`;
}

export function duration(d: number): string {
  if (!Number.isFinite(d)) return '—';
  if (d < 1) return `${d.toFixed(2)} ms`;
  if (d < 1000) return `${Math.round(d)} ms`;
  if (d < 60_000) return `${(d / 1000).toFixed(1)} s`;
  if (d < 3_600_000) return `${Math.round(d / 60_000)} min`;
  if (d < 86_400_000) return `${(d / 3_600_000).toFixed(1)} h`;
  return `${(d / 86_400_000).toFixed(1)} d`;
}

// Shares print by the server's one rule (src/format: a few lines, no imports), so a page and the
// incident text it shows say the same number.
export const pct = (r: number | null | undefined): string => (r === null || r === undefined || !Number.isFinite(r) ? '—' : percent(r));
export const num = (n: number | null | undefined): string => (n === null || n === undefined || !Number.isFinite(n) ? '—' : n.toLocaleString());
export const iso = (t: number): string => new Date(t).toISOString();
