// Each condition that needs the operator gives its own reason; a healthy server gives none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { degradedReasons, type HealthFacts } from './health.js';

const healthy: HealthFacts = { storeAnswered: true, insertFailures: 0, queuedRows: 10, maxQueuedRows: 1000, notifications: { slack: { pending: 0, dead: 0 } } };

test('a healthy server has no reasons', () => {
  assert.deepEqual(degradedReasons(healthy), []);
});

test('the store not answering, failing inserts, a nearly full queue and failing notifications each say so', () => {
  assert.match(degradedReasons({ ...healthy, storeAnswered: false }).join(), /store is not answering/);
  assert.match(degradedReasons({ ...healthy, insertFailures: 3 }).join(), /inserts into the store are failing \(3 failed/);
  assert.deepEqual(degradedReasons({ ...healthy, queuedRows: 800 }), [], '80% is still fine');
  assert.match(degradedReasons({ ...healthy, queuedRows: 801 }).join(), /ingest queue is 80% full \(801 of 1000 rows\)/);
  assert.deepEqual(degradedReasons({ ...healthy, queuedBytes: 200 * 2 ** 20, maxQueuedBytes: 256 * 2 ** 20 }), []);
  assert.match(
    degradedReasons({ ...healthy, queuedBytes: 240 * 2 ** 20, maxQueuedBytes: 256 * 2 ** 20 }).join(),
    /holds 94% of its byte bound \(240 of 256 MiB\)/,
  );
  assert.match(
    degradedReasons({ ...healthy, notifications: { pager: { pending: 2, dead: 0, lastError: 'HTTP 503' } } }).join(),
    /notifications to pager are failing \(2 waiting; last error: HTTP 503\)/,
  );
  // A past error with nothing waiting is history, not a present problem.
  assert.deepEqual(degradedReasons({ ...healthy, notifications: { pager: { pending: 0, dead: 1, lastError: 'HTTP 503' } } }), []);
  assert.equal(
    degradedReasons({
      storeAnswered: false,
      insertFailures: 1,
      queuedRows: 999,
      maxQueuedRows: 1000,
      notifications: { a: { pending: 1, dead: 0, lastError: 'x' } },
    }).length,
    4,
  );
});
