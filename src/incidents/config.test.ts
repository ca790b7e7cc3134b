// The `incidents:` section: defaults, shorthand forms, and problems reported with their place.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultIncidentConfig, incidentConfigSchema, resolveIncidentConfig } from './config.js';
import { IncidentEngine } from './engine.js';

void test('an empty section gives the defaults', () => {
  assert.deepEqual(resolveIncidentConfig(incidentConfigSchema.parse({})), defaultIncidentConfig);
});

void test('journeys may be plain names; severity levels may be partly overridden', () => {
  const parsed = incidentConfigSchema.parse({ criticalJourneys: ['checkout', { name: 'login', service: 'auth' }], severity: { high: { failedRatio: 0.05 } } });
  const config = resolveIncidentConfig(parsed);
  assert.deepEqual(config.criticalJourneys, [{ name: 'checkout' }, { name: 'login', service: 'auth' }]);
  assert.equal(config.severity.high.failedRatio, 0.05);
  assert.equal(config.severity.high.users, defaultIncidentConfig.severity.high.users);
});

void test('invalid values are reported with their keys', () => {
  const r = incidentConfigSchema.safeParse({ coolDownMs: -1, runbooks: [{ service: 'x' }], nope: 1 });
  assert.equal(r.success, false);
  const keys = r.error.issues.map((i) => i.path.join('.')).sort();
  assert.deepEqual(keys, ['', 'coolDownMs', 'runbooks.0.url']);
});

void test('the engine accepts the section as written in vigil.yaml', () => {
  const engine = new IncidentEngine({ criticalJourneys: ['checkout'], runbooks: [{ service: 'payment-service', url: 'https://wiki/pay' }] });
  assert.deepEqual(engine.config.criticalJourneys, [{ name: 'checkout' }]);
});
