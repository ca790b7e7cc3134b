// UI sessions: a browser logs in once with an API key and then carries an opaque, random session
// id in an HttpOnly cookie. Only hashes are kept (of the id and of the key), so the key's revocation
// ends its sessions at the next request. Sessions are answered from memory and written through to
// the store (when given one), so a restart keeps everyone signed in; expired ones are purged.
import { createHash, randomBytes } from 'node:crypto';
import { hashKey, type Scope } from '../auth/index.js';
import { deleteSessions, loadSessions, purgeExpiredSessions, saveSession, type StoreClient, type StoredSession } from '../store/index.js';

export const SESSION_COOKIE = 'vigil_session';

/** Identifies a key by its hash (KeyRing implements it): the scopes a session grants follow the key's. */
export interface KeyLookup {
  identifyHash(hash: string): { id: string; name: string; scopes: Set<Scope> } | null;
}

export interface SessionIdentity {
  id: string;
  name: string;
  scopes: Set<Scope>;
}

interface Session {
  keyHash: string;
  expiresAtMs: number;
}

export interface SessionOptions {
  /** How long a session lasts after login (a working day and then some). */
  ttlMs: number;
  /** Bound on live sessions, so logins in a loop cannot grow memory without end. */
  maxSessions: number;
  /** Wall clock: sessions expire in real time even when the engine follows event time. */
  now: () => number;
}

export const defaultSessionOptions: SessionOptions = { ttlMs: 12 * 3_600_000, maxSessions: 10_000, now: () => Date.now() };

/** Where sessions outlive the process (the store's ui_sessions table; see storedSessions). */
export interface SessionPersistence {
  load(nowMs: number): Promise<StoredSession[]>;
  save(session: StoredSession): Promise<void>;
  remove(idHashes: readonly string[]): Promise<void>;
  purgeExpired(nowMs: number): Promise<void>;
}

export const storedSessions = (store: StoreClient): SessionPersistence => ({
  load: (nowMs) => loadSessions(store, nowMs),
  save: (session) => saveSession(store, session),
  remove: (idHashes) => deleteSessions(store, idHashes),
  purgeExpired: (nowMs) => purgeExpiredSessions(store, nowMs),
});

const idHash = (sessionId: string): string => createHash('sha256').update(sessionId).digest('hex');

/** Expired rows are purged from the store at start and then at most this often (on a login). */
const purgeEveryMs = 3_600_000;

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly options: SessionOptions;
  private lastPurgeMs = -Infinity;

  constructor(
    private readonly keys: KeyLookup,
    options: Partial<SessionOptions> = {},
    private readonly persistence?: SessionPersistence,
    /** Told when a background delete fails (the next purge or start catches up). */
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    this.options = { ...defaultSessionOptions, ...options };
  }

  /** Sessions from the store: the expired purged, the live ones loaded, soonest to expire first. */
  static async open(
    keys: KeyLookup,
    persistence: SessionPersistence,
    options: Partial<SessionOptions> = {},
    onError?: (err: unknown) => void,
  ): Promise<SessionStore> {
    const store = new SessionStore(keys, options, persistence, onError);
    const now = store.options.now();
    await persistence.purgeExpired(now);
    store.lastPurgeMs = now;
    for (const s of await persistence.load(now)) store.sessions.set(s.idHash, { keyHash: s.keyHash, expiresAtMs: s.expiresAtMs });
    return store;
  }

  /**
   * A new session for a key that may view (read scope); null for an unknown key or one that may
   * not. Resolves once the session is stored, so a restart right after the login keeps it.
   */
  async create(key: string): Promise<{ sessionId: string; identity: SessionIdentity } | null> {
    const keyHash = hashKey(key);
    const identity = this.keys.identifyHash(keyHash);
    if (!identity?.scopes.has('read')) return null;
    this.expire();
    // The oldest session gives way first (Map keeps insertion order).
    const evicted: string[] = [];
    while (this.sessions.size >= this.options.maxSessions) {
      const oldest = this.sessions.keys().next().value as string;
      this.sessions.delete(oldest);
      evicted.push(oldest);
    }
    if (evicted.length) this.forget(evicted);
    const sessionId = randomBytes(32).toString('base64url');
    const session = { keyHash, expiresAtMs: this.options.now() + this.options.ttlMs };
    const hash = idHash(sessionId);
    this.sessions.set(hash, session);
    await this.persistence?.save({ idHash: hash, ...session });
    return { sessionId, identity };
  }

  /** Who the session in a Cookie header is, or null (no cookie, unknown, expired, key revoked). */
  identify(cookieHeader: string | undefined): SessionIdentity | null {
    const sessionId = sessionIdOf(cookieHeader);
    if (!sessionId) return null;
    const key = idHash(sessionId);
    const session = this.sessions.get(key);
    if (!session) return null;
    if (session.expiresAtMs <= this.options.now()) {
      this.sessions.delete(key);
      return null;
    }
    const identity = this.keys.identifyHash(session.keyHash);
    if (!identity) {
      this.sessions.delete(key);
      this.forget([key]);
    }
    return identity;
  }

  /** Ends the session in a Cookie header; resolves once it is gone from the store too. */
  async destroy(cookieHeader: string | undefined): Promise<void> {
    const sessionId = sessionIdOf(cookieHeader);
    if (!sessionId) return;
    const hash = idHash(sessionId);
    if (this.sessions.delete(hash)) await this.persistence?.remove([hash]);
  }

  get size(): number {
    return this.sessions.size;
  }

  private expire(): void {
    const now = this.options.now();
    for (const [k, s] of this.sessions) if (s.expiresAtMs <= now) this.sessions.delete(k);
    if (this.persistence && now - this.lastPurgeMs >= purgeEveryMs) {
      this.lastPurgeMs = now;
      this.persistence.purgeExpired(now).catch(this.onError);
    }
  }

  /** Deletes in the background: memory already refuses these sessions; the store follows. */
  private forget(idHashes: string[]): void {
    this.persistence?.remove(idHashes).catch(this.onError);
  }
}

/** The session id from a Cookie header; ids are base64url, anything else is ignored. */
export function sessionIdOf(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (/^[A-Za-z0-9_-]{20,100}$/.test(value)) return value;
  }
  return undefined;
}

/** The Set-Cookie value: HttpOnly (no script reads it), SameSite=Strict (no other site sends it). */
export function sessionCookie(sessionId: string, o: { secure: boolean; maxAgeSeconds: number }): string {
  return `${SESSION_COOKIE}=${sessionId}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${o.maxAgeSeconds}${o.secure ? '; Secure' : ''}`;
}

export const clearedSessionCookie = (secure: boolean): string => `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
