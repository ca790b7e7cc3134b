// Rows the store refuses for what they are (a value it cannot parse, a type it cannot convert) are
// not lost and do not block the log: after repeated refusals the writer moves that insert to a
// quarantine folder beside the log, with what it takes to insert it by hand once the cause is
// fixed, and goes on. Every other failure (store down, disk full, memory limit) is retried: there
// backpressure, not a detour, is the answer.
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { BodyInsert } from './insert.js';

// ClickHouse error codes that blame the data of one insert, not the store or the schema.
const REFUSED_DATA_CODES = new Set([
  6, // CANNOT_PARSE_TEXT
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  53, // TYPE_MISMATCH
  69, // ARGUMENT_OUT_OF_BOUND
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER
  117, // INCORRECT_DATA
  131, // TOO_LARGE_STRING_SIZE
  349, // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
]);

/**
 * The ClickHouse code when the error says the insert's data was refused, else null. A server's
 * errors carry the code (@clickhouse/client's `code`); chDB's carry it in the message only
 * (`Code: 27. DB::Exception: …`).
 */
export function refusedDataCode(err: unknown): number | null {
  if (!(err instanceof Error)) return null;
  const fromField = 'code' in err && typeof err.code === 'string' && /^\d+$/.test(err.code) ? Number(err.code) : NaN;
  const code = Number.isNaN(fromField) ? Number(/\bCode: (\d+)\./.exec(err.message)?.[1] ?? NaN) : fromField;
  return REFUSED_DATA_CODES.has(code) ? code : null;
}

/**
 * Writes the insert to <dir>/<token>.rows (its JSONCompactEachRow body, as logged) and
 * <token>.json (table, columns, the store's reason, the statement that inserts it), flushed to disk
 * before the caller lets the log forget it. Returns the rows file.
 */
export async function quarantineInsert(dir: string, insert: BodyInsert, reason: string, at: Date): Promise<string> {
  await mkdir(dir, { recursive: true });
  const rowsFile = join(dir, `${insert.token}.rows`);
  const about = {
    table: insert.table,
    columns: insert.columns,
    reason,
    quarantinedAt: at.toISOString(),
    insertWith: `INSERT INTO ${insert.table} (${insert.columns.join(', ')}) FORMAT JSONCompactEachRow`,
  };
  await writeDurably(rowsFile, Buffer.concat(insert.bodies));
  await writeDurably(join(dir, `${insert.token}.json`), Buffer.from(`${JSON.stringify(about, null, 2)}\n`));
  return rowsFile;
}

async function writeDurably(path: string, data: Buffer): Promise<void> {
  const file = await open(path, 'w');
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
}
