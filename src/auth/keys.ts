// API keys with scopes. Keys are random, shown once, and kept only as SHA-256 hashes. The admin
// key comes from VIGIL_API_KEY or is generated on the first start and printed once.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { StoreClient } from '../store/index.js';
import { insertKey, listKeys, type StoredKey } from '../store/index.js';

export type Scope = 'ingest' | 'read' | 'write' | 'admin';
export const allScopes: readonly Scope[] = ['ingest', 'read', 'write', 'admin'];

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');
export const generateKey = (): string => `vgl_${randomBytes(24).toString('base64url')}`;

export interface KeyInfo {
  id: string;
  name: string;
  scopes: Scope[];
  createdAtMs: number;
  revokedAtMs: number | null;
}

export class KeyRing {
  private byHash = new Map<string, StoredKey>();

  private constructor(
    private readonly store: StoreClient,
    private readonly envKeyHash: string | undefined,
  ) {}

  /** Loads stored keys; returns the generated admin key when one had to be created. */
  static async open(store: StoreClient, envAdminKey: string | undefined, nowMs: number): Promise<{ ring: KeyRing; generatedAdminKey?: string }> {
    const ring = new KeyRing(store, envAdminKey ? hashKey(envAdminKey) : undefined);
    for (const k of await listKeys(store)) ring.byHash.set(k.hash, k);
    if (envAdminKey || [...ring.byHash.values()].some((k) => !k.revokedAtMs && k.scopes.includes('admin'))) return { ring };
    const generated = generateKey();
    await ring.add({ name: 'admin (first start)', scopes: ['admin'], key: generated, nowMs });
    return { ring, generatedAdminKey: generated };
  }

  /** Who a bearer key is and the scopes it grants, or null when it is unknown or revoked. */
  identify(authorization: string | undefined): { id: string; name: string; scopes: Set<Scope> } | null {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) return null;
    return this.identifyHash(hashKey(match[1]));
  }

  /** Who the key with this SHA-256 hash is (UI sessions keep only the hash), or null. */
  identifyHash(hash: string): { id: string; name: string; scopes: Set<Scope> } | null {
    if (hash === this.envKeyHash) return { id: 'env', name: 'VIGIL_API_KEY', scopes: new Set(allScopes) };
    const stored = this.byHash.get(hash);
    if (!stored || stored.revokedAtMs) return null;
    return { id: stored.id, name: stored.name, scopes: new Set(stored.scopes.includes('admin') ? allScopes : (stored.scopes as Scope[])) };
  }

  /** The scopes a bearer key grants, or null when it is unknown or revoked. */
  scopesOf(authorization: string | undefined): Set<Scope> | null {
    return this.identify(authorization)?.scopes ?? null;
  }

  allows(authorization: string | undefined, scope: Scope): boolean {
    return this.scopesOf(authorization)?.has(scope) ?? false;
  }

  async add(o: { name: string; scopes: Scope[]; key?: string; nowMs: number }): Promise<{ key: string; info: KeyInfo }> {
    const key = o.key ?? generateKey();
    const stored: StoredKey = { id: randomUUID(), name: o.name, hash: hashKey(key), scopes: o.scopes, createdAtMs: o.nowMs, revokedAtMs: null };
    await insertKey(this.store, stored);
    this.byHash.set(stored.hash, stored);
    return { key, info: toInfo(stored) };
  }

  async revoke(id: string, nowMs: number): Promise<boolean> {
    const stored = [...this.byHash.values()].find((k) => k.id === id);
    if (!stored || stored.revokedAtMs) return false;
    const revoked = { ...stored, revokedAtMs: nowMs };
    await insertKey(this.store, revoked);
    this.byHash.set(revoked.hash, revoked);
    return true;
  }

  list(): KeyInfo[] {
    return [...this.byHash.values()].map(toInfo);
  }
}

const toInfo = (k: StoredKey): KeyInfo => ({ id: k.id, name: k.name, scopes: k.scopes as Scope[], createdAtMs: k.createdAtMs, revokedAtMs: k.revokedAtMs });
