// The pipeline's hand-off gates escalations with the silence rule: an incident paged before a
// silence began does not escalate while the silence covers it, the timeline says so, and the
// next level goes out once the silence has expired; and an update handed over as the pipeline
// starts waits for the notifier to be ready.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { IncidentEngine, type Topology } from '../incidents/index.js';
import { signalOf } from '../incidents/testing/scenarios.js';
import { createLogger } from '../logger.js';
import { Notifier, parseNotifyConfig, type IncidentMessage, type NotificationChannel } from '../notify/index.js';
import { silencesCovering, type Silence } from '../silences/index.js';
import { silenceOf } from '../silences/testing/silences.js';
import { IncidentNotifications } from './incident-notifications.js';

const min = 60_000;
const t0 = Date.UTC(2026, 10, 2, 14, 0, 0);
const topology: Topology = { neighbours: () => [], isEntry: () => true };

void test('a silence added after the page suppresses the escalation level due under it; the next level goes out after it expires', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-escalation-silence-'));
  const sent: Array<{ channel: string; message: IncidentMessage }> = [];
  const memory = (name: string): NotificationChannel => ({
    name,
    type: 'webhook',
    send: (message) => (sent.push({ channel: name, message }), Promise.resolve({ ok: true })),
  });
  const config = parseNotifyConfig({
    channels: ['team', 'pager'].map((name) => ({ name, type: 'webhook', url: 'http://127.0.0.1:9/unused', secret: 'a-secret-of-16-chars' })),
    routes: [{ channels: ['team'], escalation: 'standard' }],
    escalation: [
      {
        name: 'standard',
        levels: [
          { afterMinutes: 5, channels: ['pager'] },
          { afterMinutes: 15, channels: ['pager'] },
        ],
      },
    ],
    coalesceMs: 0,
  });
  const notifier = new Notifier({ config, directory: join(dir, 'notify'), channels: [memory('team'), memory('pager')] });
  const silences: Silence[] = [];
  const notifications = new IncidentNotifications(notifier, createLogger('silent'), (incident, nowMs) => silencesCovering(incident, silences, nowMs));
  const timeline: string[] = [];
  notifications.onDelivered((_id, text) => timeline.push(text));
  await notifier.start();
  try {
    const engine = new IncidentEngine();
    const updates = engine.onSignals([signalOf('error-rate', { service: 'checkout', route: 'POST /pay' }, t0 - min, { detectedAtMs: t0 })], t0, topology);
    const incident = updates[0]?.incident;
    assert.ok(incident);
    const incidentOf = (id: string) => engine.get(id);
    await notifications.send(updates, t0, { contextOf: () => undefined, similarTo: () => [] });
    await notifications.clockAdvanced(t0 + 1_000, undefined, incidentOf);
    assert.deepEqual(
      sent.map((s) => [s.channel, s.message.event]),
      [['team', 'opened']],
      'paged before any silence',
    );

    silences.push(silenceOf('checkout', t0 + 2 * min, t0 + 10 * min));
    await notifications.clockAdvanced(t0 + 5 * min, undefined, incidentOf);
    await notifications.clockAdvanced(t0 + 12 * min, undefined, incidentOf);
    assert.deepEqual(
      timeline.filter((l) => l.startsWith('escalation')),
      ['escalation suppressed: silenced by sil-1'],
    );
    await notifications.clockAdvanced(t0 + 15 * min, undefined, incidentOf);
    for (let i = 0; i < 100 && sent.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(
      sent.map((s) => [s.channel, s.message.event, s.message.escalation?.level]),
      [
        ['team', 'opened', undefined],
        ['pager', 'escalated', 2],
      ],
    );
  } finally {
    await notifier.stop();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
});

void test('an update handed over right after start waits for the notifier to start instead of failing on its stopped outbox', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-notify-start-'));
  const sent: IncidentMessage[] = [];
  const team: NotificationChannel = { name: 'team', type: 'webhook', send: (message) => (sent.push(message), Promise.resolve({ ok: true })) };
  const config = parseNotifyConfig({
    channels: [{ name: 'team', type: 'webhook', url: 'http://127.0.0.1:9/unused', secret: 'a-secret-of-16-chars' }],
    routes: [{ channels: ['team'] }],
    coalesceMs: 0,
  });
  const notifications = new IncidentNotifications(new Notifier({ config, directory: join(dir, 'notify'), channels: [team] }), createLogger('silent'));
  try {
    const updates = new IncidentEngine().onSignals(
      [signalOf('error-rate', { service: 'checkout', route: 'POST /pay' }, t0 - min, { detectedAtMs: t0 })],
      t0,
      topology,
    );
    // The pipeline starts the notifier without waiting; a signal may be reported in the same tick.
    notifications.start();
    await notifications.send(updates, t0, { contextOf: () => undefined, similarTo: () => [] });
    await notifications.clockAdvanced(t0 + 1_000);
    for (let i = 0; i < 100 && sent.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(
      sent.map((m) => m.event),
      ['opened'],
    );
  } finally {
    await notifications.stop();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
});
