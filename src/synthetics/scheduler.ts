// When each check runs: every `every`, first runs spread over the interval (so 1,000 checks of a
// minute do not all fire in the same second), later runs planned from the plan, not from when the
// last one finished (no drift), a failed run retried soon, a global cap on runs in flight so
// checks never load production noticeably, and a smaller one for heavy runs (browsers) so they do
// not swamp Vigil's own machine. One timer for the earliest planned run.

export interface SchedulerOptions {
  /** Runs in flight at most; further due runs wait their turn, oldest plan first. */
  concurrency: number;
  now(): number;
  /** In [0, 1): spreads first runs; injectable for tests. */
  random(): number;
  run(name: string): Promise<void>;
  /**
   * Checks heavy on Vigil's own machine (a browser run is a Chromium): at most `concurrency` of them
   * in flight, within the overall cap; light runs due meanwhile go past the waiting heavy ones.
   */
  heavy?: { concurrency: number; is(name: string): boolean };
}

interface Plan {
  name: string;
  everyMs: number;
  dueMs: number;
}

/** How soon a failed run is tried again to confirm it (never later than the normal interval). */
export const confirmRetryMs = 5_000;

export class CheckScheduler {
  private readonly plans = new Map<string, Plan>();
  private readonly waiting: Plan[] = [];
  private running = 0;
  private heavyRunning = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Start delay of each run against its plan (ms), the last 10,000: the scheduling drift. */
  readonly drifts: number[] = [];

  constructor(private readonly o: SchedulerOptions) {}

  /** Adds or replaces a check's schedule; its first run falls somewhere within its first interval. */
  schedule(name: string, everyMs: number, firstRunWithinMs = everyMs): void {
    this.plans.set(name, { name, everyMs, dueMs: this.o.now() + this.o.random() * firstRunWithinMs });
    this.arm();
  }

  unschedule(name: string): void {
    this.plans.delete(name);
  }

  /** The next run of `name` comes at most `confirmRetryMs` from now. */
  retrySoon(name: string): void {
    const plan = this.plans.get(name);
    if (!plan) return;
    plan.dueMs = Math.min(plan.dueMs, this.o.now() + Math.min(confirmRetryMs, plan.everyMs));
    this.arm();
  }

  /** Runs `name` now (a deploy's smoke run), outside its schedule but within the concurrency cap. */
  runNow(name: string): void {
    const plan = this.plans.get(name);
    if (plan && !this.waiting.includes(plan)) this.enqueue({ ...plan, dueMs: this.o.now() });
  }

  names(): string[] {
    return [...this.plans.keys()];
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.waiting.length = 0;
  }

  private arm(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    let next = Infinity;
    for (const p of this.plans.values()) next = Math.min(next, p.dueMs);
    if (next === Infinity) return;
    this.timer = setTimeout(() => this.fire(), Math.max(0, next - this.o.now()));
    this.timer.unref();
  }

  private fire(): void {
    const now = this.o.now();
    for (const p of this.plans.values()) {
      if (p.dueMs > now) continue;
      this.enqueue({ ...p });
      // Next plan from the plan itself; after a long stall, skip missed runs instead of bursting.
      p.dueMs += p.everyMs * Math.max(1, Math.ceil((now - p.dueMs) / p.everyMs));
    }
    this.arm();
  }

  private enqueue(due: Plan): void {
    this.waiting.push(due);
    this.drain();
  }

  private drain(): void {
    for (let i = 0; !this.stopped && this.running < this.o.concurrency && i < this.waiting.length;) {
      const due = this.waiting[i]!;
      if (!this.plans.has(due.name)) {
        this.waiting.splice(i, 1);
        continue;
      }
      const heavy = this.o.heavy?.is(due.name) ?? false;
      if (heavy && this.heavyRunning >= this.o.heavy!.concurrency) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      this.running++;
      if (heavy) this.heavyRunning++;
      this.drifts.push(this.o.now() - due.dueMs);
      if (this.drifts.length > 10_000) this.drifts.splice(0, this.drifts.length - 10_000);
      void this.o
        .run(due.name)
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          if (heavy) this.heavyRunning--;
          this.drain();
        });
    }
  }
}
