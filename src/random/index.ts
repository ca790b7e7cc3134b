// The one seeded random generator (mulberry32): small, fast and the same sequence on every machine,
// so the simulator, fixtures, benchmarks and notify's retry jitter are reproducible from a seed.
// Pure and dependency-free, so the decision core may use it (no randomness without a seed).

/** Uniform 32-bit unsigned integers from `seed`. */
export function seededUint32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Uniform in [0, 1) from `seed`. */
export function seededRandom(seed: number): () => number {
  const next = seededUint32(seed);
  return () => next() / 4294967296;
}
