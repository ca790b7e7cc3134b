// `vigil incidents`: list incidents, show one, and move them through their lifecycle from a
// terminal (ack, mitigate, resolve, note).
import { parseArgs } from '../args.js';
import { ApiClient } from '../api-client.js';
import { CliError, type Command } from '../command.js';

const usage = `usage: vigil incidents [list] [--all]
       vigil incidents show ID
       vigil incidents ack|mitigate|resolve ID [--note TEXT] [--actor NAME]
       vigil incidents note ID --text TEXT [--actor NAME]
  options: --url http://host:8080 --key KEY (or VIGIL_URL, VIGIL_API_KEY), --json`;

interface Summary {
  id: string;
  title: string;
  status: string;
  severity: string;
  services: string[];
  detectedAt: string;
}

export const incidentsCommand: Command = {
  name: 'incidents',
  summary: 'list, show, acknowledge, mitigate or resolve incidents',
  usage,
  async run(args) {
    const p = parseArgs(args, ['all', 'json']);
    const client = ApiClient.fromFlags(p.flags);
    const [action = 'list', id] = p.positional;
    const actor = p.flags.get('actor') ?? client.actor;
    if (action === 'list') {
      const r = await client.request<{ incidents: Summary[]; nextCursor?: string }>('GET', `/api/v1/incidents?status=${p.booleans.has('all') ? 'all' : 'open'}`);
      if (p.booleans.has('json')) console.log(JSON.stringify(r, null, 2));
      else if (!r.incidents.length) console.log('no incidents');
      else for (const i of r.incidents) console.log(`#${i.id.padEnd(5)} ${i.severity.padEnd(9)} ${i.status.padEnd(13)} ${i.detectedAt}  ${i.title}`);
      return 0;
    }
    if (!id) throw new CliError(`"${action}" needs an incident id\n${usage}`);
    const path = `/api/v1/incidents/${encodeURIComponent(id)}`;
    let incident: unknown;
    if (action === 'show') incident = await client.request('GET', path);
    else if (action === 'note') incident = await client.request('POST', `${path}/note`, { actor, text: p.flags.get('text') ?? '' });
    else if (['ack', 'mitigate', 'resolve'].includes(action)) incident = await client.request('POST', `${path}/${action}`, { actor, note: p.flags.get('note') });
    else throw new CliError(`unknown action "${action}"\n${usage}`);
    console.log(JSON.stringify(incident, null, 2));
    return 0;
  },
};
