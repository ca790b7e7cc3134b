// Exception fingerprints stay equal across occurrences of one bug and differ between bugs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exceptionFingerprint, exceptionGroupKey } from './exceptionFingerprint.js';
import { parseStackFrames } from './stackFrames.js';

/** One bug as it appears in two deploys: other ids, other line numbers, another release path. */
function nodeOccurrence(orderId: number, line: number, release: string) {
  return {
    type: 'TypeError',
    message: `Cannot read properties of undefined (reading 'total') for order ${orderId}`,
    stacktrace: [
      `TypeError: Cannot read properties of undefined (reading 'total') for order ${orderId}`,
      `    at OrderService.place (/srv/app/releases/${release}/src/orders/service.js:${line}:17)`,
      `    at async Router.handle (/srv/app/releases/${release}/node_modules/express/lib/router/index.js:${line + 200}:7)`,
      `    at processTicksAndRejections (node:internal/process/task_queues:95:5)`,
      `    at new Promise (<anonymous>)`,
      `    at /srv/app/releases/${release}/src/server.js:${line - 30}:3`,
    ].join('\n'),
  };
}

void test('gives the same fingerprint to one bug with different ids, line numbers and paths', () => {
  const a = exceptionFingerprint(nodeOccurrence(1234, 42, '20250101'));
  const b = exceptionFingerprint(nodeOccurrence(98765, 57, '20250214'));
  assert.equal(a, b);
  assert.match(a, /^X[0-9a-f]{16}$/);
});

void test('separates different exception types and different throw sites', () => {
  const base = nodeOccurrence(1, 42, 'r1');
  assert.notEqual(exceptionFingerprint(base), exceptionFingerprint({ ...base, type: 'RangeError' }));
  const otherSite = { ...base, stacktrace: base.stacktrace.replace('OrderService.place', 'CartService.total').replace('orders/service', 'cart/service') };
  assert.notEqual(exceptionFingerprint(base), exceptionFingerprint(otherSite));
  assert.notEqual(exceptionFingerprint(base), exceptionFingerprint({ ...base, message: 'connection reset by peer' }));
});

void test('ignores library frames when the application has frames of its own', () => {
  const base = nodeOccurrence(1, 42, 'r1');
  const otherFramework = { ...base, stacktrace: base.stacktrace.replace('Router.handle', 'Layer.handle_request') };
  assert.equal(exceptionFingerprint(base), exceptionFingerprint(otherFramework));
  assert.deepEqual(exceptionGroupKey(base).frames, ['OrderService.place@orders/service', '@src/server']);
});

void test('groups Java exceptions across line numbers and generated lambda names', () => {
  const java = (line: number, lambda: string) => ({
    type: 'java.lang.IllegalStateException',
    message: 'pool exhausted after 30000 ms',
    stacktrace: [
      'java.lang.IllegalStateException: pool exhausted after 30000 ms',
      `\tat com.shop.db.Pool.acquire(Pool.java:${line})`,
      `\tat java.base/java.util.concurrent.FutureTask.run(FutureTask.java:264)`,
      `\tat com.shop.Main$$Lambda$${lambda}.run(Unknown Source)`,
    ].join('\n'),
  });
  assert.equal(exceptionFingerprint(java(88, '14/0x0000000800c03000')), exceptionFingerprint(java(91, '15/0x0000000800c04400')));
});

void test('parses Python, Go and .NET frames innermost first and marks library frames', () => {
  const py = parseStackFrames(
    'Traceback (most recent call last):\n  File "/app/shop/views.py", line 12, in checkout\n    x()\n' +
      '  File "/usr/lib/python3.11/site-packages/django/db.py", line 9, in save\n    y()\n  File "/app/shop/orders.py", line 55, in place\n',
  );
  assert.deepEqual(
    py.map((f) => [f.fn, f.file, f.inApp]),
    [
      ['place', 'shop/orders', true],
      ['save', 'django/db', false],
      ['checkout', 'shop/views', true],
    ],
  );
  const go = parseStackFrames(
    'goroutine 1 [running]:\nmain.(*Server).handle(0xc000010000, 0x1)\n\t/home/u/shop/server.go:42 +0x1d\nruntime.main()\n\t/usr/local/go/src/runtime/proc.go:250 +0x1c0',
  );
  assert.deepEqual(
    go.map((f) => [f.fn, f.inApp]),
    [
      ['main.(*Server).handle', true],
      ['runtime.main', false],
    ],
  );
  const dotnet = parseStackFrames('   at Shop.Orders.Place(Int32 id) in C:\\src\\Shop\\Orders.cs:line 42\n   at System.Threading.Tasks.Task.Run()');
  assert.deepEqual(
    dotnet.map((f) => [f.fn, f.file, f.inApp]),
    [
      ['Shop.Orders.Place', 'Shop/Orders', true],
      ['System.Threading.Tasks.Task.Run', '', false],
    ],
  );
});

void test('without a stack trace, groups by type and masked message', () => {
  const a = exceptionFingerprint({ type: 'TimeoutError', message: 'query took 5012 ms on shard 7', stacktrace: '' });
  const b = exceptionFingerprint({ type: 'TimeoutError', message: 'query took 30001 ms on shard 2', stacktrace: '' });
  assert.equal(a, b);
  assert.equal(exceptionGroupKey({ type: 'E', message: "user 'bob' not found", stacktrace: '' }).message, 'user <*> not found');
});
