// Inserts one table's share of a WAL range: the bodies as they were logged, concatenated, with a
// deduplication token derived from the range. The engine remembers the tokens of recent blocks
// (non_replicated_deduplication_window, migration 3), so re-inserting a range after a crash
// adds nothing if it had landed, in the table and in its materialized views alike.
import type { StoreClient } from '../client.js';
import type { WalRange } from './checkpoint.js';
import type { TelemetryTable } from './record.js';

export interface BodyInsert {
  /** Qualified table name, e.g. vigil.spans. */
  table: string;
  columns: readonly string[];
  /** JSONCompactEachRow lines, in order. */
  bodies: readonly Buffer[];
  token: string;
}

export type BodyInserter = (insert: BodyInsert) => Promise<void>;

/** The same range and table always give the same token; another log directory never does. */
export const deduplicationToken = (walId: string, range: WalRange, table: TelemetryTable): string =>
  `${walId}-${range.segment}-${range.start}-${range.end}-${table}`;

// chDB's rawInsert takes the settings for this insert only (clickhouse_settings through the embedded
// connection would become session-wide SETs and a stale token would silently drop the next
// insert), and reads the body in place; over HTTP the settings are per request anyway.
export function storeBodyInserter(store: StoreClient): BodyInserter {
  return ({ table, columns, bodies, token }) =>
    store.insertBody(table, columns, bodies.length === 1 ? bodies[0]! : Buffer.concat(bodies), {
      insert_deduplicate: 1,
      insert_deduplication_token: token,
      deduplicate_blocks_in_dependent_materialized_views: 1,
    });
}
