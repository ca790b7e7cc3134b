// `vigil patterns`: mines the templates of a log file offline with the same online miner the live
// engine uses, and writes one CSV row per line (LineId,EventId,EventTemplate) in Loghub's format.
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { CliError } from '../command.js';
import type { Command } from '../command.js';
import { defineCommand, formatUsage, parseCommand, required, wholeNumber } from '../options.js';
import { createTemplateMiner } from '../../detect/index.js';

export const patternsSpec = defineCommand({
  name: 'patterns',
  summary: "Mines the templates of a log file with the live engine's miner: LineId,EventId,EventTemplate CSV out.",
  options: {
    input: { type: 'string', value: 'app.log|-', description: 'the log, one message per line (- reads stdin; required)' },
    output: { type: 'string', value: 'FILE', description: 'where the CSV goes (default stdout)' },
    templates: { type: 'string', value: 'FILE', description: 'also write EventId,EventTemplate,Occurrences, most frequent first' },
    'max-templates': { type: 'string', value: 'N', description: 'templates kept at most (default 50000)' },
    'max-line-bytes': { type: 'string', value: 'N', description: 'longest line accepted (default 1 MiB)' },
    quiet: { type: 'boolean', description: 'no progress on stderr' },
  },
  notes: 'LineId is the 1-based line number of the input.',
});

const usage = formatUsage(patternsSpec);

const PROGRESS_EVERY = 100_000;

/** RFC 4180 quoting: only fields with a comma, quote or line break are quoted. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

async function close(out: Writable): Promise<void> {
  if (out === process.stdout) return;
  out.end();
  await once(out, 'finish');
}

export const patternsCommand: Command = {
  name: 'patterns',
  summary: 'mine log templates: a log file in, LineId,EventId,EventTemplate CSV out',
  usage,
  async run(args) {
    const { values: v } = parseCommand(patternsSpec, args);
    const input = required(v.input, 'input');
    const output = v.output;
    const summary = v.templates;
    const maxLineBytes = wholeNumber(v['max-line-bytes'], 'max-line-bytes', 1 << 20);
    const quiet = v.quiet === true;
    let size = 0;
    if (input !== '-') {
      try {
        size = statSync(input).size;
      } catch {
        throw new CliError(`cannot read ${input}: no such file`);
      }
    }
    const miner = createTemplateMiner({ maxTemplates: wholeNumber(v['max-templates'], 'max-templates', 50_000) });
    const online: string[] = [];
    const started = performance.now();
    const source = input === '-' ? process.stdin.setEncoding('utf8') : createReadStream(input, { encoding: 'utf8' });
    const lines = createInterface({ input: source, crlfDelay: Infinity });
    let charsRead = 0;
    for await (const line of lines) {
      const lineNo = online.length + 1;
      charsRead += line.length + 1;
      if (line.includes('\u0000')) throw new CliError(`${input}:${lineNo}: binary data (a NUL byte); patterns reads text logs, one message per line`);
      if (line.length > maxLineBytes) throw new CliError(`${input}:${lineNo}: line of ${line.length} characters is over --max-line-bytes ${maxLineBytes}`);
      online.push(miner.add(line).templateId);
      if (!quiet && lineNo % PROGRESS_EVERY === 0) {
        const rate = lineNo / ((performance.now() - started) / 1000);
        const done =
          size > 0
            ? `~${Math.min(100, (100 * charsRead) / size).toFixed(0)}% of ${(size / 2 ** 20).toFixed(0)} MiB`
            : `${(charsRead / 2 ** 20).toFixed(0)} MiB`;
        process.stderr.write(
          `patterns: ${lineNo.toLocaleString()} lines, ${done} (${Math.round(rate).toLocaleString()} lines/s), ${miner.templates().length} templates\n`,
        );
      }
    }

    // Final assignment: lines seen before a template generalised follow it to its surviving id.
    const finalIds = new Map<string, string>();
    const occurrences = new Map<string, number>();
    const out = output ? createWriteStream(output) : process.stdout;
    await write(out, 'LineId,EventId,EventTemplate\n');
    let chunk = '';
    for (let i = 0; i < online.length; i++) {
      const onlineId = online[i] ?? '';
      let id = finalIds.get(onlineId);
      if (id === undefined) {
        id = miner.resolve(onlineId);
        finalIds.set(onlineId, id);
      }
      occurrences.set(id, (occurrences.get(id) ?? 0) + 1);
      chunk += `${i + 1},${id},${csvField(miner.templateOf(id) ?? '')}\n`;
      if (chunk.length > 1 << 16) {
        await write(out, chunk);
        chunk = '';
      }
    }
    await write(out, chunk);
    await close(out);

    if (summary) {
      const rows = [...occurrences].sort((a, b) => b[1] - a[1]).map(([id, n]) => `${id},${csvField(miner.templateOf(id) ?? '')},${n}`);
      const file = createWriteStream(summary);
      await write(file, `EventId,EventTemplate,Occurrences\n${rows.join('\n')}\n`);
      await close(file);
    }
    if (!quiet) {
      const seconds = (performance.now() - started) / 1000;
      process.stderr.write(
        `patterns: ${online.length.toLocaleString()} lines, ${occurrences.size} templates in ${seconds.toFixed(1)} s${output ? ` → ${output}` : ''}\n`,
      );
    }
    return 0;
  },
};
