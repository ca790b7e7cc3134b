// `vigil coverage`: the monitoring-coverage report of a running Vigil: which services and routes
// have traces, correlated logs, metrics, error status, deploys, SLOs and synthetic checks, and why.
import { ApiClient } from '../api-client.js';
import type { Command } from '../command.js';
import { apiOptions, defineCommand, formatUsage, jsonOption, parseCommand } from '../options.js';
import { formatCoverageReport } from '../../coverage/index.js';

export const coverageSpec = defineCommand({
  name: 'coverage',
  summary: 'Monitoring coverage per service and route of a running Vigil, with a score and the gaps.',
  options: {
    from: { type: 'string', value: 'TIME', description: 'start of the period, ISO-8601 or epoch ms (default 24 hours ago)' },
    to: { type: 'string', value: 'TIME', description: 'end of the period (default now)' },
    journey: { type: 'string', value: 'LIST', description: 'critical journeys on top of incidents.criticalJourneys, comma-separated' },
    routes: { type: 'boolean', description: 'also print the table per route' },
    ...apiOptions,
    ...jsonOption,
  },
  notes: 'A journey is "frontend POST /checkout", "/checkout" or a name, matched like the config\'s.',
});

const usage = formatUsage(coverageSpec);

export const coverageCommand: Command = {
  name: 'coverage',
  summary: 'monitoring coverage per service and route, with a score and the gaps',
  usage,
  async run(args) {
    const { values: v } = parseCommand(coverageSpec, args);
    const client = ApiClient.fromOptions(v);
    const body = await client.coverage({ from: v.from, to: v.to, journey: v.journey });
    if (v.json) {
      console.log(JSON.stringify(body, null, 2));
      return 0;
    }
    const { from, to, ...rest } = body;
    console.log(formatCoverageReport({ ...rest, fromMs: Date.parse(from), toMs: Date.parse(to) }, { routes: v.routes === true }));
    return 0;
  },
};
