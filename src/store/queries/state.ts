// Durable state of the engines: their snapshots and the signals they emitted (incidents and their
// timeline: incidents.ts).
import type { Signal } from '../../model/index.js';
import type { StoreClient } from '../client.js';
import { toMicros } from '../rows.js';
import { insertRows } from './insert.js';

export async function saveSnapshot(store: StoreClient, name: string, body: unknown, savedAt: number): Promise<void> {
  await saveSnapshotJson(store, name, JSON.stringify(body), savedAt);
}

/** For states that serialise themselves (large ones skip building an object copy first). */
export async function saveSnapshotJson(store: StoreClient, name: string, json: string, savedAt: number): Promise<void> {
  await insertRows(store, 'engine_state', [{ name, saved_at: Math.floor(savedAt), body: json }]);
}

export async function loadSnapshot<T>(store: StoreClient, name: string): Promise<T | undefined> {
  const rs = await store.ch.query({
    query: `SELECT argMax(body, saved_at) AS body FROM ${store.database}.engine_state WHERE name = {n:String} GROUP BY name`,
    query_params: { n: name },
    format: 'JSONEachRow',
  });
  const [row] = await rs.json<{ body: string }>();
  return row ? (JSON.parse(row.body) as T) : undefined;
}

export async function saveSignals(store: StoreClient, signals: readonly Signal[], nowMs: number): Promise<void> {
  await insertRows(
    store,
    'signals',
    signals.map((s) => ({
      id: s.id,
      key: s.key,
      kind: s.kind,
      status: s.status,
      service: s.subject.service,
      started_at: toMicros(s.startedAtMs),
      updated_at: toMicros(Math.max(nowMs, s.endedAtMs ?? 0, s.detectedAtMs)),
      body: JSON.stringify(s),
    })),
  );
}
