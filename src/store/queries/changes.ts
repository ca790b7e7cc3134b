// Deployments and config/flag/infra changes: written by the API, the CLI and inference from a new
// service.version, and read back by the API and the root-cause ranking.
import type { ChangeEvent } from '../../model/index.js';
import type { StoreClient } from '../client.js';
import { changeFromRow, changeRow, toMicros, type ChangeRowOut } from '../rows.js';
import { SqlFilter } from './filters.js';
import { insertRows } from './insert.js';

export async function insertChanges(store: StoreClient, changes: readonly ChangeEvent[]): Promise<void> {
  await insertRows(store, 'changes', changes.map(changeRow));
}

export interface ChangeQuery {
  service?: string;
  kinds?: string[];
  fromMs?: number;
  toMs?: number;
  limit: number;
}

export async function listChanges(store: StoreClient, q: ChangeQuery): Promise<ChangeEvent[]> {
  const f = new SqlFilter().eq('service', q.service);
  if (q.kinds?.length) f.add('kind IN ?', [{ type: 'Array(String)', value: q.kinds }]);
  if (q.fromMs !== undefined) f.add('time >= fromUnixTimestamp64Micro(?)', [{ type: 'Int64', value: toMicros(q.fromMs) }]);
  if (q.toMs !== undefined) f.add('time <= fromUnixTimestamp64Micro(?)', [{ type: 'Int64', value: toMicros(q.toMs) }]);
  const rs = await store.ch.query({
    query: `SELECT id, service, kind, toUnixTimestamp64Micro(time) AS time_us, version, previous_version, environment,
        commit, description, source, attributes
      FROM ${store.database}.changes FINAL ${f.where()} ORDER BY time DESC LIMIT {limit:UInt32}`,
    query_params: { ...f.params, limit: q.limit },
    format: 'JSONEachRow',
  });
  return (await rs.json<ChangeRowOut>()).map(changeFromRow);
}

/** The latest known version per service, used to infer deploys from telemetry after a restart. */
export async function latestVersions(store: StoreClient): Promise<Map<string, { version: string; timeMs: number }>> {
  const rs = await store.ch.query({
    query: `SELECT service, argMax(version, time) AS version, toUnixTimestamp64Milli(max(time)) AS t
      FROM ${store.database}.changes FINAL WHERE kind = 'deploy' GROUP BY service`,
    format: 'JSONEachRow',
  });
  const out = new Map<string, { version: string; timeMs: number }>();
  for (const r of await rs.json<{ service: string; version: string; t: number }>()) out.set(r.service, { version: r.version, timeMs: Number(r.t) });
  return out;
}
