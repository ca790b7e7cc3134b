// `vigil deploy`: records a deployment from CI or a terminal, so detection and root cause know
// which version went out when; `vigil deploy watch` follows its release verdict as a CI gate
// (exit 0 pass, 1 fail, 2 inconclusive, timed out or unreachable; a blip mid-watch is waited out).
import { exitCodeOf } from '../../release/index.js';
import { ApiClient, TransientApiError } from '../api-client.js';
import { CliError, type Command } from '../command.js';
import { apiOptions, defineCommand, formatUsage, jsonOption, parseCommand, required } from '../options.js';

/** What both subcommands name (the deployment: service and version), with the options of their own between it and the connection. */
function deploymentOptions<O extends object>(versionMeans: string, own: O) {
  return {
    service: { type: 'string', value: 'NAME', description: 'the service deployed (required)' },
    version: { type: 'string', value: 'V', description: versionMeans },
    ...own,
    ...apiOptions,
    ...jsonOption,
  } as const;
}

export const deployRecordSpec = defineCommand({
  name: 'deploy',
  summary: 'Records a deployment (service, version, commit) with a running Vigil.',
  options: deploymentOptions('the version that went out (required)', {
    environment: { type: 'string', value: 'ENV', description: 'production, staging …' },
    commit: { type: 'string', value: 'SHA', description: 'the commit deployed' },
    description: { type: 'string', value: 'TEXT', description: 'what changed, in a line' },
    time: { type: 'string', value: 'ISO', description: 'when it went out (default now)' },
  } as const),
});

async function recordDeploy(args: string[]): Promise<number> {
  const { values: v } = parseCommand(deployRecordSpec, args);
  const body = {
    service: required(v.service, 'service'),
    version: required(v.version, 'version'),
    environment: v.environment,
    commit: v.commit,
    description: v.description,
    time: v.time,
  };
  const change = await ApiClient.fromOptions(v).recordDeployment(body);
  if (v.json) console.log(JSON.stringify(change, null, 2));
  else console.log(`recorded deployment ${change.id}: ${body.service} ${body.version} at ${change.time}`);
  return 0;
}

export const deployWatchSpec = defineCommand({
  name: 'deploy watch',
  summary: "Prints a deployment's release verdict as it evolves and exits with it: 0 pass, 1 fail, 2 inconclusive or timed out.",
  options: deploymentOptions('the version to watch (default: the newest deployment of the service)', {
    timeout: { type: 'string', value: 'DURATION', description: 'give up after this long, exit 2 (default 30m; 90s, 1h …)' },
    interval: { type: 'string', value: 'DURATION', description: 'how often to ask (default 5s)' },
  } as const),
});

/** How often a still-watching verdict's progress is printed. */
const progressEveryMs = 60_000;

function durationMs(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  const ms = m ? Number(m[1]) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'] : NaN;
  if (!(ms > 0)) throw new CliError(`--${flag} must be a duration such as 90s, 30m or 1h (got "${text}")`);
  return ms;
}

async function watchDeploy(args: string[]): Promise<number> {
  const { values: v } = parseCommand(deployWatchSpec, args);
  const service = required(v.service, 'service');
  const deadline = Date.now() + durationMs(v.timeout, 'timeout', 30 * 60_000);
  const intervalMs = durationMs(v.interval, 'interval', 5_000);
  const client = ApiClient.fromOptions(v);
  let [last, lastStatus, printedAtMs] = ['', '-', 0];
  let answered = false;
  let lastError = '';
  for (;;) {
    let deployments: Awaited<ReturnType<ApiClient['listDeployments']>>['deployments'];
    try {
      ({ deployments } = await client.listDeployments({ service, limit: 50 }));
      [answered, lastError] = [true, ''];
    } catch (err) {
      // Once Vigil has answered, a restart or a blip mid-watch is waited out until the timeout; a
      // first failure is a misconfiguration (wrong URL, key) and ends the gate at once, exit 2.
      if (!answered || !(err instanceof TransientApiError) || Date.now() + intervalMs > deadline) throw err;
      if (!v.json && (err as Error).message !== lastError) console.log(`${new Date().toISOString()} ${(err as Error).message}; asking again`);
      lastError = (err as Error).message;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
      continue;
    }
    const d = v.version ? deployments.find((x) => x.version === v.version) : deployments[0];
    const line = d ? `${d.verdict.status}: ${d.verdict.summary}` : `waiting for a deployment of ${service}${v.version ? ` ${v.version}` : ''}`;
    // A watching verdict's counts change every bucket: a new status prints at once, progress once a minute.
    const status = d ? `${d.id} ${d.verdict.status}` : '';
    if (line !== last && (status !== lastStatus || Date.now() - printedAtMs >= progressEveryMs) && !v.json) {
      console.log(`${new Date().toISOString()} ${service} ${d?.version ?? ''} ${line}`.replace(/ {2,}/g, ' '));
      [last, lastStatus, printedAtMs] = [line, status, Date.now()];
    }
    if (d && d.verdict.status !== 'watching') {
      if (v.json) console.log(JSON.stringify(d, null, 2));
      else for (const e of d.verdict.evidence) console.log(`  ${e.failing ? '✗' : '·'} ${e.signal}${e.route ? ` ${e.route}` : ''}: ${e.summary ?? ''}`);
      return exitCodeOf(d.verdict.status);
    }
    if (Date.now() + intervalMs > deadline) {
      if (v.json) console.log(JSON.stringify(d ?? null, null, 2));
      else console.log(`timed out: no verdict for ${service}${d ? ` ${d.version}` : ''} yet`);
      return 2;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export const deployCommand: Command = {
  name: 'deploy',
  summary: 'record a deployment (service, version, commit) with a running Vigil, or watch its release verdict',
  usage: `${formatUsage(deployRecordSpec)}\n\n${formatUsage(deployWatchSpec)}`,
  async run(args) {
    if (args[0] === 'watch') return watchDeploy(args.slice(1));
    return recordDeploy(args);
  },
};
