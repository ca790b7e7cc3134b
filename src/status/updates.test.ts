// Which incident changes stakeholders hear about: every status change and every severity change,
// nothing else; a severity change says which way the impact moved.
import assert from 'node:assert/strict';
import test from 'node:test';
import { statusConfigSchema } from './config.js';
import { composeUpdate, stakeholderEventFor } from './updates.js';

test('status changes, reopenings and severity changes call for an update; the same state does not', () => {
  assert.equal(stakeholderEventFor(undefined, { status: 'triggered', severity: 'low' }), 'opened');
  assert.equal(stakeholderEventFor(undefined, { status: 'resolved', severity: 'low' }), 'resolved');
  const open = { status: 'triggered', severity: 'medium' } as const;
  assert.equal(stakeholderEventFor(open, open), undefined, 'a signal joining or a note is not news');
  assert.equal(stakeholderEventFor(open, { status: 'triggered', severity: 'critical' }), 'severity-changed');
  assert.equal(stakeholderEventFor(open, { status: 'acknowledged', severity: 'critical' }), 'acknowledged');
  assert.equal(stakeholderEventFor({ status: 'mitigated', severity: 'high' }, { status: 'mitigated', severity: 'low' }), 'severity-changed');
  assert.equal(stakeholderEventFor({ status: 'resolved', severity: 'high' }, { status: 'triggered', severity: 'high' }), 'reopened');
  assert.equal(
    stakeholderEventFor({ status: 'resolved', severity: 'high' }, { status: 'resolved', severity: 'low' }),
    undefined,
    'a resolved incident re-rated after the fact is not news',
  );
});

test('a severity update says whether the impact grew or lessened', () => {
  const { components } = statusConfigSchema.parse({ components: [{ name: 'Payments', services: ['checkout'] }] });
  const now = Date.UTC(2026, 0, 5, 14, 30);
  const base = { components, nowMs: now, nextUpdateMinutes: 30, event: 'severity-changed' as const };
  const incident = { id: '1', status: 'triggered' as const, services: ['checkout'], startedAtMs: now - 600_000 };
  assert.match(
    composeUpdate({ ...base, previousSeverity: 'medium', incident: { ...incident, severity: 'critical' } })!,
    /^The impact has grown: Payments is unavailable or failing for many requests since 2026-01-05 14:20 UTC\./,
  );
  assert.match(
    composeUpdate({ ...base, previousSeverity: 'high', incident: { ...incident, severity: 'low' } })!,
    /^The impact has lessened: Payments is slower or failing for some requests/,
  );
});
