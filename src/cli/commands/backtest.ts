// `vigil backtest`: scores a CSV series (timestamp,value) in stream order with the product's own
// series scorer and writes timestamp,value,anomaly_score; the NAB benchmark runs this same path.
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { createSeriesScorer } from '../../detect/index.js';
import type { SeriesScorerOptions } from '../../detect/index.js';
import { CliError } from '../command.js';
import type { Command } from '../command.js';
import { defineCommand, formatUsage, parseCommand, required } from '../options.js';
import { INPUT_CODE, SeriesInputReport, parseTimestamp, readSeriesRows } from './backtest-input.js';

export { parseTimestamp };

export const backtestSpec = defineCommand({
  name: 'backtest',
  summary: 'Scores a CSV series (timestamp,value) for anomalies in stream order, with no look-ahead.',
  options: {
    input: { type: 'string', value: 'series.csv', description: 'the series (required)' },
    output: { type: 'string', value: 'scores.csv', description: 'where timestamp,value,anomaly_score goes (required)' },
  },
  notes: `Reads a CSV of timestamp,value rows (a header naming the columns timestamp and value, or none:
  then the first two columns; quoted fields, CRLF and a BOM are fine; timestamps ISO-8601 such as
  "2014-04-01 00:00:00", read as UTC when no zone is given, or epoch milliseconds), scores each
  row using only the rows before it, and writes timestamp,value,anomaly_score (score in [0,1]),
  one row per input row in the same order.
  Rows are scored in file order: a timestamp that repeats or goes back is scored as if at the
  latest time seen. A row without a value, or whose value is not a number, is a missing
  observation: it scores 0 and does not move the scorer. Both are reported on stderr.`,
});

const usage = formatUsage(backtestSpec);

/** Rows after which progress is shown on stderr. */
const PROGRESS_EVERY = 100_000;

export interface BacktestOptions {
  scorer?: Partial<SeriesScorerOptions>;
  /** Called once per warning (rows tolerated: out of order, missing or unreadable values). */
  onWarning?: (message: string) => void;
  /** Called every PROGRESS_EVERY rows with the rows done and the fraction of the input read. */
  onProgress?: (rows: number, fraction: number) => void;
}

export interface BacktestResult {
  rows: number;
  /** The warnings also passed to onWarning. */
  warnings: string[];
}

/** Scores `inputPath` into `outputPath`; throws CliError naming file:line on bad input. */
export async function backtestFile(inputPath: string, outputPath: string, options: BacktestOptions = {}): Promise<BacktestResult> {
  const size = await fileSize(inputPath);
  const input = createReadStream(inputPath, { encoding: 'utf8' });
  const opened = once(input, 'open').catch((err: unknown) => {
    throw new CliError(`${INPUT_CODE}: ${inputPath}: cannot read (${(err as Error).message})`);
  });
  await opened;
  const output = createWriteStream(outputPath, { encoding: 'utf8' });
  const outputError = new Promise<never>((_, reject) => {
    output.on('error', (err) => reject(new CliError(`${outputPath}: cannot write (${err.message})`)));
  });
  outputError.catch(() => undefined);
  const scorer = createSeriesScorer(options.scorer);
  const report = new SeriesInputReport(inputPath);
  let rows = 0;
  let latest = -Infinity;
  let buffer: string[] = ['timestamp,value,anomaly_score'];
  const flush = async (): Promise<void> => {
    const chunk = buffer.join('\n') + '\n';
    buffer = [];
    if (!output.write(chunk)) await Promise.race([once(output, 'drain'), outputError]);
  };
  try {
    for await (const row of readSeriesRows(inputPath, input, report)) {
      latest = Math.max(latest, row.time);
      // The scorer takes non-decreasing times: a row out of order is scored at the latest time seen.
      const score = row.value === undefined ? 0 : scorer.push(latest, row.value);
      buffer.push(`${csvField(row.timeText)},${csvField(row.valueText)},${formatScore(score)}`);
      rows++;
      if (buffer.length >= 4096) await flush();
      if (rows % PROGRESS_EVERY === 0) options.onProgress?.(rows, size > 0 ? Math.min(1, input.bytesRead / size) : 0);
    }
  } catch (err) {
    input.destroy();
    output.destroy();
    throw err;
  }
  await flush();
  output.end();
  await Promise.race([once(output, 'finish'), outputError]);
  const warnings = report.warnings();
  for (const w of warnings) options.onWarning?.(w);
  return { rows, warnings };
}

/** RFC 4180 quoting, for fields read from a quoted input field. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Enough digits to keep distinct scores distinct for a threshold sweep, without noise. */
function formatScore(score: number): string {
  return score === 0 ? '0' : score.toPrecision(8).replace(/\.?0+$/, '');
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    throw new CliError(`${INPUT_CODE}: ${path}: cannot read (${(err as Error).message})`);
  }
}

export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'score a CSV series (timestamp,value) for anomalies, in stream order',
  usage,
  async run(args: string[]): Promise<number> {
    const { values: v } = parseCommand(backtestSpec, args);
    const input = required(v.input, 'input');
    const output = required(v.output, 'output');
    let shown = false;
    const { rows } = await backtestFile(input, output, {
      onWarning: (message) => {
        if (shown) process.stderr.write('\n');
        shown = false;
        console.error(`vigil backtest: warning: ${message}`);
      },
      onProgress: (done, fraction) => {
        shown = true;
        process.stderr.write(`\rvigil backtest: ${done.toLocaleString('en')} rows (${(100 * fraction).toFixed(0)}%)`);
      },
    });
    if (shown) process.stderr.write('\n');
    console.error(`vigil backtest: scored ${rows} rows into ${output}`);
    return 0;
  },
};
