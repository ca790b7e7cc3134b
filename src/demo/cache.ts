// The demo's stand-in for redis: an in-memory map with sub-millisecond latency that can be made
// unreachable (calls then hang for the connect timeout and fail, as ioredis does).

export class FakeCache {
  private readonly entries = new Map<string, string>();
  private static readonly MAX_ENTRIES = 5000;

  async get(key: string): Promise<string | undefined> {
    await new Promise((r) => setImmediate(r));
    return this.entries.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    await new Promise((r) => setImmediate(r));
    if (this.entries.size >= FakeCache.MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, value);
  }
}
