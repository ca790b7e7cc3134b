// Synthetic check runs: written after each run, read back per check for the API and the CLI.
import type { StoreClient } from '../client.js';
import { SqlFilter } from './filters.js';
import { insertRows } from './insert.js';

export interface StoredCheckRun {
  name: string;
  kind: string;
  atMs: number;
  ok: boolean;
  durationMs: number;
  error: string;
  traceId: string;
  /** JSON of the steps (names, durations, assertions). */
  steps: unknown[];
  details: Record<string, unknown>;
}

export async function insertCheckRuns(store: StoreClient, runs: readonly StoredCheckRun[]): Promise<void> {
  await insertRows(
    store,
    'check_runs',
    runs.map((r) => ({
      name: r.name,
      kind: r.kind,
      time: Math.round(r.atMs),
      ok: r.ok,
      duration_ms: r.durationMs,
      error: r.error,
      trace_id: r.traceId,
      steps: JSON.stringify(r.steps),
      details: JSON.stringify(r.details),
    })),
  );
}

/** Newest first. */
export async function listCheckRuns(store: StoreClient, q: { name: string; fromMs: number; toMs: number; limit: number }): Promise<StoredCheckRun[]> {
  const f = new SqlFilter()
    .eq('name', q.name)
    .add('time >= fromUnixTimestamp64Milli(?)', [{ type: 'Int64', value: Math.floor(q.fromMs) }])
    .add('time <= fromUnixTimestamp64Milli(?)', [{ type: 'Int64', value: Math.ceil(q.toMs) }]);
  const rs = await store.ch.query({
    query: `SELECT name, kind, toUnixTimestamp64Milli(time) AS t, ok, duration_ms, error, trace_id, steps, details
      FROM ${store.database}.check_runs ${f.where()} ORDER BY time DESC LIMIT {limit:UInt32}`,
    query_params: { ...f.params, limit: q.limit },
    format: 'JSONEachRow',
  });
  return (await rs.json<CheckRunRow>()).map(runOf);
}

/** The latest run of each check, for the checks list after a restart. */
export async function latestCheckRuns(store: StoreClient): Promise<StoredCheckRun[]> {
  const rs = await store.ch.query({
    query: `SELECT name, argMax(kind, time) AS kind, toUnixTimestamp64Milli(max(time)) AS t, argMax(ok, time) AS ok, argMax(duration_ms, time) AS duration_ms,
        argMax(error, time) AS error, argMax(trace_id, time) AS trace_id
      FROM ${store.database}.check_runs WHERE time > now() - INTERVAL 7 DAY GROUP BY name`,
    format: 'JSONEachRow',
  });
  return (await rs.json<CheckRunRow>()).map(runOf);
}

/** A run as both reads select it; the latest-runs read leaves out the steps and details. */
interface CheckRunRow {
  name: string;
  kind: string;
  t: string | number;
  ok: boolean;
  duration_ms: number;
  error: string;
  trace_id: string;
  steps?: string;
  details?: string;
}

function runOf(r: CheckRunRow): StoredCheckRun {
  return {
    name: r.name,
    kind: r.kind,
    atMs: Number(r.t),
    ok: Boolean(r.ok),
    durationMs: Number(r.duration_ms),
    error: r.error,
    traceId: r.trace_id,
    steps: r.steps === undefined ? [] : parseJson(r.steps, []),
    details: r.details === undefined ? {} : parseJson(r.details, {}),
  };
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
