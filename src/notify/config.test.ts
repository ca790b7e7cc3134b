import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNotifyConfig } from './config.js';

/** The problems parseNotifyConfig names, one `path message` each. */
function problemsOf(raw: unknown): string[] {
  try {
    parseNotifyConfig(raw);
  } catch (err) {
    assert.equal((err as { code?: string }).code, 'VIGIL_NOTIFY_CONFIG_INVALID');
    return (err as Error).message.replace(/^VIGIL_NOTIFY_CONFIG_INVALID: /, '').split('; ');
  }
  return assert.fail('the config was accepted');
}

const valid = {
  channels: [
    { name: 'ops', type: 'slack', url: 'https://hooks.slack.com/services/T/B/X' },
    { name: 'mm', type: 'mattermost', url: 'https://mm.example.com/hooks/abc' },
    { name: 'teams', type: 'teams', url: 'https://example.webhook.office.com/x' },
    { name: 'bridge', type: 'webhook', url: 'https://bridge.example.com/in', secret: 'a-secret-of-16-chars' },
    { name: 'oncall', type: 'email', smtp: { host: 'smtp.example.com', port: 587, secure: false, from: 'vigil@example.com' }, to: ['oncall@example.com'] },
  ],
  routes: [{ services: ['payment-*'], minSeverity: 'high', channels: ['ops'], escalation: 'pager' }],
  escalation: [
    {
      name: 'pager',
      levels: [
        { afterMinutes: 5, channels: ['oncall'] },
        { afterMinutes: 15, channels: ['bridge'] },
      ],
    },
  ],
};

void test('accepts every channel type and fills defaults', () => {
  const cfg = parseNotifyConfig(valid);
  assert.deepEqual(
    cfg.channels.map((c) => c.type),
    ['slack', 'mattermost', 'teams', 'webhook', 'email'],
  );
  assert.equal(cfg.retry.maxAttempts, 10);
  assert.equal(cfg.concurrency, 1);
  assert.equal(cfg.routes[0]?.continue, true);
  assert.ok(Object.isFrozen(cfg) && Object.isFrozen(cfg.routes[0]), 'config is frozen');
});

void test('an empty or missing section is a valid config with no channels', () => {
  assert.deepEqual(parseNotifyConfig(undefined).channels, []);
});

void test('collects every problem with its place instead of stopping at the first', () => {
  const problems = problemsOf({
    channels: [
      { name: 'ops', type: 'slack', url: 'not a url' },
      { name: 'ops', type: 'webhook', url: 'https://x.example.com', secret: 'short' },
      { name: 'pager', type: 'carrier-pigeon' },
    ],
    routes: [{ channels: ['nowhere'], escalation: 'missing' }],
    escalation: [
      {
        name: 'p',
        levels: [
          { afterMinutes: 10, channels: ['ops'] },
          { afterMinutes: 5, channels: ['ops'] },
        ],
      },
    ],
    retry: { backoffBaseMs: 1000, backoffMaxMs: 10 },
  });
  const paths = problems.map((p) => p.split(' ')[0]);
  assert.ok(paths.includes('notify.channels[0].url'), paths.join());
  assert.ok(paths.includes('notify.channels[1].secret'), paths.join());
  assert.ok(paths.includes('notify.channels[2].type'), paths.join());
  assert.ok(paths.includes('notify.escalation[0].levels'), paths.join());
  assert.ok(paths.includes('notify.retry'), paths.join());
});

void test('cross-references are checked: unknown channels and policies, duplicate names', () => {
  const problems = problemsOf({
    channels: [
      { name: 'ops', type: 'slack', url: 'https://hooks.slack.com/a' },
      { name: 'ops', type: 'teams', url: 'https://teams.example.com/a' },
    ],
    routes: [{ channels: ['ops', 'nowhere'], escalation: 'missing' }],
    escalation: [{ name: 'p', levels: [{ afterMinutes: 5, channels: ['ghost'] }] }],
  });
  assert.deepEqual(problems, [
    'notify.channels[1].name duplicate channel name "ops"',
    'notify.routes[0].channels[1] unknown channel "nowhere"',
    'notify.routes[0].escalation unknown escalation policy "missing"',
    'notify.escalation[0].levels[0].channels[0] unknown channel "ghost"',
  ]);
});

void test('parseNotifyConfig throws one error naming every problem with a stable code', () => {
  assert.throws(
    () => parseNotifyConfig({ channels: [{ name: 'e', type: 'email', smtp: { host: 'h', port: 0, secure: false, from: 'a@b.c' }, to: ['x'] }] }),
    (err: Error & { code?: string }) =>
      err.code === 'VIGIL_NOTIFY_CONFIG_INVALID' && err.message.includes('notify.channels[0].smtp.port') && err.message.includes('notify.channels[0].to[0]'),
  );
});
