// A small mergeable latency histogram (log-spaced buckets) so edge p95s can be computed over
// any window of the graph's bucketed history without keeping individual span durations.

const GROWTH = 1.25;
const BUCKETS = 64;
const LOG_GROWTH = Math.log(GROWTH);

/** Sparse counts by bucket index; a plain object so snapshots are JSON. */
export type LatencyHistogram = Record<number, number>;

function bucketOf(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(BUCKETS - 1, Math.max(0, Math.floor(Math.log(ms + 1) / LOG_GROWTH)));
}

/** Upper bound of a bucket in ms, the value reported for a quantile falling in it. */
function upperOf(bucket: number): number {
  return Math.pow(GROWTH, bucket + 1) - 1;
}

export function recordLatency(h: LatencyHistogram, ms: number): void {
  const b = bucketOf(ms);
  h[b] = (h[b] ?? 0) + 1;
}

export function mergeLatency(into: LatencyHistogram, from: LatencyHistogram): void {
  for (const [k, v] of Object.entries(from)) {
    const b = Number(k);
    into[b] = (into[b] ?? 0) + v;
  }
}

/** The q-quantile (0..1) in ms, within one bucket's width (25%); 0 for an empty histogram. */
export function latencyQuantile(h: LatencyHistogram, q: number): number {
  const entries = Object.entries(h)
    .map(([k, v]) => [Number(k), v] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((s, [, v]) => s + v, 0);
  if (total === 0) return 0;
  const rank = q * total;
  let seen = 0;
  for (const [b, v] of entries) {
    seen += v;
    if (seen >= rank) return upperOf(b);
  }
  return upperOf(entries[entries.length - 1]?.[0] ?? 0);
}
