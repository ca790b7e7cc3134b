// A connection pool as a queueing model: connections in use follow Little's law (query rate ×
// hold time, measured from the simulated queries) plus what background work holds. Past the pool
// size, callers wait and then time out; the wait distribution feeds the pool metrics.

import type { PoolSpec } from './shop.js';
import type { SeededRandom } from './rng.js';

export interface Acquisition {
  waitMs: number;
  timedOut: boolean;
}

/** Wait-time histogram bounds in seconds (db.client.connection.wait_time is in s). */
export const WAIT_BOUNDS_S = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class PoolModel {
  private busyMs = 0;
  private demand: number;
  // Per metric interval, reset by takeInterval().
  private waits: number[] = new Array<number>(WAIT_BOUNDS_S.length + 1).fill(0);
  private waitCount = 0;
  private waitSumS = 0;
  private waitMaxS = 0;
  private timeouts = 0;

  constructor(readonly spec: PoolSpec<string>) {
    this.demand = spec.backgroundHeld;
  }

  /** Recomputes the demand from the previous step's measured hold time. */
  beginStep(previousStepMs: number, extraHeld: number): void {
    const fromQueries = previousStepMs > 0 ? this.busyMs / previousStepMs : 0;
    this.demand = fromQueries + this.spec.backgroundHeld + extraHeld;
    this.busyMs = 0;
  }

  get inUse(): number {
    return Math.min(this.spec.max, this.demand);
  }

  get pending(): number {
    return Math.max(0, this.demand - this.spec.max);
  }

  get timeoutProbability(): number {
    const overload = (this.demand - this.spec.max) / this.spec.max;
    return overload <= 0 ? 0 : Math.min(0.6, 0.15 * overload);
  }

  acquire(rng: SeededRandom): Acquisition {
    const max = this.spec.max;
    const u = this.demand / max;
    let result: Acquisition;
    if (rng.chance(this.timeoutProbability)) {
      result = { waitMs: this.spec.acquireTimeoutMs, timedOut: true };
    } else if (u < 0.8) {
      result = { waitMs: rng.exponential(0.05), timedOut: false };
    } else {
      const overload = Math.max(0, u - 1);
      const mean = u < 1 ? 2 / Math.max(0.02, 1 - u) : 150 + 2500 * overload;
      result = { waitMs: Math.min(this.spec.acquireTimeoutMs * 0.95, rng.exponential(mean)), timedOut: false };
    }
    this.recordWait(result);
    return result;
  }

  release(holdMs: number): void {
    this.busyMs += holdMs;
  }

  takeInterval(): { bucketCounts: number[]; count: number; sumS: number; maxS: number; timeouts: number } {
    const out = { bucketCounts: this.waits, count: this.waitCount, sumS: this.waitSumS, maxS: this.waitMaxS, timeouts: this.timeouts };
    this.waits = new Array<number>(WAIT_BOUNDS_S.length + 1).fill(0);
    this.waitCount = 0;
    this.waitSumS = 0;
    this.waitMaxS = 0;
    this.timeouts = 0;
    return out;
  }

  private recordWait(a: Acquisition): void {
    const s = a.waitMs / 1000;
    let i = 0;
    while (i < WAIT_BOUNDS_S.length && s > (WAIT_BOUNDS_S[i] ?? Infinity)) i++;
    this.waits[i] = (this.waits[i] ?? 0) + 1;
    this.waitCount++;
    this.waitSumS += s;
    this.waitMaxS = Math.max(this.waitMaxS, s);
    if (a.timedOut) this.timeouts++;
  }
}
