// PagerDuty and Opsgenie payloads: severity and state mappings, and the services' field limits
// (a 1024-character summary, a 130-character message, 20 tags) held for oversized incidents.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IncidentStatus, Severity } from '../../model/index.js';
import { buildIncidentMessage } from '../message.js';
import { validateOpsgenieAlert, validatePagerDutyEvent } from '../testing/paging-receivers.js';
import { fixtureIncident, fixtureMessage } from '../testing/fixtures.js';
import { opsgenieRequest } from './opsgenie.js';
import { pagerDutyEvent } from './pagerduty.js';

const key = 'abcdefABCDEF0123456789abcdefABCD';
const withState = (status: IncidentStatus, severity: Severity = 'high') => {
  const m = fixtureMessage('opened', 1);
  return { ...m, incident: { ...m.incident, status, severity } };
};

void test('pagerduty: severities and states map as documented', () => {
  const sev = (s: Severity) => (pagerDutyEvent(withState('triggered', s), key).payload as { severity: string }).severity;
  assert.deepEqual((['critical', 'high', 'medium', 'low'] as const).map(sev), ['critical', 'error', 'warning', 'info']);
  const action = (s: IncidentStatus) => pagerDutyEvent(withState(s), key).event_action;
  assert.deepEqual((['triggered', 'acknowledged', 'mitigated', 'resolved'] as const).map(action), ['trigger', 'acknowledge', 'acknowledge', 'resolve']);
});

void test('opsgenie: priorities and states map as documented', () => {
  const priority = (s: Severity) => opsgenieRequest(withState('triggered', s)).body.priority;
  assert.deepEqual((['critical', 'high', 'medium', 'low'] as const).map(priority), ['P1', 'P2', 'P3', 'P4']);
  const path = (s: IncidentStatus) => opsgenieRequest(withState(s)).path.replace(/vigil-[^/]+/, 'A');
  assert.deepEqual((['triggered', 'acknowledged', 'mitigated', 'resolved'] as const).map(path), [
    '/v2/alerts',
    '/v2/alerts/A/acknowledge?identifierType=alias',
    '/v2/alerts/A/acknowledge?identifierType=alias',
    '/v2/alerts/A/close?identifierType=alias',
  ]);
});

void test("an oversized incident stays within both services' limits", () => {
  const services = Array.from({ length: 40 }, (_, i) => `service-with-a-rather-long-name-number-${i}-of-the-shop`);
  const huge = buildIncidentMessage({
    event: 'opened',
    seq: 1,
    atMs: 0,
    incident: fixtureIncident(3, { title: 'x'.repeat(5000), severityReason: 'y'.repeat(20_000), services }),
    update: 'z'.repeat(30_000),
  });
  const hugeHeadline = { ...huge, headline: 'h'.repeat(3000) };
  assert.deepEqual(validatePagerDutyEvent(pagerDutyEvent(hugeHeadline, key)), []);
  assert.equal((pagerDutyEvent(hugeHeadline, key).payload as { summary: string }).summary.length, 1024);
  const alert = opsgenieRequest(hugeHeadline, { tags: ['team-payments'] }).body;
  assert.deepEqual(validateOpsgenieAlert(alert), {});
  assert.equal((alert.tags as string[]).length, 20);
  assert.equal((alert.message as string).length, 130);
});
