// The trace page's critical path (ui/src/pages/critical-path.ts, pure): the chain of spans that set
// the trace's duration — sequential calls all count, a call hidden behind a longer parallel one
// does not, the walk descends into children, and a trace missing its root still gets a path.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { criticalPath, type PathSpan } from '../../ui/src/pages/critical-path.js';

const span = (spanId: string, parentSpanId: string | null, startMs: number, endMs: number): PathSpan => ({ spanId, parentSpanId, startMs, endMs });
const path = (spans: PathSpan[]): string[] => [...criticalPath(spans)].sort();

void it('takes every call of a sequence, each in turn setting when the parent can go on', () => {
  assert.deepEqual(path([span('root', null, 0, 100), span('cart', 'root', 2, 10), span('ship', 'root', 10, 20), span('pay', 'root', 20, 98)]), [
    'cart',
    'pay',
    'root',
    'ship',
  ]);
});

void it('leaves out a call that ran in parallel with a longer one, and descends into the one that mattered', () => {
  assert.deepEqual(
    path([
      span('root', null, 0, 100),
      span('slow', 'root', 5, 95),
      span('fast', 'root', 5, 40),
      span('slow-db', 'slow', 10, 90),
      span('slow-cache', 'slow', 6, 9),
      span('fast-db', 'fast', 6, 39),
    ]),
    ['root', 'slow', 'slow-cache', 'slow-db'],
  );
});

void it('leaves out a call that started after its parent had finished; one overlapping the end counts for its part inside (as Jaeger does)', () => {
  assert.deepEqual(path([span('root', null, 0, 100), span('work', 'root', 0, 80), span('late', 'root', 120, 300)]), ['root', 'work']);
  assert.deepEqual(path([span('root', null, 0, 100), span('work', 'root', 0, 80), span('tail', 'root', 90, 300)]), ['root', 'tail', 'work']);
});

void it('starts from the longest span without a known parent when the root never arrived', () => {
  assert.deepEqual(path([span('a', 'missing', 0, 50), span('b', 'missing', 0, 200), span('b1', 'b', 10, 190)]), ['b', 'b1']);
  assert.deepEqual(path([]), []);
});
