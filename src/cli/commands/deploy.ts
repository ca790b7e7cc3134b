// `vigil deploy`: records a deployment from CI or a terminal, so detection and root cause know
// which version went out when.
import { ApiClient } from '../api-client.js';
import type { Command } from '../command.js';
import { apiOptions, defineCommand, formatUsage, jsonOption, parseCommand, required } from '../options.js';

export const deployRecordSpec = defineCommand({
  name: 'deploy',
  summary: 'Records a deployment (service, version, commit) with a running Vigil.',
  options: {
    service: { type: 'string', value: 'NAME', description: 'the service deployed (required)' },
    version: { type: 'string', value: 'V', description: 'the version that went out (required)' },
    environment: { type: 'string', value: 'ENV', description: 'production, staging …' },
    commit: { type: 'string', value: 'SHA', description: 'the commit deployed' },
    description: { type: 'string', value: 'TEXT', description: 'what changed, in a line' },
    time: { type: 'string', value: 'ISO', description: 'when it went out (default now)' },
    ...apiOptions,
    ...jsonOption,
  },
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
  const change = await ApiClient.fromOptions(v).request<{ id: string; time: string }>('POST', '/api/v1/deployments', body);
  if (v.json) console.log(JSON.stringify(change, null, 2));
  else console.log(`recorded deployment ${change.id}: ${body.service} ${body.version} at ${change.time}`);
  return 0;
}

export const deployCommand: Command = {
  name: 'deploy',
  summary: 'record a deployment (service, version, commit) with a running Vigil',
  usage: formatUsage(deployRecordSpec),
  async run(args) {
    return recordDeploy(args);
  },
};
