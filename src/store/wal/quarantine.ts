// Rows the store refuses for what they are (a value it cannot parse, an escape it rejects, too many
// partitions: see refusal.ts) are not lost and do not block the log: after repeated refusals the
// writer moves that insert to a quarantine folder beside the log, with what it takes to insert it
// by hand once the cause is fixed, and goes on. Every other failure (store down, disk full, memory
// limit) is retried: there backpressure, not a detour, is the answer.
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { BodyInsert } from './insert.js';

/**
 * Writes the insert to <dir>/<token>.rows (its JSONCompactEachRow body, as logged) and
 * <token>.json (table, columns, the store's reason, the statement that inserts it), flushed to disk
 * before the caller lets the log forget it. Returns the rows file.
 */
export async function quarantineInsert(dir: string, insert: BodyInsert, reason: string, at: Date): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const rowsFile = join(dir, `${insert.token}.rows`);
  const about = {
    table: insert.table,
    columns: insert.columns,
    // The full message: it may quote a row, as the .rows file beside it does anyway.
    reason: reason.slice(0, 4000),
    quarantinedAt: at.toISOString(),
    insertWith: `INSERT INTO ${insert.table} (${insert.columns.join(', ')}) FORMAT JSONCompactEachRow`,
  };
  await writeDurably(rowsFile, Buffer.concat(insert.bodies));
  await writeDurably(join(dir, `${insert.token}.json`), Buffer.from(`${JSON.stringify(about, null, 2)}\n`));
  return rowsFile;
}

async function writeDurably(path: string, data: Buffer): Promise<void> {
  const file = await open(path, 'w', 0o600);
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
}
