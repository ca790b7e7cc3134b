// Reads the series CSV that `vigil backtest` scores, as real exports write them: with or without
// a header, quoted fields, CRLF, a BOM, repeated or out-of-order timestamps, gaps and missing or
// unreadable values. Every data row comes out (one score per row); only what cannot be a series
// (no time column, a timestamp that is no time, broken CSV) stops the run, naming file and line.
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { CliError } from '../command.js';

/** The code of every input error and warning, so scripts can grep for it. */
export const INPUT_CODE = 'VIGIL_BACKTEST_INPUT';

/** Per-row warnings printed before the rest are only counted. */
const ROW_WARNINGS_SHOWN = 5;

export interface SeriesRow {
  /** 1-based line of the file where the row ends. */
  line: number;
  timeText: string;
  valueText: string;
  time: number;
  /** Undefined when the row has no value or its value is not a number: a missing observation. */
  value: number | undefined;
  /** True when the timestamp repeats or goes back before an earlier row's. */
  outOfOrder: boolean;
}

interface Columns {
  time: number;
  value: number;
}

/** Counts what was tolerated, for the warnings printed once the file is read. */
export class SeriesInputReport {
  outOfOrder = 0;
  firstOutOfOrderLine = 0;
  missing = 0;
  firstMissingLine = 0;
  readonly unreadable: string[] = [];
  unreadableCount = 0;

  constructor(readonly path: string) {}

  /** The warnings, one line each: per-row ones first (the first few), then the counts. */
  warnings(): string[] {
    const out = [...this.unreadable];
    const more = this.unreadableCount - this.unreadable.length;
    if (more > 0) out.push(`${INPUT_CODE}: ${this.path}: ${rows(more)} more whose value is not a number, scored 0 as missing`);
    if (this.missing > 0)
      out.push(`${INPUT_CODE}: ${this.path}: ${rows(this.missing)} without a value (first at line ${this.firstMissingLine}), scored 0 as missing`);
    if (this.outOfOrder > 0)
      out.push(
        `${INPUT_CODE}: ${this.path}: ${rows(this.outOfOrder)} whose timestamp repeats or goes back (first at line ${this.firstOutOfOrderLine}); scored in file order`,
      );
    return out;
  }
}

const rows = (n: number): string => (n === 1 ? '1 row' : `${n} rows`);

/** The data rows of a series CSV in file order; throws CliError (file:line) on what is not a series. */
export async function* readSeriesRows(path: string, input: Readable, report: SeriesInputReport): AsyncGenerator<SeriesRow> {
  const parser = input.pipe(parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true, info: true }));
  input.on('error', (err) => parser.destroy(err));
  let columns: (Columns & { header: boolean }) | undefined;
  let latest = -Infinity;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record: fields, info } = item;
      const where = `${path}:${info.lines}`;
      if (!columns) {
        columns = firstRowColumns(fields, where);
        if (columns.header) continue;
      }
      const row = parseRow(fields, columns, where, info.lines, report);
      row.outOfOrder = row.time <= latest;
      if (row.outOfOrder) {
        if (report.outOfOrder++ === 0) report.firstOutOfOrderLine = info.lines;
      } else latest = row.time;
      yield row;
    }
  } catch (err) {
    if (err instanceof CliError) throw err;
    const e = err as Error & { code?: string; lines?: number };
    if (e.code?.startsWith('CSV_')) throw new CliError(`${INPUT_CODE}: ${path}:${e.lines ?? '?'}: not valid CSV (${e.message})`);
    throw new CliError(`${INPUT_CODE}: ${path}: cannot read (${e.message})`);
  }
  if (!columns) throw new CliError(`${INPUT_CODE}: ${path}: empty file (expected rows of timestamp,value)`);
}

/**
 * A first row whose first field is a time is data (no header: timestamp, value); any other first
 * row is a header that must name the columns timestamp and value.
 */
function firstRowColumns(fields: string[], where: string): Columns & { header: boolean } {
  if (fields.length >= 2 && parseTimestamp(fields[0] ?? '') !== undefined) return { time: 0, value: 1, header: false };
  const names = fields.map((f) => f.toLowerCase());
  const time = names.indexOf('timestamp');
  const value = names.indexOf('value');
  if (time < 0 || value < 0) throw new CliError(`${INPUT_CODE}: ${where}: header must name the columns timestamp and value, got "${fields.join(',')}"`);
  return { time, value, header: true };
}

function parseRow(fields: string[], columns: Columns, where: string, line: number, report: SeriesInputReport): SeriesRow {
  const timeText = fields[columns.time] ?? '';
  const valueText = fields[columns.value] ?? '';
  const time = parseTimestamp(timeText);
  if (time === undefined) {
    const what = timeText === '' ? 'no timestamp' : `timestamp "${timeText}" is neither ISO-8601 nor epoch milliseconds`;
    throw new CliError(`${INPUT_CODE}: ${where}: ${what}`);
  }
  let value: number | undefined;
  if (valueText === '' || /^(nan|null|none|na|n\/a)$/i.test(valueText)) {
    if (report.missing++ === 0) report.firstMissingLine = line;
  } else {
    value = Number(valueText);
    if (!Number.isFinite(value)) {
      value = undefined;
      if (report.unreadableCount++ < ROW_WARNINGS_SHOWN)
        report.unreadable.push(`${INPUT_CODE}: ${where}: value "${valueText.slice(0, 80)}" is not a number; scored 0 as missing`);
    }
  }
  return { line, timeText, valueText, time, value, outOfOrder: false };
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
