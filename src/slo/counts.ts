// Good/total request counts of one indicator (a service or route, plus a latency threshold) in two
// rings: per minute over the 6 h the short windows need, per hour over the longest SLO window. A few
// KB per indicator however much traffic, so a thousand SLOs stay cheap to hold and to sum.

const minuteMs = 60_000;
const hourMs = 3_600_000;
export const minuteSlots = 360;

export interface GoodTotal {
  good: number;
  total: number;
}

/** Non-empty slots only: [minute or hour index, good, total] (a metric SLO's slot may hold good events alone). */
export interface CountsSnapshot {
  minutes: Array<[number, number, number]>;
  hours: Array<[number, number, number]>;
}

class Ring {
  readonly good: Float64Array;
  readonly total: Float64Array;
  /** Which minute or hour each slot holds; -1 when empty. */
  readonly index: Float64Array;

  constructor(readonly size: number) {
    this.good = new Float64Array(size);
    this.total = new Float64Array(size);
    this.index = new Float64Array(size).fill(-1);
  }

  add(at: number, newest: number, good: number, total: number): void {
    if (at <= newest - this.size) return; // older than the ring remembers
    const slot = at % this.size;
    if (this.index[slot] !== at) {
      this.index[slot] = at;
      this.good[slot] = 0;
      this.total[slot] = 0;
    }
    this.good[slot] = this.good[slot]! + good;
    this.total[slot] = this.total[slot]! + total;
  }

  /** Sum of the `n` slots ending at `last` (inclusive). */
  sum(last: number, n: number, out: GoodTotal): GoodTotal {
    out.good = 0;
    out.total = 0;
    const from = last - Math.min(n, this.size) + 1;
    for (let at = from; at <= last; at++) {
      const slot = ((at % this.size) + this.size) % this.size;
      if (this.index[slot] !== at) continue;
      out.good += this.good[slot]!;
      out.total += this.total[slot]!;
    }
    return out;
  }

  entries(): Array<[number, number, number]> {
    const out: Array<[number, number, number]> = [];
    for (let s = 0; s < this.size; s++)
      if (this.index[s]! >= 0 && (this.total[s]! > 0 || this.good[s]! !== 0)) out.push([this.index[s]!, this.good[s]!, this.total[s]!]);
    return out.sort((a, b) => a[0] - b[0]);
  }
}

export class IndicatorCounts {
  private readonly minutes = new Ring(minuteSlots);
  private readonly hours: Ring;
  /** Newest minute seen: older data than a ring's reach is counted only where it still fits. */
  private newestMinute = 0;

  constructor(
    readonly windowMs: number,
    snapshot?: CountsSnapshot,
  ) {
    this.hours = new Ring(Math.ceil(windowMs / hourMs) + 1);
    for (const [m, g, t] of snapshot?.minutes ?? []) this.addAt(m, g, t, true);
    for (const [h, g, t] of snapshot?.hours ?? []) this.hours.add(h, Math.floor(this.newestMinute / 60), g, t);
  }

  add(timeMs: number, good: number, total: number): void {
    this.addAt(Math.floor(timeMs / minuteMs), good, total, false);
  }

  /** Sum over the `ms` ending at `nowMs`, per minute (at most 6 h). */
  recent(nowMs: number, ms: number, out: GoodTotal = { good: 0, total: 0 }): GoodTotal {
    return this.minutes.sum(Math.floor(nowMs / minuteMs), Math.ceil(ms / minuteMs), out);
  }

  /** Sum over the `ms` ending at `nowMs`, per hour (the current hour counts as far as it went). */
  long(nowMs: number, ms: number, out: GoodTotal = { good: 0, total: 0 }): GoodTotal {
    return this.hours.sum(Math.floor(nowMs / hourMs), Math.ceil(ms / hourMs), out);
  }

  snapshot(): CountsSnapshot {
    return { minutes: this.minutes.entries(), hours: this.hours.entries() };
  }

  private addAt(minute: number, good: number, total: number, minutesOnly: boolean): void {
    if (minute > this.newestMinute) this.newestMinute = minute;
    this.minutes.add(minute, this.newestMinute, good, total);
    if (!minutesOnly) this.hours.add(Math.floor(minute / 60), Math.floor(this.newestMinute / 60), good, total);
  }
}
