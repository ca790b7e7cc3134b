// Uninstrumented background work that holds pool connections (payment's settlement batches):
// as many workers as the conditions ask for, each taking a connection, holding it for a batch
// and giving it back, so the pool's real queue decides who waits and who times out.

import { POOLS } from '../sim/index.js';
import type { Conditions } from '../sim/index.js';
import { sleep } from './errors.js';
import type { ConnectionPool } from './pool.js';

export class BackgroundJobs {
  private readonly workers = new Map<string, number>();
  private readonly wanted = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly pools: Map<string, ConnectionPool>,
    private readonly conditions: () => Conditions,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.adjust(), 500);
    this.adjust();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private adjust(): void {
    const c = this.conditions();
    for (const spec of POOLS) {
      const key = `${spec.service}->${spec.dependency}`;
      const want = Math.round(spec.backgroundHeld + (c.poolHeld.get(key) ?? 0));
      this.wanted.set(key, want);
      for (let n = this.workers.get(key) ?? 0; n < want; n++) this.spawn(key);
    }
  }

  private spawn(key: string): void {
    const pool = this.pools.get(key);
    if (!pool) return;
    this.workers.set(key, (this.workers.get(key) ?? 0) + 1);
    void (async () => {
      while (!this.stopped && (this.workers.get(key) ?? 0) <= (this.wanted.get(key) ?? 0)) {
        try {
          await pool.acquire(30_000);
        } catch {
          continue;
        }
        await sleep(2000 + Math.random() * 4000);
        pool.release();
        await sleep(Math.random() * 50);
      }
      this.workers.set(key, (this.workers.get(key) ?? 1) - 1);
    })();
  }
}
