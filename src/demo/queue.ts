// An in-process async message queue (checkout → email): publish returns at once, a consumer
// drains it with bounded concurrency; its depth is exported as a metric.

export class AsyncQueue<T> {
  private readonly items: T[] = [];
  private running = 0;
  private consumer?: (item: T) => Promise<void>;

  constructor(
    readonly name: string,
    private readonly concurrency = 4,
  ) {}

  get depth(): number {
    return this.items.length;
  }

  consume(handler: (item: T) => Promise<void>): void {
    this.consumer = handler;
    this.pump();
  }

  publish(item: T): void {
    this.items.push(item);
    this.pump();
  }

  private pump(): void {
    const handler = this.consumer;
    if (!handler) return;
    while (this.running < this.concurrency && this.items.length > 0) {
      const item = this.items.shift() as T;
      this.running++;
      void handler(item)
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }
}
