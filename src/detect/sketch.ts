// A mergeable, log-bucketed latency sketch (DDSketch-like, ~2% relative accuracy) kept as a plain
// JSON object so buckets, windows and baselines merge by addition and snapshot without translation.

const GAMMA = 1.04;
const LN_GAMMA = Math.log(GAMMA);
/** Values at or below this (ms) share one bin; sub-microsecond differences never matter here. */
const MIN_VALUE = 1e-3;

export interface LatencySketch {
  /** bin index → (possibly decayed, so fractional) count. */
  bins: Record<string, number>;
  count: number;
}

export function emptySketch(): LatencySketch {
  return { bins: {}, count: 0 };
}

export function binOf(valueMs: number): number {
  return Math.ceil(Math.log(Math.max(valueMs, MIN_VALUE)) / LN_GAMMA);
}

/** The representative value of a bin: its midpoint in relative terms. */
export function binValue(bin: number): number {
  return (2 * Math.pow(GAMMA, bin)) / (GAMMA + 1);
}

export function addToSketch(sketch: LatencySketch, valueMs: number, weight = 1): void {
  const key = String(binOf(valueMs));
  sketch.bins[key] = (sketch.bins[key] ?? 0) + weight;
  sketch.count += weight;
}

/** into += from × weight. */
export function mergeSketch(into: LatencySketch, from: LatencySketch, weight = 1): void {
  for (const key in from.bins) into.bins[key] = (into.bins[key] ?? 0) + (from.bins[key] ?? 0) * weight;
  into.count += from.count * weight;
}

export function scaleSketch(sketch: LatencySketch, factor: number, dropBelow = 0): void {
  for (const key in sketch.bins) {
    const v = (sketch.bins[key] ?? 0) * factor;
    if (v <= dropBelow) delete sketch.bins[key];
    else sketch.bins[key] = v;
  }
  sketch.count *= factor;
}

function sortedBins(sketch: LatencySketch): number[] {
  return Object.keys(sketch.bins)
    .map(Number)
    .sort((a, b) => a - b);
}

/** The q-quantile (0..1) in ms; 0 for an empty sketch. */
export function quantile(sketch: LatencySketch, q: number): number {
  if (sketch.count <= 0) return 0;
  const rank = q * sketch.count;
  let seen = 0;
  const bins = sortedBins(sketch);
  for (const bin of bins) {
    seen += sketch.bins[String(bin)] ?? 0;
    if (seen >= rank) return binValue(bin);
  }
  return binValue(bins[bins.length - 1] ?? 0);
}

/** How much weight lies strictly above the bin holding `valueMs`. */
export function countAbove(sketch: LatencySketch, valueMs: number): number {
  const limit = binOf(valueMs);
  let above = 0;
  for (const key in sketch.bins) if (Number(key) > limit) above += sketch.bins[key] ?? 0;
  return above;
}
