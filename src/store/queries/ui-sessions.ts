// Web UI sessions kept in the store (migration 8) so a restart does not sign everyone out. Only
// hashes are stored: of the session id (the cookie's value) and of the key it stands for.
import type { StoreClient } from '../client.js';
import { insertRows } from './insert.js';

export interface StoredSession {
  idHash: string;
  keyHash: string;
  expiresAtMs: number;
}

export async function saveSession(store: StoreClient, s: StoredSession): Promise<void> {
  await insertRows(store, 'ui_sessions', [{ id_hash: s.idHash, key_hash: s.keyHash, expires_at: s.expiresAtMs }]);
}

/** The sessions still valid at nowMs, the soonest to expire first (the order they give way in). */
export async function loadSessions(store: StoreClient, nowMs: number): Promise<StoredSession[]> {
  const rs = await store.ch.query({
    query: `SELECT id_hash, any(key_hash) AS key_hash, toUnixTimestamp64Milli(max(expires_at)) AS expires_ms
      FROM ${store.database}.ui_sessions WHERE expires_at > fromUnixTimestamp64Milli({now:Int64})
      GROUP BY id_hash ORDER BY expires_ms, id_hash`,
    query_params: { now: nowMs },
    format: 'JSONEachRow',
  });
  return (await rs.json<{ id_hash: string; key_hash: string; expires_ms: string | number }>()).map((r) => ({
    idHash: r.id_hash,
    keyHash: r.key_hash,
    expiresAtMs: Number(r.expires_ms),
  }));
}

/** Deletes sessions by id hash (logout, a revoked key, the oldest giving way). */
export async function deleteSessions(store: StoreClient, idHashes: readonly string[]): Promise<void> {
  if (!idHashes.length) return;
  await store.ch.command({ query: `DELETE FROM ${store.database}.ui_sessions WHERE id_hash IN {ids:Array(String)}`, query_params: { ids: [...idHashes] } });
}

/** Deletes every session expired at nowMs. */
export async function purgeExpiredSessions(store: StoreClient, nowMs: number): Promise<void> {
  await store.ch.command({
    query: `DELETE FROM ${store.database}.ui_sessions WHERE expires_at <= fromUnixTimestamp64Milli({now:Int64})`,
    query_params: { now: nowMs },
  });
}
