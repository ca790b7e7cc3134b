// Runbook lookup: the most specific configured rule for any of the incident's signals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runbookFor } from './runbook.js';
import { signalOf } from './testing/scenarios.js';

const rules = [
  { url: 'https://wiki/oncall' },
  { signalKind: 'saturation' as const, url: 'https://wiki/saturation' },
  { service: 'payment-service', url: 'https://wiki/payments' },
  { service: 'payment-service', signalKind: 'saturation' as const, url: 'https://wiki/payments-pool' },
];

void test('prefers service and kind, then service, then kind, then the catch-all', () => {
  const pool = signalOf('saturation', { service: 'payment-service', peer: 'payment-db' }, 0);
  const errors = signalOf('error-rate', { service: 'payment-service' }, 0);
  const other = signalOf('saturation', { service: 'inventory' }, 0);
  const frontend = signalOf('latency', { service: 'frontend' }, 0);
  assert.equal(runbookFor(rules, [errors, pool]), 'https://wiki/payments-pool');
  assert.equal(runbookFor(rules, [errors]), 'https://wiki/payments');
  assert.equal(runbookFor(rules, [other]), 'https://wiki/saturation');
  assert.equal(runbookFor(rules, [frontend]), 'https://wiki/oncall');
  assert.equal(runbookFor(rules.slice(1), [frontend]), undefined);
});
