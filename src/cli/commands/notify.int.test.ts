// `vigil notify test CHANNEL` against local receivers: the test incident and its resolution reach
// the channel, the printout says what the receiver answered without a URL or key in it, and a
// misspelt channel name gets a "did you mean".
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, mock, test } from 'node:test';
import { HttpReceiver } from '../../notify/testing/http-receiver.js';
import { PagerDutyReceiver } from '../../notify/testing/paging-receivers.js';
import { CliError } from '../command.js';
import { notifyCommand } from './notify.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-notify-cli-'));
after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));
const routingKey = 'CLIk3y0123456789abcdefABCDEF0123';
const hookToken = 'HOOK-TOKEN-31337';

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const log = mock.method(console, 'log', () => undefined);
  try {
    const code = await notifyCommand.run(args);
    return { code, out: log.mock.calls.map((c) => c.arguments.join(' ')).join('\n') };
  } finally {
    log.mock.restore();
  }
}

function configFile(pagerUrl: string, slackUrl: string): string {
  const file = join(dir, `vigil-${Date.now()}.yaml`);
  writeFileSync(
    file,
    [
      'notify:',
      '  channels:',
      `    - { name: pager, type: pagerduty, routingKey: ${routingKey}, url: "${pagerUrl}" }`,
      `    - { name: team-slack, type: slack, url: "${slackUrl}" }`,
      '',
    ].join('\n'),
  );
  return file;
}

void test('sends a test incident and its resolution; PagerDuty opens and closes the test alert', async () => {
  const pager = await PagerDutyReceiver.start();
  const slack = await HttpReceiver.start();
  try {
    const { code, out } = await run(['test', 'pager', '--config', configFile(pager.url(), slack.url(`/services/${hookToken}`))]);
    assert.equal(code, 0, out);
    assert.match(out, /opened: accepted \(202\)/);
    assert.match(out, /resolved: accepted \(202\)/);
    assert.deepEqual(
      pager.events().map((e) => e.event_action),
      ['trigger', 'resolve'],
    );
    assert.deepEqual(
      [...pager.alerts.values()].map((a) => [a.status, a.severity]),
      [['resolved', 'info']],
    );
    assert.ok(!out.includes(routingKey) && !out.includes(pager.url()), out);
  } finally {
    await pager.close();
    await slack.close();
  }
});

void test('a refusing receiver: exit 1, the status and the reason printed, no token, no resolution sent', async () => {
  const pager = await PagerDutyReceiver.start();
  const slack = await HttpReceiver.start();
  slack.script.push(404);
  try {
    const { code, out } = await run(['test', 'team-slack', '--config', configFile(pager.url(), slack.url(`/services/${hookToken}`))]);
    assert.equal(code, 1);
    assert.match(out, /opened: FAILED HTTP 404.*permanent/);
    assert.ok(!out.includes(hookToken), out);
    assert.equal(slack.requests.length, 1);
  } finally {
    await pager.close();
    await slack.close();
  }
});

void test('--open-only sends the opening alone; an unknown channel name gets a suggestion', async () => {
  const pager = await PagerDutyReceiver.start();
  try {
    const file = configFile(pager.url(), 'https://hooks.example.com/x');
    assert.equal((await run(['test', 'pager', '--config', file, '--open-only'])).code, 0);
    assert.deepEqual(
      pager.events().map((e) => e.event_action),
      ['trigger'],
    );
    await assert.rejects(
      run(['test', 'pagr', '--config', file]),
      (err: unknown) => err instanceof CliError && /did you mean "pager"\?.*channels: pager, team-slack/.test(err.message),
    );
    await assert.rejects(run(['test']), CliError);
  } finally {
    await pager.close();
  }
});
