// Number and time formatting for explanations, without reading the clock: times are printed
// as UTC HH:MM from epoch milliseconds, durations in the largest sensible units.

export function clock(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const h = Math.floor(minutes / 60) % 24;
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export function duration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 60_000) return `${Math.round(abs / 1000)} s`;
  if (abs < 3_600_000) return `${Math.round(abs / 60_000)} min`;
  if (abs < 48 * 3_600_000) {
    const h = Math.floor(abs / 3_600_000);
    const m = Math.round((abs - h * 3_600_000) / 60_000);
    return m > 0 ? `${h} h ${m} min` : `${h} h`;
  }
  return `${Math.round(abs / 86_400_000)} days`;
}

// Ratios and counts print by Vigil's one rule (src/format), as in signal summaries and incident text.
export { count, percent } from '../../format/index.js';

export function ms(n: number): string {
  if (n >= 10_000) return `${(n / 1000).toFixed(0)} s`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)} s`;
  if (n >= 10) return `${Math.round(n)} ms`;
  return `${n.toFixed(1)} ms`;
}

export function factor(ratio: number): string {
  return `${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1)}×`;
}

export function num(value: number | string | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return NaN;
}
