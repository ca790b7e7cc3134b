// `vigil notify test CHANNEL`: sends a test incident, then its resolution, straight through one
// channel of vigil.yaml (no outbox, no retries) and prints what the receiver answered, so an
// operator checks a webhook URL, routing key or SMTP login before the first real page.
import { hostname } from 'node:os';
import { CliError, type Command } from '../command.js';
import { defineCommand, formatGroupUsage, jsonOption, parseCommand, unknownSubcommand } from '../options.js';
import { closestName, ConfigError, resolveConfig } from '../../config/index.js';
import { buildIncidentMessage, createChannels, type DeliveryOutcome, type NotificationEvent, type NotifyConfig } from '../../notify/index.js';

export const notifyTestSpec = defineCommand({
  name: 'notify test',
  args: 'CHANNEL',
  maxPositionals: 1,
  summary: 'Sends a test incident, then its resolution, through the channel named CHANNEL in vigil.yaml.',
  options: {
    config: { type: 'string', value: 'FILE', description: 'vigil.yaml to read (default ./vigil.yaml or VIGIL_CONFIG)' },
    'open-only': { type: 'boolean', description: 'send the opening only (the resolution closes the alert in PagerDuty and Opsgenie)' },
    ...jsonOption,
  },
  notes: 'Exit status 0 when the receiver accepted every message, 1 otherwise.',
});

const usage = formatGroupUsage('notify', 'Notification tools.', [notifyTestSpec]);

export interface TestDelivery {
  event: NotificationEvent;
  outcome: DeliveryOutcome;
  ms: number;
}

/** Sends the test messages in order; stops after the first failure (a resolution of nothing helps no one). */
export async function sendTestNotifications(notify: NotifyConfig, name: string, o: { resolve: boolean; nowMs?: number }): Promise<TestDelivery[]> {
  const config = notify.channels.find((c) => c.name === name);
  if (!config) {
    const names = notify.channels.map((c) => c.name);
    const guess = closestName(name, names);
    const known = names.length ? `channels: ${names.join(', ')}` : 'no channels are configured under notify.channels';
    throw new CliError(`no channel "${name}" in the configuration${guess ? ` (did you mean "${guess}"?)` : ''}; ${known}`);
  }
  const [channel] = createChannels([config], { timeoutMs: notify.timeoutMs });
  if (!channel) throw new CliError(`channel "${name}" could not be built`);
  const nowMs = o.nowMs ?? Date.now();
  const incident = {
    id: `vigil-test-${nowMs.toString(36)}`,
    title: 'Vigil test notification',
    status: 'triggered' as const,
    severity: 'low' as const,
    severityReason: `A test from vigil notify test on ${hostname()}: channel "${name}" (${config.type}) works. Nothing is wrong.`,
    services: ['vigil-test'],
    startedAtMs: nowMs,
    detectedAtMs: nowMs,
  };
  const steps: Array<{ event: NotificationEvent; status: 'triggered' | 'resolved' }> = [{ event: 'opened', status: 'triggered' }];
  if (o.resolve) steps.push({ event: 'resolved', status: 'resolved' });
  const results: TestDelivery[] = [];
  try {
    for (const [i, step] of steps.entries()) {
      const message = buildIncidentMessage({
        event: step.event,
        seq: i + 1,
        atMs: nowMs,
        incident: { ...incident, status: step.status, ...(step.status === 'resolved' ? { resolvedAtMs: nowMs } : {}) },
        ...(step.event === 'resolved' ? { update: 'Test finished: resolved' } : {}),
      });
      const started = performance.now();
      const outcome = await channel.send(message, { attempt: 1, nowMs: Date.now() });
      results.push({ event: step.event, outcome, ms: Math.round(performance.now() - started) });
      if (!outcome.ok) break;
    }
  } finally {
    await channel.close?.();
  }
  return results;
}

/** One line per message; outcomes never carry URLs or keys (the channel port's contract). */
export function formatTestDelivery(d: TestDelivery): string {
  if (d.outcome.ok) return `${d.event}: accepted${d.outcome.status ? ` (${d.outcome.status})` : ''} in ${d.ms} ms`;
  const kind = d.outcome.retryable ? 'temporary: Vigil would retry it' : 'permanent: check the channel settings';
  return `${d.event}: FAILED ${d.outcome.error} (${kind}) after ${d.ms} ms`;
}

export const notifyCommand: Command = {
  name: 'notify',
  summary: 'notification tools: `vigil notify test CHANNEL` sends a test incident through a channel',
  usage,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub !== 'test') throw unknownSubcommand('notify', sub, ['test']);
    const { values: v, positionals } = parseCommand(notifyTestSpec, rest);
    const name = positionals[0];
    if (!name) throw new CliError('test needs the channel name (vigil notify test CHANNEL)');
    let notify: NotifyConfig;
    try {
      const configFile = v.config;
      notify = resolveConfig(configFile === undefined ? {} : { config: configFile }).notify;
    } catch (err) {
      if (err instanceof ConfigError) throw new CliError(err.message);
      throw err;
    }
    const type = notify.channels.find((c) => c.name === name)?.type;
    const results = await sendTestNotifications(notify, name, { resolve: v['open-only'] !== true });
    if (v.json) console.log(JSON.stringify({ channel: name, type, deliveries: results }, null, 2));
    else {
      console.log(`channel ${name} (${type ?? 'unknown'}):`);
      for (const r of results) console.log(`  ${formatTestDelivery(r)}`);
    }
    return results.every((r) => r.outcome.ok) ? 0 : 1;
  },
};
