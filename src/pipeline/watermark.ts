// The event clock's watermark, robust to a record with a broken clock. Following the newest event
// time seen, one span stamped ten years ahead would close every window for everyone and make all
// later data late. So a batch moves the watermark freely up to an hour past it; times beyond that
// are a leap, taken only when it is the bulk of the batch (its median) and when several batches in
// a row agree (a replay resuming after a gap), and then only to the least of their times.

/**
 * Vigil's one lateness setting: how far behind its clock the engines (detectors, SLOs, rules,
 * release) close windows, so data that arrives a little late still counts. Event clock: spans of
 * one trace reach us in different exporters' batches (a client span ends before its server span),
 * so one bucket behind the newest event time; wall clock: 5 s behind now.
 */
export const lateness = { eventMs: 10_000, wallMs: 5_000 } as const;

/** How far past the watermark one batch may move it without corroboration. */
export const maxLeadMs = 3_600_000;
/** Consecutive batches, each mostly beyond maxLeadMs, before the watermark leaps to them. */
export const leapConfirmations = 3;

export class EventWatermark {
  private pendingLeaps: number[] = [];

  constructor(private current = 0) {}

  get value(): number {
    return this.current;
  }

  /** Raises the watermark to at least `t` (the end of a replay); never lowers it. */
  raiseTo(t: number): void {
    if (t > this.current) this.current = t;
  }

  /** Takes one batch's event times; returns the watermark after it (never lower than before). */
  observe(times: readonly number[]): number {
    let max = -Infinity;
    for (const t of times) if (t > max && Number.isFinite(t)) max = t;
    if (this.current !== 0 && max <= this.current + maxLeadMs) {
      // The usual batch: nothing far ahead, no sort needed.
      this.pendingLeaps = [];
      this.current = Math.max(this.current, max);
      return this.current;
    }
    const sorted = times.filter(Number.isFinite).sort((a, b) => a - b);
    if (!sorted.length) return this.current;
    if (this.current === 0) {
      // Nothing to compare with yet: the batch's bulk, not its outliers.
      this.current = bulkMax(sorted);
      return this.current;
    }
    const limit = this.current + maxLeadMs;
    const far = sorted.filter((t) => t > limit);
    const near = sorted.length > far.length ? sorted[sorted.length - far.length - 1]! : -Infinity;
    this.current = Math.max(this.current, near);
    if (far.length * 2 <= sorted.length) {
      // Most of this batch is on time: whatever runs far ahead of it is an outlier, and the batch
      // breaks any run of leaping batches.
      this.pendingLeaps = [];
      return this.current;
    }
    this.pendingLeaps.push(bulkMax(far));
    if (this.pendingLeaps.length >= leapConfirmations) {
      this.current = Math.max(this.current, Math.min(...this.pendingLeaps));
      this.pendingLeaps = [];
    }
    return this.current;
  }
}

/** The newest time within maxLeadMs of the median of ascending `sorted`. */
function bulkMax(sorted: readonly number[]): number {
  const cap = sorted[Math.floor(sorted.length / 2)]! + maxLeadMs;
  let out = sorted[0]!;
  for (const t of sorted) if (t <= cap) out = t;
  return out;
}
