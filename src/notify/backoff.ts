// Retry timing: exponential backoff with "equal jitter" (half fixed, half random) so retries of
// many messages spread out but never come sooner than half the nominal delay. The random source
// is injected (seeded by default) so schedules are reproducible in tests.
import type { RetryPolicy } from './config.js';

/** Delay before attempt `attempt + 1`, after `attempt` (1-based) failed. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const nominal = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(nominal / 2 + random() * (nominal / 2));
}

/** mulberry32: a small, fast, seeded PRNG in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
