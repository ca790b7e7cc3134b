import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNotifyConfig } from './config.js';
import { escalationPolicyFor, globMatch, routeMessage } from './routing.js';
import { fixtureIncident, fixtureMessage } from './testing/fixtures.js';
import { buildIncidentMessage } from './message.js';

const hook = (name: string) => ({ name, type: 'slack', url: `https://hooks.example.com/${name}` });
const config = parseNotifyConfig({
  channels: ['all', 'payments', 'critical', 'email', 'pager', 'stop', 'after-stop'].map(hook),
  routes: [
    { services: ['*'], channels: ['all'], events: ['opened', 'resolved'] },
    { services: ['payment-*'], channels: ['payments'], escalation: 'pay' },
    { services: ['*'], minSeverity: 'critical', channels: ['critical'] },
    { services: ['inventory'], channels: ['stop'], continue: false },
    { services: ['*'], channels: ['after-stop'] },
  ],
  escalation: [{ name: 'pay', levels: [{ afterMinutes: 5, channels: ['pager'] }] }],
});

void test('globs match whole service names with * and ?', () => {
  assert.ok(globMatch('payment-*', 'payment-service'));
  assert.ok(!globMatch('payment-*', 'my-payment-service'));
  assert.ok(globMatch('svc-?', 'svc-a'));
  assert.ok(globMatch('a.b', 'a.b') && !globMatch('a.b', 'axb'), 'dots are literal');
});

void test('routes by service glob and minimum severity, in config order', () => {
  assert.deepEqual(routeMessage(fixtureMessage('opened'), config), ['all', 'payments', 'after-stop']);
  const critical = buildIncidentMessage({ event: 'opened', seq: 1, atMs: 0, incident: fixtureIncident(1, { severity: 'critical' }) });
  assert.deepEqual(routeMessage(critical, config), ['all', 'payments', 'critical', 'after-stop']);
});

void test('a route with continue: false stops the evaluation', () => {
  const msg = buildIncidentMessage({ event: 'opened', seq: 1, atMs: 0, incident: fixtureIncident(1, { services: ['inventory'] }) });
  assert.deepEqual(routeMessage(msg, config), ['all', 'stop']);
});

void test('event filters apply, and channels told earlier keep getting updates', () => {
  assert.deepEqual(routeMessage(fixtureMessage('acknowledged', 2), config), ['payments', 'after-stop']);
  assert.deepEqual(routeMessage(fixtureMessage('acknowledged', 2), config, ['critical', 'payments']), ['payments', 'after-stop', 'critical']);
});

void test('escalations go only to their level channels', () => {
  const msg = buildIncidentMessage({
    event: 'escalated',
    seq: 3,
    atMs: 0,
    incident: fixtureIncident(),
    escalation: { level: 1, afterMinutes: 5, channels: ['pager'], policy: 'pay' },
  });
  assert.deepEqual(routeMessage(msg, config), ['pager']);
});

void test('the escalation policy comes from the first matching route naming one', () => {
  assert.equal(escalationPolicyFor(fixtureIncident(), config)?.name, 'pay');
  assert.equal(escalationPolicyFor(fixtureIncident(1, { services: ['search'] }), config), undefined);
});
