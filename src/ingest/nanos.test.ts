// Nanosecond → millisecond conversions keep sub-microsecond precision: checked against the
// correctly rounded decimal parse of the exact quotient, on seeded random times.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { int64PartsToValue, nanosPartsToMs, nanosStringToMs } from './nanos.js';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s;
  };
}

function exactMs(ns: bigint): number {
  return Number(`${ns / 1_000_000n}.${(ns % 1_000_000n).toString().padStart(6, '0')}`);
}

void it('converts fixed64 nanos to the correctly rounded epoch ms, within one ulp', () => {
  const next = seeded(42);
  for (let i = 0; i < 20_000; i++) {
    const ns = 1_600_000_000_000_000_000n + (((BigInt(next()) << 32n) | BigInt(next())) % 400_000_000_000_000_000n);
    const lo = Number(ns & 0xffffffffn);
    const hi = Number(ns >> 32n);
    const want = exactMs(ns);
    const ulp = 2 ** (Math.floor(Math.log2(want)) - 52);
    assert.ok(Math.abs(nanosPartsToMs(lo, hi) - want) <= ulp, `${ns}`);
    assert.ok(Math.abs(nanosStringToMs(ns.toString()) - want) <= ulp, `${ns}`);
  }
  assert.equal(nanosStringToMs('0'), 0);
  assert.equal(nanosStringToMs('1500'), 0.0015);
  assert.ok(Number.isNaN(nanosStringToMs('12x')));
});

void it('keeps int64 values beyond 2^53 as exact decimal strings', () => {
  assert.equal(int64PartsToValue(5, 0), 5);
  assert.equal(int64PartsToValue(0xffffffff, 0xffffffff), -1);
  assert.equal(int64PartsToValue(1, 0x200000), '9007199254740993');
  assert.equal(int64PartsToValue(0, 0x80000000), '-9223372036854775808');
});
