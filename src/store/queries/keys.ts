// API keys, stored as SHA-256 hashes: a leaked data directory does not leak usable keys.
import type { StoreClient } from '../client.js';
import { insertRows } from './insert.js';

export interface StoredKey {
  id: string;
  name: string;
  hash: string;
  scopes: string[];
  createdAtMs: number;
  revokedAtMs: number | null;
}

export async function insertKey(store: StoreClient, key: StoredKey): Promise<void> {
  await insertRows(store, 'api_keys', [
    { id: key.id, name: key.name, hash: key.hash, scopes: key.scopes, created_at: key.createdAtMs, revoked_at: key.revokedAtMs, version: Date.now() },
  ]);
}

export async function listKeys(store: StoreClient): Promise<StoredKey[]> {
  const rs = await store.ch.query({
    query: `SELECT id, name, hash, scopes, toUnixTimestamp64Milli(created_at) AS c, if(isNull(revoked_at), 0, toUnixTimestamp64Milli(assumeNotNull(revoked_at))) AS r
      FROM ${store.database}.api_keys FINAL ORDER BY created_at`,
    format: 'JSONEachRow',
  });
  return (await rs.json<{ id: string; name: string; hash: string; scopes: string[]; c: number; r: number }>()).map((r) => ({
    id: r.id,
    name: r.name,
    hash: r.hash,
    scopes: r.scopes,
    createdAtMs: Number(r.c),
    revokedAtMs: Number(r.r) || null,
  }));
}
