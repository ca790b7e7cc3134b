// OTLP times are uint64 nanoseconds; Vigil keeps float epoch milliseconds. A double cannot hold
// today's nanos exactly (> 2^53), so the conversions split the integer before dividing.

const TWO_32 = 4294967296;

/** (hi * 2^32 + lo) ns → ms, exact up to the final rounding: 2^32 = 4294 * 1e6 + 967296. */
export function nanosPartsToMs(lo: number, hi: number): number {
  const t = hi * 967296 + lo; // < 2^53, exact
  const rem = t % 1_000_000;
  return hi * 4294 + (t - rem) / 1_000_000 + rem / 1_000_000;
}

/** A decimal nanosecond string (OTLP/JSON) → ms without going through an inexact double. */
export function nanosStringToMs(text: string): number {
  if (!/^\d{1,20}$/.test(text)) return NaN;
  if (text.length <= 6) return Number(text) / 1_000_000;
  const whole = Number(text.slice(0, -6));
  const frac = Number(text.slice(-6));
  return whole + frac / 1_000_000;
}

/** uint64 from two 32-bit halves → number (counts: exact up to 2^53, which is plenty). */
export function uint64PartsToNumber(lo: number, hi: number): number {
  return hi * TWO_32 + lo;
}

/** int64 (two's complement halves) → number when it is a safe integer, else its decimal string. */
export function int64PartsToValue(lo: number, hi: number): number | string {
  if (hi === 0) return lo;
  if (hi < 0x200000) return hi * TWO_32 + lo;
  if (hi >= 0xffe00000) return (hi - TWO_32) * TWO_32 + lo; // small negative: still safe
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
}
