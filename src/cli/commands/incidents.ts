// `vigil incidents`: list incidents, show one, and move them through their lifecycle from a
// terminal (ack, mitigate, resolve, note). Text for people by default, the API's JSON with --json.
import { ApiClient } from '../api-client.js';
import { CliError, type Command } from '../command.js';
import type { IncidentView } from '../../client/index.js';
import { formatIncidentPage, formatIncidentTable } from '../incident-page.js';
import { apiOptions, defineCommand, formatGroupUsage, jsonOption, parseCommand, unknownSubcommand, wholeNumber } from '../options.js';

const listSpec = defineCommand({
  name: 'incidents list',
  summary: 'Lists open incidents (all with --all), newest first, as a table.',
  options: {
    all: { type: 'boolean', description: 'resolved incidents too' },
    limit: { type: 'string', value: 'N', description: 'at most N incidents (default 100)' },
    cursor: { type: 'string', value: 'C', description: 'the page after the one that printed this cursor' },
    ...apiOptions,
    ...jsonOption,
  },
});

const showSpec = defineCommand({
  name: 'incidents show',
  args: 'ID',
  maxPositionals: 1,
  summary: 'Prints one incident: severity and why, likely causes with evidence, changes, timeline, links.',
  options: { ...apiOptions, ...jsonOption },
});

const actionOptions = {
  note: { type: 'string', value: 'TEXT', description: 'a note for the timeline' },
  actor: { type: 'string', value: 'NAME', description: 'who acts (default your login name)' },
  ...apiOptions,
  ...jsonOption,
} as const;

const actionSpecs = {
  ack: defineCommand({ name: 'incidents ack', args: 'ID', maxPositionals: 1, summary: 'Acknowledges an incident (someone is on it).', options: actionOptions }),
  mitigate: defineCommand({
    name: 'incidents mitigate',
    args: 'ID',
    maxPositionals: 1,
    summary: 'Marks an incident mitigated (impact stopped, cause not yet fixed).',
    options: actionOptions,
  }),
  resolve: defineCommand({ name: 'incidents resolve', args: 'ID', maxPositionals: 1, summary: 'Resolves an incident.', options: actionOptions }),
};

const noteSpec = defineCommand({
  name: 'incidents note',
  args: 'ID',
  maxPositionals: 1,
  summary: "Adds a note to an incident's timeline.",
  options: {
    text: { type: 'string', value: 'TEXT', description: 'the note (required)' },
    actor: { type: 'string', value: 'NAME', description: 'who writes it (default your login name)' },
    ...apiOptions,
    ...jsonOption,
  },
});

const usage = formatGroupUsage(
  'incidents',
  'List, show, acknowledge, mitigate or resolve incidents of a running Vigil.',
  [listSpec, showSpec, ...Object.values(actionSpecs), noteSpec],
  'Without a subcommand, `vigil incidents` lists the open incidents.',
);

const pastTense: Record<string, string> = { ack: 'acknowledged', mitigate: 'mitigated', resolve: 'resolved' };

async function list(args: string[]): Promise<number> {
  const { values: v } = parseCommand(listSpec, args);
  const limit = v.limit === undefined ? undefined : wholeNumber(v.limit, 'limit', 100);
  const r = await ApiClient.fromOptions(v).listIncidents({
    status: v.all ? 'all' : 'open',
    ...(limit !== undefined ? { limit } : {}),
    ...(v.cursor !== undefined ? { cursor: v.cursor } : {}),
  });
  if (v.json) console.log(JSON.stringify(r, null, 2));
  else {
    console.log(formatIncidentTable(r.incidents));
    if (r.nextCursor) console.log(`\nmore: vigil incidents list${v.all ? ' --all' : ''} --cursor ${r.nextCursor}`);
  }
  return 0;
}

function idOf(positionals: string[], name: string): string {
  const id = positionals[0];
  if (!id) throw new CliError(`${name} needs an incident id (vigil incidents ${name} ID)`);
  return id;
}

async function show(args: string[]): Promise<number> {
  const { values: v, positionals } = parseCommand(showSpec, args);
  const id = idOf(positionals, 'show');
  const client = ApiClient.fromOptions(v);
  const incident = await client.getIncident(id);
  console.log(v.json ? JSON.stringify(incident, null, 2) : formatIncidentPage(incident, client.url));
  return 0;
}

async function act(action: keyof typeof actionSpecs, args: string[]): Promise<number> {
  const { values: v, positionals } = parseCommand(actionSpecs[action], args);
  const id = idOf(positionals, action);
  const client = ApiClient.fromOptions(v);
  const actor = v.actor ?? client.actor;
  const incident = await client.actOnIncident(id, action, { actor, ...(v.note !== undefined ? { note: v.note } : {}) });
  printChanged(incident, pastTense[action] ?? action, actor, v.json);
  return 0;
}

async function note(args: string[]): Promise<number> {
  const { values: v, positionals } = parseCommand(noteSpec, args);
  const id = idOf(positionals, 'note');
  if (!v.text) throw new CliError('note needs --text TEXT');
  const client = ApiClient.fromOptions(v);
  const actor = v.actor ?? client.actor;
  const incident = await client.noteIncident(id, { actor, text: v.text });
  printChanged(incident, 'noted', actor, v.json);
  return 0;
}

function printChanged(incident: IncidentView, what: string, actor: string, json: boolean | undefined): void {
  if (json) console.log(JSON.stringify(incident, null, 2));
  else console.log(`#${incident.id} ${what} by ${actor}; now ${incident.status} (${incident.severity}): ${incident.title}`);
}

export const incidentsCommand: Command = {
  name: 'incidents',
  summary: 'list, show, acknowledge, mitigate or resolve incidents',
  usage,
  async run(args) {
    const [first, ...rest] = args;
    // `vigil incidents` and `vigil incidents --all` list; a subcommand comes first otherwise.
    if (first === undefined || first.startsWith('-')) return list(args);
    if (first === 'list') return list(rest);
    if (first === 'show') return show(rest);
    if (first === 'note') return note(rest);
    if (first === 'ack' || first === 'mitigate' || first === 'resolve') return act(first, rest);
    throw unknownSubcommand('incidents', first, ['list', 'show', 'ack', 'mitigate', 'resolve', 'note']);
  },
};
