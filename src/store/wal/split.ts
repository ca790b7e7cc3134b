// One table's share of a WAL range as the store's inserts. The telemetry tables are partitioned by
// day and the engine refuses an insert whose rows fall on more than 100 days
// (max_partitions_per_insert_block); one request of a backfill or with a broken clock can span
// that. Such rows are split by day into several inserts of at most `maxDaysPerInsert` days, each
// with a token derived from the range's, so a replay after a crash splits and dedups the same way.
import type { TelemetryTable } from './record.js';
import type { BodyInsert } from './insert.js';

/** Well under the engine's default of 100, so a store configured a little lower still takes it. */
export const maxDaysPerInsert = 50;
const dayMicros = 86_400_000_000;

/** The column each table is partitioned on (PARTITION BY toDate(…), store/schema.ts). */
export const partitionColumn: Record<TelemetryTable, string> = { spans: 'start_time', logs: 'time', metric_points: 'time' };

/** An insert with what it carries, for the log and the quarantine count. */
export interface PlannedInsert extends BodyInsert {
  rows: number;
  bytes: number;
}

export interface TableShare {
  table: TelemetryTable;
  /** Qualified name, e.g. vigil.spans. */
  qualified: string;
  columns: string;
  bodies: readonly Buffer[];
  rows: number;
  /** Day numbers (since the epoch) of the earliest and latest row, when known without parsing. */
  days?: { min: number; max: number };
  token: string;
}

export const dayOf = (micros: number): number => Math.floor(micros / dayMicros);

/** The inserts for one table's share: one when its rows fit in maxDaysPerInsert days, else one per group of days. */
export function planInserts(share: TableShare): PlannedInsert[] {
  const columns = share.columns.split(',');
  const bytes = share.bodies.reduce((a, b) => a + b.length, 0);
  const whole: PlannedInsert = { table: share.qualified, columns, bodies: share.bodies, token: share.token, rows: share.rows, bytes };
  const known = share.days;
  if (known && known.max - known.min < maxDaysPerInsert) return [whole];
  const index = columns.indexOf(partitionColumn[share.table]);
  const byDay = new Map<number, Buffer[]>();
  for (const body of share.bodies) {
    for (let start = 0; start < body.length;) {
      const nl = body.indexOf(10, start);
      const end = nl < 0 ? body.length : nl + 1;
      const line = body.subarray(start, end);
      const day = lineDay(line, index);
      const list = byDay.get(day);
      if (list) list.push(line);
      else byDay.set(day, [line]);
      start = end;
    }
  }
  if (byDay.size <= maxDaysPerInsert) return [whole];
  // NaN (a row whose time cannot be read) sorts first: the store judges that row in the first insert.
  const days = [...byDay.keys()].sort((a, b) => (Number.isNaN(a) ? -1 : Number.isNaN(b) ? 1 : a - b));
  const out: PlannedInsert[] = [];
  for (let i = 0; i < days.length; i += maxDaysPerInsert) {
    const lines = days.slice(i, i + maxDaysPerInsert).flatMap((d) => byDay.get(d)!);
    out.push({ ...whole, bodies: lines, token: `${share.token}-d${i / maxDaysPerInsert}`, rows: lines.length, bytes: lines.reduce((a, l) => a + l.length, 0) });
  }
  return out;
}

/** The day of a JSONCompactEachRow line's partition column (integer microseconds), NaN when unreadable. */
function lineDay(line: Buffer, index: number): number {
  if (index === 0) {
    // The common case (spans, logs): the line starts with `[<micros>,`; no JSON parse needed.
    let end = 1;
    while (end < line.length && line[end] !== 44 && line[end] !== 93) end++;
    return dayOf(Number(line.toString('latin1', 1, end)));
  }
  try {
    const row = JSON.parse(line.toString('utf8')) as unknown[];
    return dayOf(Number(row[index]));
  } catch {
    return Number.NaN;
  }
}

/** Earliest and latest day among row times in microseconds, for `TableShare.days`. */
export function daySpan(micros: readonly number[]): { min: number; max: number } {
  // Extremes first, days of the two only: this runs on every write.
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < micros.length; i++) {
    const us = micros[i]!;
    if (us < min) min = us;
    if (us > max) max = us;
  }
  return { min: dayOf(min), max: dayOf(max) };
}
