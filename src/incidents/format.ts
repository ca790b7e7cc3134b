// Number formatting for incident text, written out so titles and reasons read the same on every
// machine (no locale or ICU differences in replayed timelines).

// Ratios and counts print by Vigil's one rule (src/format), as in signal summaries and root-cause facts.
export { count, percent } from '../format/index.js';

/** 2_700_000 → "45 min", 5_400_000 → "1 h 30 min". */
export function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}
