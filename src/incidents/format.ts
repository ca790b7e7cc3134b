// Number formatting for incident text, written out so titles and reasons read the same on every
// machine (no locale or ICU differences in replayed timelines).

/** 1204 → "1,204". */
export function count(n: number): string {
  const rounded = Math.round(n);
  const sign = rounded < 0 ? '-' : '';
  return sign + String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 0.152 → "15.2%", 0.0015 → "0.15%": small shares keep two significant digits. */
export function percent(ratio: number): string {
  const p = ratio * 100;
  if (!Number.isFinite(p)) return '0%';
  if (p !== 0 && Math.abs(p) < 1) return `${p.toFixed(2)}%`;
  return `${p.toFixed(1)}%`;
}

/** 2_700_000 → "45 min", 5_400_000 → "1 h 30 min". */
export function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}
