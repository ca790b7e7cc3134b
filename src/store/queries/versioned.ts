// Objects operators make and change by whole versions (silences, alert rules, stakeholder updates):
// each write is a new version of the object as JSON; reads take the latest version of each id and
// skip tombstones. Tables from migration 7.
import type { StoreClient } from '../client.js';
import { insertRows } from './insert.js';

export type VersionedTable = 'silences' | 'alert_rules' | 'stakeholder_updates';

export interface VersionedRow {
  id: string;
  /** Larger wins; callers use a counter that only grows (e.g. max(now µs, last + 1)). */
  version: number;
  deleted?: boolean;
  body: unknown;
}

export async function saveVersioned(store: StoreClient, table: VersionedTable, rows: readonly VersionedRow[]): Promise<void> {
  await insertRows(
    store,
    table,
    rows.map((r) => ({
      id: r.id,
      version: Math.floor(r.version),
      deleted: Boolean(r.deleted),
      body: JSON.stringify(r.body),
    })),
  );
}

/** The latest version of every object not deleted, oldest id first. */
export async function loadVersioned<T>(store: StoreClient, table: VersionedTable): Promise<Array<{ id: string; version: number; body: T }>> {
  const rs = await store.ch.query({
    query: `SELECT id, max(version) AS v, argMax(deleted, version) AS gone, argMax(body, version) AS body FROM ${store.database}.${table} GROUP BY id HAVING NOT gone ORDER BY id`,
    format: 'JSONEachRow',
  });
  const rows = await rs.json<{ id: string; v: string | number; body: string }>();
  return rows.map((r) => ({ id: r.id, version: Number(r.v), body: JSON.parse(r.body) as T }));
}
