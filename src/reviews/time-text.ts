// Times and durations as a review prints them, without Date: the review and report cores are pure
// (the lint fence forbids the Date global there), so the civil calendar is computed by hand.

/** Days since 1970-01-01 → [year, month 1..12, day 1..31] (Howard Hinnant's civil_from_days). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `2026-11-03T13:31:20.000Z`, as Date's toISOString prints it. */
export function isoTime(ms: number): string {
  const whole = Math.floor(ms);
  const days = Math.floor(whole / 86_400_000);
  const rest = whole - days * 86_400_000;
  const [y, mo, d] = civilFromDays(days);
  const h = Math.floor(rest / 3_600_000);
  const mi = Math.floor((rest % 3_600_000) / 60_000);
  const s = Math.floor((rest % 60_000) / 1000);
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.${pad(rest % 1000, 3)}Z`;
}

/** `13:31:20` UTC: the timeline's column, where the date is in the heading. */
export function clockTime(ms: number): string {
  return isoTime(ms).slice(11, 19);
}

/** `4 min 10 s`, `2 h 5 min`, `12 s`: a duration a reader takes in at a glance. */
export function durationText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}
