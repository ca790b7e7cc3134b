import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildIncidentMessage } from './message.js';
import { fixtureContext, fixtureIncident, fixtureRootCauses } from './testing/fixtures.js';

void test('the idempotency key is incidentId:event:seq', () => {
  const incident = fixtureIncident(3);
  const m = buildIncidentMessage({ event: 'acknowledged', seq: 4, atMs: 1, incident, actor: 'alice' });
  assert.equal(m.idempotencyKey, `${incident.id}:acknowledged:4`);
  assert.equal(m.headline, '[HIGH] payment-service errors 15% after deploy v2.4.1 — acknowledged by alice');
});

void test('root causes come ranked by score and bounded; context lists are bounded', () => {
  const many = Array.from({ length: 8 }, (_, i) => ({ ...fixtureContext().errorGroups[0]!, count: i }));
  const m = buildIncidentMessage({
    event: 'opened',
    seq: 1,
    atMs: 1,
    incident: fixtureIncident(),
    rootCauses: [...fixtureRootCauses(), ...fixtureRootCauses(), ...fixtureRootCauses()],
    context: { ...fixtureContext(), errorGroups: many },
  });
  assert.equal(m.rootCauses.length, 3);
  assert.equal(m.rootCauses[0]?.kind, 'bad-deploy', 'highest score first');
  assert.deepEqual(
    m.context.errorGroups.map((g) => g.count),
    [7, 6, 5, 4, 3],
  );
});

void test('deep links carry the incident, its services and time window, and the example traces', () => {
  const incident = fixtureIncident();
  const m = buildIncidentMessage({
    event: 'opened',
    seq: 1,
    atMs: incident.detectedAtMs,
    incident,
    context: fixtureContext(),
    baseUrl: 'https://vigil.example.com/',
  });
  assert.equal(m.links.incident, `https://vigil.example.com/incidents/${incident.id}`);
  const logs = new URL(m.links.logs ?? '');
  assert.equal(logs.searchParams.get('service'), 'payment-service,checkout,frontend');
  assert.equal(logs.searchParams.get('from'), new Date(incident.startedAtMs - 300_000).toISOString());
  assert.deepEqual(
    m.links.traces.map((t) => t.url),
    ['https://vigil.example.com/traces/4bf92f3577b34da6a3ce929d0e0e4736', 'https://vigil.example.com/traces/00f067aa0ba902b700f067aa0ba902b7'],
  );
  assert.equal(m.links.runbook, 'https://runbooks.example.com/payment-service/pool');
});

void test('without a base URL there are no UI links, but the runbook stays', () => {
  const m = buildIncidentMessage({ event: 'opened', seq: 1, atMs: 1, incident: fixtureIncident(), context: fixtureContext() });
  assert.equal(m.links.incident, undefined);
  assert.deepEqual(m.links.traces, []);
  assert.ok(m.links.runbook);
});
