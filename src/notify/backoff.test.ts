import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelayMs, seededRandom } from './backoff.js';

const policy = { maxAttempts: 10, backoffBaseMs: 1_000, backoffMaxMs: 30_000 };

void test('delays double per attempt within [nominal/2, nominal] and stop at the maximum', () => {
  const random = seededRandom(7);
  for (let attempt = 1; attempt <= 12; attempt++) {
    const nominal = Math.min(30_000, 1_000 * 2 ** (attempt - 1));
    const delay = backoffDelayMs(attempt, policy, random);
    assert.ok(delay >= nominal / 2 && delay <= nominal, `attempt ${attempt}: ${delay} not in [${nominal / 2}, ${nominal}]`);
  }
  assert.equal(
    backoffDelayMs(3, policy, () => 0),
    2_000,
  );
  assert.equal(
    backoffDelayMs(3, policy, () => 1),
    4_000,
  );
});

void test('the seeded jitter is reproducible and spreads retries out', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const xs = Array.from({ length: 100 }, () => a());
  assert.deepEqual(
    xs,
    Array.from({ length: 100 }, () => b()),
  );
  assert.ok(new Set(xs).size === 100 && xs.every((x) => x >= 0 && x < 1));
});
