// The bytes of OTLP requests being read and decoded right now, across both receivers (HTTP and
// gRPC). Each request is bounded by ingest.maxBodyBytes, but many at once are not: a hundred
// clients each sending 16 MiB would hold gigabytes while they decode (a decoded body is several
// times its wire size). Past ingest.maxInFlightBytes a request is answered 429/RESOURCE_EXHAUSTED
// with Retry-After before it is read or decoded, so memory follows the budget, not the client count.

export class InFlightBytes {
  private used = 0;
  private peak = 0;

  constructor(readonly limit: number) {}

  /**
   * Reserves `bytes` if they fit. A request alone always fits (even one larger than the budget,
   * which ingest.maxBodyBytes bounds anyway), so a budget below the body limit cannot starve ingest.
   */
  take(bytes: number): boolean {
    if (bytes <= 0) return true;
    if (this.used > 0 && this.used + bytes > this.limit) return false;
    this.used += bytes;
    this.peak = Math.max(this.peak, this.used);
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  /** Bytes reserved now and the most ever reserved at once (health, self-metrics, benches). */
  get state(): { used: number; peak: number; limit: number } {
    return { used: this.used, peak: this.peak, limit: this.limit };
  }
}

/** One request's share of the budget: grows as its body is read, released once when answered. */
export class InFlightReservation {
  private held = 0;

  constructor(private readonly budget: InFlightBytes) {}

  /** Grows the reservation to `total` bytes; false when the budget has no room for the growth. */
  growTo(total: number): boolean {
    if (total <= this.held) return true;
    if (!this.budget.take(total - this.held)) return false;
    this.held = total;
    return true;
  }

  release(): void {
    this.budget.give(this.held);
    this.held = 0;
  }
}

/** Seconds a client should wait when the budget is full: requests in flight finish within about one. */
export const IN_FLIGHT_RETRY_AFTER_SECONDS = 1;

export function inFlightMessage(limit: number): string {
  return `too many request bytes being decoded at once (over ingest.maxInFlightBytes=${limit}): retry after ${IN_FLIGHT_RETRY_AFTER_SECONDS} s`;
}
