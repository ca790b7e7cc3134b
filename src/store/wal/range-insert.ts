// A WAL range as the store's inserts, run together: one per table, or several when a table's rows
// span more days than one insert may (split.ts). When some fail, the error says which, with each
// failure classified (refusal.ts) and described for the log by counts and scrubbed reason only.
import type { WalRange } from './checkpoint.js';
import { deduplicationToken, type BodyInserter } from './insert.js';
import { telemetryTables, type TableChunk } from './record.js';
import { classifyRefusal, type Refusal } from './refusal.js';
import { planInserts, type PlannedInsert } from './split.js';

export interface FailedInsert {
  insert: PlannedInsert;
  err: unknown;
  refusal: Refusal;
}

/** Some of a range's inserts failed (the others landed under their tokens). Its message holds no row data. */
export class RangeInsertError extends Error {
  constructor(readonly failed: readonly FailedInsert[]) {
    super(`insert into ${failed.map((f) => f.insert.table).join(', ')} failed: ${failed[0]!.refusal.reason}`);
  }
}

/** What a log line may say about failed inserts: table, counts, bytes, the store's code and scrubbed reason. */
export const describeFailures = (failed: readonly FailedInsert[]): object[] =>
  failed.map(({ insert, refusal }) => ({
    table: insert.table,
    rows: insert.rows,
    bytes: insert.bytes,
    code: refusal.code,
    transient: refusal.transient,
    reason: refusal.reason,
  }));

/** The inserts of a range's chunks, tokens derived from the log id and the range. */
export function planRange(database: string, walId: string, range: WalRange, chunks: readonly TableChunk[]): PlannedInsert[] {
  return telemetryTables.flatMap((table): PlannedInsert[] => {
    const mine = chunks.filter((c) => c.table === table && c.rows > 0);
    if (!mine.length) return [];
    const days = mine.every((c) => c.days) ? { min: Math.min(...mine.map((c) => c.days!.min)), max: Math.max(...mine.map((c) => c.days!.max)) } : undefined;
    const rows = mine.reduce((a, c) => a + c.rows, 0);
    return planInserts({
      table,
      qualified: `${database}.${table}`,
      columns: mine[0]!.columns,
      bodies: mine.map((c) => c.body),
      rows,
      days,
      token: deduplicationToken(walId, range, table),
    });
  });
}

/** Runs the inserts side by side; throws RangeInsertError naming those that failed. */
export async function runInserts(inserter: BodyInserter, inserts: readonly PlannedInsert[]): Promise<void> {
  const results = await Promise.allSettled(inserts.map((i) => inserter(i)));
  const failed = results.flatMap((r, i): FailedInsert[] =>
    r.status === 'rejected' ? [{ insert: inserts[i]!, err: r.reason as unknown, refusal: classifyRefusal(r.reason) }] : [],
  );
  if (failed.length) throw new RangeInsertError(failed);
}
