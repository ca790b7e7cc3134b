// `vigil deploy`: records a deployment from CI or a terminal, so detection and root cause know
// which version went out when.
import { parseArgs, requireFlag } from '../args.js';
import { ApiClient } from '../api-client.js';
import type { Command } from '../command.js';

const usage = `usage: vigil deploy --service NAME --version V [--environment E] [--commit SHA] [--description TEXT] [--time ISO]
                    [--url http://host:8080] [--key KEY]   (or VIGIL_URL, VIGIL_API_KEY)`;

export const deployCommand: Command = {
  name: 'deploy',
  summary: 'record a deployment (service, version, commit) with a running Vigil',
  usage,
  async run(args) {
    const p = parseArgs(args);
    const client = ApiClient.fromFlags(p.flags);
    const body = {
      service: requireFlag(p, 'service'),
      version: requireFlag(p, 'version'),
      environment: p.flags.get('environment'),
      commit: p.flags.get('commit'),
      description: p.flags.get('description'),
      time: p.flags.get('time'),
    };
    const change = await client.request<{ id: string; time: string }>('POST', '/api/v1/deployments', body);
    console.log(`recorded deployment ${change.id}: ${body.service} ${body.version} at ${change.time}`);
    return 0;
  },
};
