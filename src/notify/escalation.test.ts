import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNotifyConfig } from './config.js';
import { EscalationTracker } from './escalation.js';
import { fixtureIncident } from './testing/fixtures.js';

const minute = 60_000;
const config = parseNotifyConfig({
  channels: ['team', 'oncall', 'manager'].map((name) => ({ name, type: 'slack', url: `https://hooks.example.com/${name}` })),
  routes: [
    { services: ['payment-*'], channels: ['team'], escalation: 'standard' },
    { services: ['*'], minSeverity: 'critical', channels: ['team'], escalation: 'standard' },
  ],
  escalation: [
    {
      name: 'standard',
      levels: [
        { afterMinutes: 5, channels: ['oncall'] },
        { afterMinutes: 15, channels: ['manager'] },
      ],
    },
  ],
});

const t0 = 1_700_000_000_000;
const opened = fixtureIncident(1, { detectedAtMs: t0 });

void test('escalates level by level when nobody acknowledges, each level once, in event time', () => {
  const tracker = new EscalationTracker(config);
  tracker.observe(opened);
  assert.equal(tracker.nextDueAtMs(), t0 + 5 * minute);
  assert.deepEqual(tracker.tick(t0 + 5 * minute - 1), []);
  const first = tracker.tick(t0 + 5 * minute);
  assert.deepEqual(
    first.map((d) => [d.level, d.channels, d.dueAtMs]),
    [[1, ['oncall'], t0 + 5 * minute]],
  );
  assert.deepEqual(tracker.tick(t0 + 6 * minute), [], 'a level fires once');
  assert.equal(tracker.nextDueAtMs(), t0 + 15 * minute);
  const second = tracker.tick(t0 + 20 * minute);
  assert.deepEqual(
    second.map((d) => [d.level, d.channels, d.afterMinutes]),
    [[2, ['manager'], 15]],
  );
  assert.equal(tracker.nextDueAtMs(), undefined);
});

void test('a late tick returns every level that fell due, in order', () => {
  const tracker = new EscalationTracker(config);
  tracker.observe(opened);
  assert.deepEqual(
    tracker.tick(t0 + 60 * minute).map((d) => d.level),
    [1, 2],
  );
});

void test('acknowledging before the deadline stops escalation', () => {
  const tracker = new EscalationTracker(config);
  tracker.observe(opened);
  tracker.observe({ ...opened, status: 'acknowledged', acknowledgedAtMs: t0 + 4 * minute }, t0 + 4 * minute);
  assert.deepEqual(tracker.tick(t0 + 60 * minute), []);
});

void test('acknowledging between levels stops the later levels only', () => {
  const tracker = new EscalationTracker(config);
  tracker.observe(opened);
  assert.equal(tracker.tick(t0 + 6 * minute).length, 1);
  tracker.observe({ ...opened, status: 'acknowledged' }, t0 + 7 * minute);
  assert.deepEqual(tracker.tick(t0 + 60 * minute), []);
});

void test('a reopened incident restarts the escalation clock; a resolved one is forgotten', () => {
  const tracker = new EscalationTracker(config);
  tracker.observe(opened);
  tracker.observe({ ...opened, status: 'mitigated' }, t0 + minute);
  tracker.observe({ ...opened, status: 'triggered' }, t0 + 30 * minute);
  assert.deepEqual(tracker.tick(t0 + 34 * minute), []);
  assert.deepEqual(
    tracker.tick(t0 + 35 * minute).map((d) => d.dueAtMs),
    [t0 + 35 * minute],
  );
  tracker.observe({ ...opened, status: 'resolved' }, t0 + 36 * minute);
  assert.deepEqual(tracker.snapshot().incidents, []);
});

void test('an incident outside every escalating route never escalates until its severity brings it under one', () => {
  const tracker = new EscalationTracker(config);
  const search = fixtureIncident(2, { services: ['search'], severity: 'high', detectedAtMs: t0 });
  tracker.observe(search);
  assert.deepEqual(tracker.tick(t0 + 60 * minute), []);
  tracker.observe({ ...search, severity: 'critical' }, t0 + 61 * minute);
  assert.deepEqual(
    tracker.tick(t0 + 65 * minute).map((d) => d.level),
    [1, 2],
    'the clock runs from the opening',
  );
});

void test('snapshot and restore carry the state across a restart', () => {
  const tracker = new EscalationTracker(config);
  tracker.observe(opened);
  tracker.tick(t0 + 5 * minute);
  const restored = EscalationTracker.restore(config, JSON.parse(JSON.stringify(tracker.snapshot())) as ReturnType<EscalationTracker['snapshot']>);
  assert.deepEqual(restored.tick(t0 + 10 * minute), []);
  assert.deepEqual(
    restored.tick(t0 + 15 * minute).map((d) => d.level),
    [2],
  );
});
