// A small seeded random source for the simulator: the same seed gives the same shop, byte for
// byte, so tests, backtests and drills are reproducible. The generator is src/random's (mulberry32);
// this adds the distributions the shop draws from.
import { seededUint32 } from '../random/index.js';

export class SeededRandom {
  private readonly nextUint32: () => number;

  constructor(seed: number) {
    this.nextUint32 = seededUint32((seed ^ 0x9e3779b9) >>> 0);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  uint32(): number {
    return this.nextUint32();
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  int(minInclusive: number, maxInclusive: number): number {
    return minInclusive + Math.floor(this.next() * (maxInclusive - minInclusive + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median; sigma is the spread of the underlying normal. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Poisson count; a normal approximation above 50 keeps big steps cheap. */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Lowercase hex of `bytes` random bytes (trace ids: 16, span ids: 8). */
  hex(bytes: number): string {
    let out = '';
    for (let i = 0; i < bytes; i += 4) out += this.uint32().toString(16).padStart(8, '0');
    return out.slice(0, bytes * 2);
  }
}
