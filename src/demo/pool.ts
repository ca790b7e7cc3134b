// A real bounded connection pool (FIFO waiters, acquire timeout) in front of the fake databases,
// so pool exhaustion in the demo is the genuine queueing effect, not a scripted error.

export class PoolTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor() {
    super('connection timeout acquiring connection from pool');
  }
}

interface Waiter {
  resolve: () => void;
  timer: NodeJS.Timeout | undefined;
}

export class ConnectionPool {
  private inUse = 0;
  private readonly waiters: Waiter[] = [];

  constructor(
    readonly name: string,
    readonly max: number,
    readonly acquireTimeoutMs: number,
  ) {}

  get used(): number {
    return this.inUse;
  }

  get pending(): number {
    return this.waiters.length;
  }

  /** Resolves with the time waited once a connection is ours; rejects after the timeout. */
  acquire(timeoutMs = this.acquireTimeoutMs): Promise<number> {
    const start = performance.now();
    if (this.inUse < this.max && this.waiters.length === 0) {
      this.inUse++;
      return Promise.resolve(0);
    }
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = { resolve: () => resolve(performance.now() - start), timer: undefined };
      waiter.timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new PoolTimeoutError());
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve(); // the connection passes straight to the next waiter
      return;
    }
    this.inUse = Math.max(0, this.inUse - 1);
  }
}
