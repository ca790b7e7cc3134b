// Behaviour of the shape memory: a shape it has learned is not news, one it never saw is, the
// memory never grows past its capacity, and a JSON round trip continues identically.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeMemory, windowShape } from './shapeMemory.js';
import type { ShapeMemoryState } from './shapeMemory.js';

/** A small deterministic wobble so that distances are not all zero. */
const wobble = (i: number, k: number): number => 0.05 * Math.sin(i * 1.7 + k * 2.3);

const quiet = (i: number): number[] => Array.from({ length: 8 }, (_, k) => wobble(i, k));

void test('a shape seen many times is not novel, a shape never seen is', () => {
  const memory = ShapeMemory.empty(16);
  let usual = 0;
  for (let i = 0; i < 500; i++) usual = Math.max(usual, i > 100 ? memory.observe(quiet(i), 3) : 0);
  const burst = quiet(500).map((v, k) => (k >= 5 ? v + 2 : v));
  const novelty = memory.observe(burst, 3);
  assert.ok(usual < 3, `learned shapes reached novelty ${usual}`);
  assert.ok(novelty > 10, `a new shape scored only ${novelty}`);
  assert.ok(
    memory.observe(
      burst.map((v) => v + 0.01),
      3,
    ) < 3,
    'once remembered, the same burst is no longer new',
  );
});

void test('the memory keeps at most its capacity of shapes', () => {
  const memory = ShapeMemory.empty(4);
  for (let i = 0; i < 50; i++)
    memory.observe(
      Array.from({ length: 8 }, () => i * 10),
      0.5,
    );
  assert.equal(memory.snapshot().prototypes.length, 4);
});

void test('a JSON snapshot restores a memory that continues identically', () => {
  const a = ShapeMemory.empty(8);
  for (let i = 0; i < 200; i++)
    a.observe(
      quiet(i).map((v) => v + (i % 37 === 0 ? 1 : 0)),
      3,
    );
  const b = ShapeMemory.restore(JSON.parse(JSON.stringify(a.snapshot())) as ShapeMemoryState);
  for (let i = 200; i < 300; i++) {
    const shape = quiet(i).map((v) => v + (i % 41 === 0 ? 1.5 : 0));
    assert.equal(b.observe(shape, 3), a.observe(shape, 3));
  }
});

void test('a window shape does not depend on where in the window a burst falls', () => {
  const early = [30, 30, 10, 10, 10, 10, 10, 10];
  const late = [10, 10, 10, 10, 10, 10, 30, 30];
  assert.deepEqual(windowShape(early, 4, 10, 2), windowShape(late, 4, 10, 2));
  assert.deepEqual(windowShape([5, 5, 5, 5], 2, 5, 0), [0, 0], 'a flat window at the centre is all zeros');
});
