// The synthetic trace mark: valid W3C ids, unique, recognised; customer spans pass untouched.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newSyntheticTraceId } from '../synthetics/index.js';
import { customerSpans, isSyntheticTrace } from './synthetic-trace.js';

test('synthetic trace ids are valid W3C trace ids, unique and recognised by their mark', () => {
  const ids = Array.from({ length: 1000 }, newSyntheticTraceId);
  for (const id of ids) {
    assert.match(id, /^[0-9a-f]{32}$/);
    assert.notEqual(id, '0'.repeat(32));
    assert.ok(isSyntheticTrace(id));
  }
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(new Set(ids.map((id) => id.slice(-14))).size, ids.length, 'the right-most 7 bytes are random (Trace Context level 2)');
  assert.equal(isSyntheticTrace('4bf92f3577b34da6a3ce929d0e0e4736'), false);
});

test('customerSpans leaves out synthetic traces and returns the same array when there are none', () => {
  const customer = [{ traceId: '4bf92f3577b34da6a3ce929d0e0e4736' }, { traceId: '0af7651916cd43dd8448eb211c80319c' }];
  assert.equal(customerSpans(customer), customer);
  const mixed = [...customer, { traceId: newSyntheticTraceId() }];
  assert.deepEqual(customerSpans(mixed), customer);
});
