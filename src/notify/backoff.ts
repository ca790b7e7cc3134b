// Retry timing: exponential backoff with "equal jitter" (half fixed, half random) so retries of
// many messages spread out but never come sooner than half the nominal delay. The random source
// is injected (seeded by default) so schedules are reproducible in tests.
import type { RetryPolicy } from './config.js';

/** Delay before attempt `attempt + 1`, after `attempt` (1-based) failed. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const nominal = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(nominal / 2 + random() * (nominal / 2));
}

/** The one seeded generator (src/random), re-exported for this module's callers. */
export { seededRandom } from '../random/index.js';
