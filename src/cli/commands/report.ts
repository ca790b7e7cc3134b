// `vigil report reliability`: the reliability report of a running Vigil for a range (default the
// last 7 days): incidents by severity and service, MTTD/MTTI/MTTR, repeats, action items, SLOs.
import { ApiClient } from '../api-client.js';
import type { Command } from '../command.js';
import { CliError } from '../command.js';
import { apiOptions, defineCommand, formatGroupUsage, jsonOption, parseCommand, unknownSubcommand } from '../options.js';
import { reliabilityDocument } from '../../reports/index.js';
import { renderHtml, renderMarkdown } from '../../reviews/index.js';

const reliabilitySpec = defineCommand({
  name: 'report reliability',
  summary: 'The reliability report for a period: incidents, MTTD, MTTI, MTTR, repeat rate, action items, customer-reported-first, SLO attainment.',
  options: {
    from: { type: 'string', value: 'TIME', description: 'start of the period, ISO-8601 or epoch ms (default 7 days before --to)' },
    to: { type: 'string', value: 'TIME', description: 'end of the period (default now)' },
    format: { type: 'string', value: 'md|html', description: 'Markdown (default) or a standalone HTML page' },
    ...apiOptions,
    ...jsonOption,
  },
});

const usage = formatGroupUsage('report', 'Reports of a running Vigil.', [reliabilitySpec]);

async function reliability(args: readonly string[]): Promise<number> {
  const { values: v } = parseCommand(reliabilitySpec, args);
  const format = v.format ?? 'md';
  if (format !== 'md' && format !== 'html') throw new CliError(`--format must be md or html, got "${format}"`);
  const client = ApiClient.fromOptions(v);
  const body = await client.reliabilityReport({ from: v.from, to: v.to });
  if (v.json) {
    console.log(JSON.stringify(body, null, 2));
    return 0;
  }
  const doc = reliabilityDocument({ ...body, from: Date.parse(body.from), to: Date.parse(body.to) });
  process.stdout.write(format === 'html' ? renderHtml(doc) : renderMarkdown(doc));
  return 0;
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'reports: the reliability report for a period (Markdown, HTML or JSON)',
  usage,
  async run(args) {
    const [first, ...rest] = args;
    if (first === 'reliability') return reliability(rest);
    throw unknownSubcommand('report', first, ['reliability']);
  },
};
