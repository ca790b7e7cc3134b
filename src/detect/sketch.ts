// A mergeable, log-bucketed latency sketch (DDSketch-like, ~2% relative accuracy) kept as a plain
// JSON object (a dense run of bins from `offset`) so buckets, windows and baselines merge by
// addition, quantiles need no sorting, and snapshots need no translation.

const GAMMA = 1.04;
const LN_GAMMA = Math.log(GAMMA);
/** Values at or below this (ms) share one bin; sub-microsecond differences never matter here. */
const MIN_VALUE = 1e-3;

export interface LatencySketch {
  /** Bin index of counts[0]. */
  offset: number;
  /** Possibly decayed, so fractional, counts of consecutive bins. */
  counts: number[];
  count: number;
}

export function emptySketch(): LatencySketch {
  return { offset: 0, counts: [], count: 0 };
}

export function binOf(valueMs: number): number {
  return Math.ceil(Math.log(Math.max(valueMs, MIN_VALUE)) / LN_GAMMA);
}

/** The representative value of a bin: its midpoint in relative terms. */
export function binValue(bin: number): number {
  return (2 * Math.pow(GAMMA, bin)) / (GAMMA + 1);
}

/** Makes room for bins lo..hi (inclusive) and returns nothing; counts stay dense. */
function ensureRange(sketch: LatencySketch, lo: number, hi: number): void {
  if (sketch.counts.length === 0) {
    sketch.offset = lo;
    sketch.counts = new Array<number>(hi - lo + 1).fill(0);
    return;
  }
  if (lo < sketch.offset) {
    const grow = sketch.offset - lo;
    sketch.counts = new Array<number>(grow).fill(0).concat(sketch.counts);
    sketch.offset = lo;
  }
  const end = sketch.offset + sketch.counts.length - 1;
  for (let i = end; i < hi; i++) sketch.counts.push(0);
}

export function addToSketch(sketch: LatencySketch, valueMs: number, weight = 1): void {
  const bin = binOf(valueMs);
  ensureRange(sketch, bin, bin);
  const i = bin - sketch.offset;
  sketch.counts[i] = (sketch.counts[i] ?? 0) + weight;
  sketch.count += weight;
}

/** into += from × weight. */
export function mergeSketch(into: LatencySketch, from: LatencySketch, weight = 1): void {
  if (from.counts.length === 0) return;
  ensureRange(into, from.offset, from.offset + from.counts.length - 1);
  const shift = from.offset - into.offset;
  const src = from.counts;
  const dst = into.counts;
  for (let i = 0; i < src.length; i++) dst[i + shift] = (dst[i + shift] ?? 0) + (src[i] ?? 0) * weight;
  into.count += from.count * weight;
}

/** Multiplies every count; bins that fall to `dropBelow` are zeroed and empty edges trimmed. */
export function scaleSketch(sketch: LatencySketch, factor: number, dropBelow = 0): void {
  const c = sketch.counts;
  for (let i = 0; i < c.length; i++) {
    const v = (c[i] ?? 0) * factor;
    c[i] = v <= dropBelow ? 0 : v;
  }
  sketch.count *= factor;
  let start = 0;
  while (start < c.length && c[start] === 0) start++;
  let end = c.length;
  while (end > start && c[end - 1] === 0) end--;
  if (start > 0 || end < c.length) {
    sketch.counts = c.slice(start, end);
    sketch.offset += start;
  }
}

/** The q-quantile (0..1) in ms; 0 for an empty sketch. */
export function quantile(sketch: LatencySketch, q: number): number {
  if (sketch.count <= 0 || sketch.counts.length === 0) return 0;
  const rank = q * sketch.count;
  let seen = 0;
  const c = sketch.counts;
  for (let i = 0; i < c.length; i++) {
    seen += c[i] ?? 0;
    if (seen >= rank && (c[i] ?? 0) > 0) return binValue(sketch.offset + i);
  }
  return binValue(sketch.offset + c.length - 1);
}

/** How much weight lies strictly above the bin holding `valueMs`. */
export function countAbove(sketch: LatencySketch, valueMs: number): number {
  const from = Math.max(0, binOf(valueMs) + 1 - sketch.offset);
  let above = 0;
  for (let i = from; i < sketch.counts.length; i++) above += sketch.counts[i] ?? 0;
  return above;
}
