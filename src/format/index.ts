// The one way Vigil prints a ratio or a count in sentences people read (signal summaries, root-cause
// facts, incident titles and severity reasons, status updates, the web UI), so one share reads the
// same everywhere. Pure, dependency-free and free of locale/ICU (replayed timelines read the same on
// every machine), so the decision core and the UI bundle may import it.
//
// The percent rule:
// - exactly zero is "0%", and only zero: a non-zero share never prints as "0.0%" (0.00004 is
//   "0.0040%"), because "0.0% failing" on an incident that is failing requests reads as a bug;
// - under 1% two significant digits ("0.15%", "0.0012%"): small shares are where the digits matter;
// - from 1% one decimal ("1.0%", "14.8%", "100.0%");
// - not a number (0 of 0) is "n/a", not a share.

/** A ratio (0.152) as a percentage ("15.2%") by the rule above. */
export function percent(ratio: number): string {
  const p = ratio * 100;
  if (!Number.isFinite(p)) return 'n/a';
  if (p === 0) return '0%';
  // toPrecision rounds 0.996 up to "1.0", which is already the one-decimal form.
  return Math.abs(p) < 1 ? `${p.toPrecision(2)}%` : `${p.toFixed(1)}%`;
}

/** A count rounded to a whole number with thousands separators: 1204.4 → "1,204". */
export function count(n: number): string {
  const rounded = Math.round(n);
  if (!Number.isFinite(rounded)) return 'n/a';
  const sign = rounded < 0 ? '-' : '';
  return sign + String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
