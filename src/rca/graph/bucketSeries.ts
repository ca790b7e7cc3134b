// Bounded time-bucketed history: 1-minute buckets for the recent past, rolled up into hourly
// buckets for the longer past, so the graph answers "now vs before the deploy" in bounded memory.

export interface BucketSeriesOptions {
  minuteRetentionMs: number;
  hourRetentionMs: number;
}

export interface BucketSeriesState<T> {
  minutes: Array<[number, T]>;
  hours: Array<[number, T]>;
  latestMs: number;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

export class BucketSeries<T> {
  private readonly minutes = new Map<number, T>();
  private readonly hours = new Map<number, T>();
  private latestMs = -Infinity;

  constructor(
    private readonly options: BucketSeriesOptions,
    private readonly empty: () => T,
    private readonly merge: (into: T, from: T) => void,
    state?: BucketSeriesState<T>,
  ) {
    if (state) {
      for (const [k, v] of state.minutes) this.minutes.set(k, v);
      for (const [k, v] of state.hours) this.hours.set(k, v);
      this.latestMs = state.latestMs;
    }
  }

  /** The bucket that holds `timeMs`, created when absent; old times land in hourly buckets. */
  bucketAt(timeMs: number): T {
    if (timeMs > this.latestMs) this.advance(timeMs);
    if (timeMs < this.latestMs - this.options.minuteRetentionMs) {
      return getOrCreate(this.hours, Math.floor(timeMs / HOUR), this.empty);
    }
    return getOrCreate(this.minutes, Math.floor(timeMs / MINUTE), this.empty);
  }

  /** Merged statistics of [fromMs, toMs); hourly rollups count whole when they overlap. */
  range(fromMs: number, toMs: number): T {
    const out = this.empty();
    for (const [m, v] of this.minutes) {
      const t = m * MINUTE;
      if (t + MINUTE > fromMs && t < toMs) this.merge(out, v);
    }
    for (const [h, v] of this.hours) {
      const t = h * HOUR;
      if (t + HOUR > fromMs && t < toMs) this.merge(out, v);
    }
    return out;
  }

  /** True when anything was recorded in [fromMs, toMs). */
  hasDataIn(fromMs: number, toMs: number): boolean {
    for (const m of this.minutes.keys()) if (m * MINUTE + MINUTE > fromMs && m * MINUTE < toMs) return true;
    for (const h of this.hours.keys()) if (h * HOUR + HOUR > fromMs && h * HOUR < toMs) return true;
    return false;
  }

  get sizes(): { minutes: number; hours: number } {
    return { minutes: this.minutes.size, hours: this.hours.size };
  }

  /** Adds every bucket of `other` into this series (used when two graph nodes turn out to be one). */
  absorb(other: BucketSeries<T>): void {
    for (const [m, v] of other.minutes) this.merge(getOrCreate(this.minutes, m, this.empty), v);
    for (const [h, v] of other.hours) this.merge(getOrCreate(this.hours, h, this.empty), v);
    this.latestMs = Math.max(this.latestMs, other.latestMs);
  }

  state(): BucketSeriesState<T> {
    return { minutes: [...this.minutes], hours: [...this.hours], latestMs: this.latestMs };
  }

  private advance(timeMs: number): void {
    const rollNeeded = Math.floor(timeMs / MINUTE) !== Math.floor(this.latestMs / MINUTE);
    this.latestMs = timeMs;
    if (!rollNeeded) return;
    const minuteCut = Math.floor((timeMs - this.options.minuteRetentionMs) / MINUTE);
    for (const [m, v] of this.minutes) {
      if (m >= minuteCut) continue;
      this.merge(getOrCreate(this.hours, Math.floor((m * MINUTE) / HOUR), this.empty), v);
      this.minutes.delete(m);
    }
    const hourCut = Math.floor((timeMs - this.options.hourRetentionMs) / HOUR);
    for (const h of this.hours.keys()) if (h < hourCut) this.hours.delete(h);
  }
}

function getOrCreate<T>(map: Map<number, T>, key: number, empty: () => T): T {
  let v = map.get(key);
  if (v === undefined) {
    v = empty();
    map.set(key, v);
  }
  return v;
}
