// A bounded window over the last N values that answers median and MAD in O(log N) reads, the
// robust centre and spread every series detector needs. Plain arrays so it serialises to JSON.

export interface RollingWindowState {
  capacity: number;
  /** Values in arrival order, oldest first (at most `capacity`). */
  values: number[];
  /** Pushes since the spread was last computed, and that spread (-1 = not yet). */
  sinceSpread?: number;
  cachedSpread?: number;
}

/** The spread is refreshed every this many pushes: it moves slowly and costs a sort. */
const SPREAD_REFRESH = 16;

export class RollingWindow {
  /** Circular buffer: `ring[(head + i) % capacity]` is the i-th oldest value. */
  private readonly ring: number[];
  private head = 0;
  private readonly sorted: number[];
  private sinceSpread = 0;
  private cachedSpread = -1;

  constructor(
    readonly capacity: number,
    values: readonly number[] = [],
  ) {
    this.ring = values.slice(-capacity);
    this.sorted = [...this.ring].sort((a, b) => a - b);
  }

  static restore(state: RollingWindowState): RollingWindow {
    const w = new RollingWindow(state.capacity, state.values);
    w.sinceSpread = state.sinceSpread ?? 0;
    w.cachedSpread = state.cachedSpread ?? -1;
    return w;
  }

  get size(): number {
    return this.ring.length;
  }

  push(value: number): void {
    if (this.ring.length === this.capacity) {
      const old = this.ring[this.head] as number;
      this.sorted.splice(lowerBound(this.sorted, old), 1);
      this.ring[this.head] = value;
      this.head = (this.head + 1) % this.capacity;
    } else this.ring.push(value);
    this.sorted.splice(lowerBound(this.sorted, value), 0, value);
    this.sinceSpread++;
  }

  /** The q-quantile (0..1) by linear interpolation; NaN when empty. */
  quantile(q: number): number {
    const n = this.sorted.length;
    if (n === 0) return Number.NaN;
    const pos = q * (n - 1);
    const lo = Math.floor(pos);
    const a = this.sorted[lo] ?? 0;
    const b = this.sorted[Math.min(lo + 1, n - 1)] ?? a;
    return a + (b - a) * (pos - lo);
  }

  median(): number {
    return this.quantile(0.5);
  }

  /** Fraction of the window strictly below `value` plus half the ties: a mid-rank in [0,1]. */
  rank(value: number): number {
    const n = this.sorted.length;
    if (n === 0) return 0.5;
    const lo = lowerBound(this.sorted, value);
    const hi = upperBound(this.sorted, value);
    return (lo + (hi - lo) / 2) / n;
  }

  /**
   * Robust spread about the median: 1.4826·MAD, falling back to the mean absolute deviation for
   * lumpy data; recomputed every SPREAD_REFRESH pushes (and while the window is young).
   */
  spread(): number {
    if (this.cachedSpread < 0 || this.sinceSpread >= SPREAD_REFRESH || this.ring.length < 4 * SPREAD_REFRESH) {
      this.cachedSpread = this.computeSpread(this.median());
      this.sinceSpread = 0;
    }
    return this.cachedSpread;
  }

  private computeSpread(centre: number): number {
    const n = this.ring.length;
    if (n === 0) return 0;
    const devs = Float64Array.from(this.ring, (v) => Math.abs(v - centre)).sort();
    const mad = 1.4826 * (devs[Math.floor((n - 1) / 2)] ?? 0);
    if (mad > 0) return mad;
    let sum = 0;
    for (const d of devs) sum += d;
    return 1.2533 * (sum / n);
  }

  /** The value pushed k pushes ago (0 = the latest). */
  last(k = 0): number | undefined {
    const n = this.ring.length;
    if (k >= n) return undefined;
    return this.ring[(this.head + n - 1 - k) % n];
  }

  max(): number {
    return this.sorted[this.sorted.length - 1] ?? Number.NaN;
  }

  private inOrder(): number[] {
    return [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
  }

  snapshot(): RollingWindowState {
    return {
      capacity: this.capacity,
      values: this.inOrder(),
      sinceSpread: this.sinceSpread,
      cachedSpread: this.cachedSpread,
    };
  }
}

function lowerBound(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
