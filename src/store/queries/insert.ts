// Writing rows into one of the store's tables: every small write (records, keys, sessions, state)
// goes through here, so each names only its table and its columns. Telemetry takes the WAL's path.
import type { StoreClient } from '../client.js';

/** Inserts `rows` into `table` of this store's database; an empty batch sends nothing. */
export async function insertRows(store: StoreClient, table: string, rows: readonly object[]): Promise<void> {
  if (!rows.length) return;
  await store.ch.insert({ table: `${store.database}.${table}`, values: rows, format: 'JSONEachRow' });
}
