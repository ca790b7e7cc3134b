// `vigil coverage`: the monitoring-coverage report of a running Vigil: which services and routes
// have traces, correlated logs, metrics, error status, deploys, SLOs and synthetic checks, and why.
import { parseArgs } from '../args.js';
import { ApiClient } from '../api-client.js';
import type { Command } from '../command.js';
import { formatCoverageReport, type CoverageReport } from '../../coverage/index.js';

const usage = `usage: vigil coverage [--from TIME] [--to TIME] [--journey "POST /checkout,GET /cart"] [--routes] [--json]
  TIME is ISO-8601 or epoch ms; default the last 24 hours.
  --journey  critical journeys checked on top of incidents.criticalJourneys, comma-separated:
             "frontend POST /checkout", "/checkout" or a name (matched like the config's)
  --routes   also print the table per route
  options: --url http://host:8080 --key KEY (or VIGIL_URL, VIGIL_API_KEY)`;

export const coverageCommand: Command = {
  name: 'coverage',
  summary: 'monitoring coverage per service and route, with a score and the gaps',
  usage,
  async run(args) {
    const p = parseArgs(args, ['json', 'routes']);
    const client = ApiClient.fromFlags(p.flags);
    const q = new URLSearchParams();
    for (const name of ['from', 'to', 'journey']) {
      const v = p.flags.get(name);
      if (v !== undefined) q.set(name, v);
    }
    const body = await client.request<Omit<CoverageReport, 'fromMs' | 'toMs'> & { from: string; to: string }>(
      'GET',
      `/api/v1/coverage${q.size ? `?${q.toString()}` : ''}`,
    );
    if (p.booleans.has('json')) {
      console.log(JSON.stringify(body, null, 2));
      return 0;
    }
    const { from, to, ...rest } = body;
    console.log(
      formatCoverageReport(
        { ...rest, fromMs: Date.parse(from), toMs: Date.parse(to) },
        { routes: p.booleans.has('routes') },
      ),
    );
    return 0;
  },
};
