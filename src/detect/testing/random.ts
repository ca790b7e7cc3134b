// Seeded randomness for generated fixtures and benchmarks (mulberry32): the same seed gives the
// same traffic on every machine, so tests and soak figures are reproducible. The generator is
// src/random's; this adds the distributions fixtures draw from.
import { seededRandom as uniform } from '../../random/index.js';

export interface Random {
  next(): number;
  normal(): number;
  poisson(lambda: number): number;
  logNormal(median: number, sigma: number): number;
  pick<T>(items: readonly T[]): T;
}

export function seededRandom(seed: number): Random {
  const next = uniform(seed);
  const normal = (): number => {
    const u = Math.max(next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return {
    next,
    normal,
    poisson(lambda) {
      if (lambda <= 0) return 0;
      if (lambda > 40) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal()));
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = next();
      while (p > limit) {
        k++;
        p *= next();
      }
      return k;
    },
    logNormal: (median, sigma) => median * Math.exp(sigma * normal()),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
  };
}
