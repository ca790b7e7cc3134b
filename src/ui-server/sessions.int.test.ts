// UI sessions on the embedded store: a login survives a restart (store closed and reopened, a new
// SessionStore and a new server), only hashes are stored, logout and a revoked key end a session
// for good, and expired sessions are purged from the table when the sessions are opened.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildApi, type ApiDeps } from '../api/index.js';
import { hashKey, type Scope } from '../auth/index.js';
import { migrate, openStore, type StoreClient } from '../store/index.js';
import { registerUiRoutes, SessionStore, storedSessions, UiAssets } from './index.js';

class MemoryKeys {
  readonly byHash = new Map<string, { id: string; scopes: Scope[] }>();
  add(key: string, id: string): void {
    this.byHash.set(hashKey(key), { id, scopes: ['read'] });
  }
  identifyHash(hash: string): { id: string; name: string; scopes: Set<Scope> } | null {
    const k = this.byHash.get(hash);
    return k ? { id: k.id, name: k.id, scopes: new Set(k.scopes) } : null;
  }
  identify(): null {
    return null;
  }
}

const TTL = 3_600_000;
const cookie = (sessionId: string): string => `vigil_session=${sessionId}`;

void describe('ui-server: sessions kept in the store', () => {
  let dir: string;
  let store: StoreClient;
  let clock = Date.UTC(2026, 11, 6, 8, 0, 0);
  const keys = new MemoryKeys();
  const open = (): Promise<SessionStore> => SessionStore.open(keys, storedSessions(store), { ttlMs: TTL, now: () => clock });
  /** The process going away and coming back on the same data directory. */
  const restart = async (): Promise<SessionStore> => {
    await store.close();
    store = await openStore({ dataDir: dir });
    return open();
  };
  const rows = async (): Promise<Array<{ id_hash: string; key_hash: string }>> =>
    (await store.ch.query({ query: `SELECT id_hash, key_hash FROM ${store.database}.ui_sessions ORDER BY id_hash`, format: 'JSONEachRow' })).json();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-sessions-'));
    store = await openStore({ dataDir: dir });
    await migrate(store);
    keys.add('alice-key-0123456789', 'alice');
    keys.add('bob-key-0123456789', 'bob');
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  void it('keeps a login across a restart, storing only the hashes of the session id and of the key', async () => {
    const before = await open();
    const alice = (await before.create('alice-key-0123456789'))!;
    assert.equal(before.identify(cookie(alice.sessionId))?.id, 'alice');
    const stored = await rows();
    assert.deepEqual(stored, [{ id_hash: createHash('sha256').update(alice.sessionId).digest('hex'), key_hash: hashKey('alice-key-0123456789') }]);
    assert.ok(!JSON.stringify(stored).includes(alice.sessionId) && !JSON.stringify(stored).includes('alice-key'), 'neither the cookie nor the key is stored');

    const after = await restart();
    assert.equal(after.identify(cookie(alice.sessionId))?.id, 'alice', 'still signed in after the restart');
    assert.equal(after.identify(cookie('x'.repeat(43))), null);
    await after.destroy(cookie(alice.sessionId));
    assert.equal((await restart()).identify(cookie(alice.sessionId)), null, 'a logout holds across a restart');
  });

  void it('purges expired sessions when opened, and keeps the live ones', async () => {
    const sessions = await open();
    const old = (await sessions.create('alice-key-0123456789'))!;
    clock += TTL / 2;
    const fresh = (await sessions.create('bob-key-0123456789'))!;
    assert.equal((await rows()).length, 2);
    clock += TTL / 2 + 1;
    const reopened = await restart();
    assert.equal(reopened.identify(cookie(old.sessionId)), null, 'expired');
    assert.equal(reopened.identify(cookie(fresh.sessionId))?.id, 'bob');
    assert.deepEqual(
      (await rows()).map((r) => r.key_hash),
      [hashKey('bob-key-0123456789')],
      'the expired row is gone from the store',
    );
    await reopened.destroy(cookie(fresh.sessionId));
  });

  void it('forgets the sessions of a revoked key, in the store too', async () => {
    keys.add('carol-key-0123456789', 'carol');
    const carol = (await (await open()).create('carol-key-0123456789'))!;
    keys.byHash.delete(hashKey('carol-key-0123456789'));
    const reopened = await restart();
    assert.equal(reopened.identify(cookie(carol.sessionId)), null);
    for (let i = 0; i < 50 && (await rows()).length; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(await rows(), [], 'deleted in the background once refused');
  });

  void it('signs a browser in through one server and lets it in through the next', async () => {
    const assets = mkdtempSync(join(tmpdir(), 'vigil-ui-assets-'));
    mkdirSync(join(assets, 'assets'));
    writeFileSync(join(assets, 'index.html'), '<!doctype html><div id="app"></div>');
    const server = async (): Promise<ReturnType<typeof buildApi>> => {
      const sessions = await open();
      const deps = {
        keys,
        sessions,
        audit: { record: () => Promise.resolve(), list: () => Promise.resolve({ items: [] }) },
        clock: { mode: 'wall', now: () => clock, watermarkMs: () => clock },
      } as unknown as ApiDeps;
      const app = buildApi(deps, { bodyLimitBytes: 65_536 });
      registerUiRoutes(app, { keys, sessions }, { assets: new UiAssets(assets), secure: false, sessionTtlMs: TTL });
      await app.ready();
      return app;
    };
    const first = await server();
    const login = await first.inject({
      method: 'POST',
      url: '/login',
      headers: { host: 'vigil.test', 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'key=alice-key-0123456789&next=%2Fincidents%2F3',
    });
    assert.equal(login.statusCode, 303);
    const sessionCookie = String(login.headers['set-cookie']).split(';')[0]!;
    await first.close();
    await store.close();
    store = await openStore({ dataDir: dir });
    const second = await server();
    const page = await second.inject({ url: '/incidents/3', headers: { cookie: sessionCookie } });
    assert.equal(page.body, '<!doctype html><div id="app"></div>', 'the app, not the login page');
    assert.deepEqual((await second.inject({ url: '/api/v1/session', headers: { cookie: sessionCookie } })).json(), {
      name: 'alice',
      scopes: ['read'],
      via: 'session',
    });
    await second.close();
    rmSync(assets, { recursive: true, force: true });
  });
});
