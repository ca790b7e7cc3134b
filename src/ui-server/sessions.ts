// UI sessions: a browser logs in once with an API key and then carries an opaque, random session
// id in an HttpOnly cookie. Only the key's hash is kept, in memory, so the key's revocation ends
// its sessions at the next request; a restart logs everyone out (a re-login is one paste).
import { createHash, randomBytes } from 'node:crypto';
import { hashKey, type Scope } from '../auth/index.js';

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

const idHash = (sessionId: string): string => createHash('sha256').update(sessionId).digest('hex');

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly options: SessionOptions;

  constructor(
    private readonly keys: KeyLookup,
    options: Partial<SessionOptions> = {},
  ) {
    this.options = { ...defaultSessionOptions, ...options };
  }

  /** A new session for a key that may view (read scope); null for an unknown key or one that may not. */
  create(key: string): { sessionId: string; identity: SessionIdentity } | null {
    const keyHash = hashKey(key);
    const identity = this.keys.identifyHash(keyHash);
    if (!identity?.scopes.has('read')) return null;
    this.expire();
    // The oldest session gives way first (Map keeps insertion order).
    while (this.sessions.size >= this.options.maxSessions) this.sessions.delete(this.sessions.keys().next().value as string);
    const sessionId = randomBytes(32).toString('base64url');
    this.sessions.set(idHash(sessionId), { keyHash, expiresAtMs: this.options.now() + this.options.ttlMs });
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
    if (!identity) this.sessions.delete(key);
    return identity;
  }

  destroy(cookieHeader: string | undefined): void {
    const sessionId = sessionIdOf(cookieHeader);
    if (sessionId) this.sessions.delete(idHash(sessionId));
  }

  get size(): number {
    return this.sessions.size;
  }

  private expire(): void {
    const now = this.options.now();
    for (const [k, s] of this.sessions) if (s.expiresAtMs <= now) this.sessions.delete(k);
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
