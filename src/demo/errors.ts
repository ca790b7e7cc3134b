// How a failed request travels in the demo shop: a RouteError carries the HTTP status to answer
// and whether the error was thrown here (recorded as an exception) or only propagated from a peer.

export class RouteError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly thrownHere: boolean,
    readonly stacktrace = '',
  ) {
    super(message);
    this.name = type;
  }
}

/** Marks a request as declined by the card gateway (402), which is an answer, not a failure. */
export class DeclinedError extends Error {
  constructor() {
    super('card declined');
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** A log-normal sample around `median` (the demo's latency shape; Math.random is fine outside the core). */
export function jitter(median: number, sigma = 0.35): number {
  const u = 1 - Math.random();
  const v = Math.random();
  return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
}
