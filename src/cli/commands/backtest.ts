// `vigil backtest`: scores a CSV series (timestamp,value) in stream order with the product's own
// series scorer and writes timestamp,value,anomaly_score; the NAB benchmark runs this same path.
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createSeriesScorer } from '../../detect/series/index.js';
import type { SeriesScorerOptions } from '../../detect/series/index.js';
import { parseArgs, requireFlag } from '../args.js';
import { CliError } from '../command.js';
import type { Command } from '../command.js';

const usage = `usage: vigil backtest --input series.csv --output scores.csv

  Reads a CSV with a header and the columns timestamp,value (timestamps ISO-8601 such as
  "2014-04-01 00:00:00", read as UTC when no zone is given, or epoch milliseconds), scores each
  row using only the rows before it, and writes timestamp,value,anomaly_score (score in [0,1]),
  one row per input row in the same order.`;

/** Rows after which progress is shown on stderr. */
const PROGRESS_EVERY = 100_000;

export interface BacktestOptions {
  scorer?: Partial<SeriesScorerOptions>;
  /** Called every PROGRESS_EVERY rows with the rows done and the fraction of the input read. */
  onProgress?: (rows: number, fraction: number) => void;
}

export interface BacktestResult {
  rows: number;
}

/** Scores `inputPath` into `outputPath`; throws CliError naming file:line on bad input. */
export async function backtestFile(
  inputPath: string,
  outputPath: string,
  options: BacktestOptions = {},
): Promise<BacktestResult> {
  const size = await fileSize(inputPath);
  const input = createReadStream(inputPath, { encoding: 'utf8' });
  const opened = once(input, 'open').catch((err: unknown) => {
    throw new CliError(`${inputPath}: cannot read (${(err as Error).message})`);
  });
  await opened;
  const output = createWriteStream(outputPath, { encoding: 'utf8' });
  const outputError = new Promise<never>((_, reject) => {
    output.on('error', (err) => reject(new CliError(`${outputPath}: cannot write (${err.message})`)));
  });
  outputError.catch(() => undefined);
  const scorer = createSeriesScorer(options.scorer);
  let lineNo = 0;
  let columns: Columns | undefined;
  let rows = 0;
  let lastTime = -Infinity;
  let buffer: string[] = ['timestamp,value,anomaly_score'];
  const flush = async (): Promise<void> => {
    const chunk = buffer.join('\n') + '\n';
    buffer = [];
    if (!output.write(chunk)) await Promise.race([once(output, 'drain'), outputError]);
  };
  try {
    await scoreLines();
  } catch (err) {
    input.destroy();
    output.destroy();
    throw err;
  }
  await flush();
  output.end();
  await Promise.race([once(output, 'finish'), outputError]);
  return { rows };

  async function scoreLines(): Promise<void> {
    for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
      lineNo++;
      const line = raw.trim();
      if (line === '') continue;
      const fields = line.split(',').map(unquote);
      if (!columns) {
        columns = headerColumns(fields, `${inputPath}:${lineNo}`);
        continue;
      }
      const row = parseRow(fields, columns, `${inputPath}:${lineNo}`, lastTime);
      lastTime = row.time;
      const { timeText, valueText } = row;
      buffer.push(`${timeText},${valueText},${formatScore(scorer.push(row.time, row.value))}`);
      rows++;
      if (buffer.length >= 4096) await flush();
      if (rows % PROGRESS_EVERY === 0) options.onProgress?.(rows, size > 0 ? Math.min(1, input.bytesRead / size) : 0);
    }
    if (!columns) throw new CliError(`${inputPath}: empty file (expected a header timestamp,value)`);
  }
}

interface Columns {
  time: number;
  value: number;
}

interface SeriesRow {
  time: number;
  value: number;
  timeText: string;
  valueText: string;
}

/** Validates one data row at `where` (file:line); rows must not go back in time. */
function parseRow(fields: string[], columns: Columns, where: string, lastTime: number): SeriesRow {
  const timeText = fields[columns.time];
  const valueText = fields[columns.value];
  if (timeText === undefined || valueText === undefined)
    throw new CliError(`${where}: expected ${Math.max(columns.time, columns.value) + 1} columns, got ${fields.length}`);
  const time = parseTimestamp(timeText);
  if (time === undefined)
    throw new CliError(`${where}: timestamp "${timeText}" is neither ISO-8601 nor epoch milliseconds`);
  if (time < lastTime)
    throw new CliError(`${where}: timestamp "${timeText}" goes back in time (rows must be in stream order)`);
  const value = valueText === '' ? Number.NaN : Number(valueText);
  if (!Number.isFinite(value)) throw new CliError(`${where}: value "${valueText}" is not a finite number`);
  return { time, value, timeText, valueText };
}

function headerColumns(fields: string[], where: string): Columns {
  const names = fields.map((f) => f.toLowerCase());
  const time = names.indexOf('timestamp');
  const value = names.indexOf('value');
  if (time < 0 || value < 0)
    throw new CliError(`${where}: header must name the columns timestamp and value, got "${fields.join(',')}"`);
  return { time, value };
}

function unquote(field: string): string {
  const f = field.trim();
  return f.length >= 2 && f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1) : f;
}

/** Epoch ms for an ISO-like timestamp (UTC unless it names a zone) or an epoch-ms number. */
export function parseTimestamp(text: string): number | undefined {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${zone ?? 'Z'}`;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

/** Enough digits to keep distinct scores distinct for a threshold sweep, without noise. */
function formatScore(score: number): string {
  return score === 0 ? '0' : score.toPrecision(8).replace(/\.?0+$/, '');
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    throw new CliError(`${path}: cannot read (${(err as Error).message})`);
  }
}

export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'score a CSV series (timestamp,value) for anomalies, in stream order',
  usage,
  async run(args: string[]): Promise<number> {
    const parsed = parseArgs(args);
    for (const name of parsed.flags.keys())
      if (name !== 'input' && name !== 'output') throw new CliError(`unknown option --${name}\n${usage}`);
    if (parsed.positional.length) throw new CliError(`unexpected argument "${parsed.positional[0]}"\n${usage}`);
    const input = requireFlag(parsed, 'input');
    const output = requireFlag(parsed, 'output');
    let shown = false;
    const { rows } = await backtestFile(input, output, {
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
