// The UI's server side through Fastify inject: the login page, the session cookie and its flags,
// return addresses that stay on this server, the API taking the cookie (read to view, write to act),
// the CSRF guard on cookie writes, logout and revocation, session expiry, and the static files.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApi, type ApiDeps } from '../api/index.js';
import { hashKey, type Scope } from '../auth/index.js';
import { SessionStore, UiAssets, registerUiRoutes, sessionIdOf } from './index.js';

/** Keys by hash, like KeyRing, without a store: revoking one deletes it. */
class MemoryKeys {
  readonly byHash = new Map<string, { id: string; name: string; scopes: Scope[] }>();
  add(key: string, id: string, scopes: Scope[]): void {
    this.byHash.set(hashKey(key), { id, name: id, scopes });
  }
  identifyHash(hash: string): { id: string; name: string; scopes: Set<Scope> } | null {
    const k = this.byHash.get(hash);
    return k ? { id: k.id, name: k.name, scopes: new Set(k.scopes) } : null;
  }
  identify(authorization: string | undefined): { id: string; name: string; scopes: Set<Scope> } | null {
    const m = /^Bearer\s+(\S+)$/.exec(authorization ?? '');
    return m?.[1] ? this.identifyHash(hashKey(m[1])) : null;
  }
}

void describe('ui-server: login, sessions and the cookie on the API', () => {
  let app: FastifyInstance;
  let dir: string;
  let clock = 1_000_000;
  const keys = new MemoryKeys();
  const sessions = new SessionStore(keys, { now: () => clock, ttlMs: 3_600_000 });
  const actions: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-ui-assets-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="app"></div>');
    writeFileSync(join(dir, 'assets', 'app-1.js'), 'console.log("app");'.repeat(50));
    keys.add('read-key-0123456789', 'reader', ['read']);
    keys.add('write-key-0123456789', 'writer', ['read', 'write']);
    keys.add('ingest-key-0123456789', 'ingester', ['ingest']);
    const deps = {
      keys,
      sessions,
      audit: { record: () => Promise.resolve(), list: () => Promise.resolve({ items: [] }) },
      clock: { mode: 'wall', now: () => clock, watermarkMs: () => clock },
      changes: {
        record: (input: { service: string; kind: string; description?: string }) => {
          actions.push(`${input.service}:${input.kind}`);
          return Promise.resolve({
            id: 'c1',
            service: input.service,
            kind: input.kind,
            timeMs: clock,
            version: '',
            previousVersion: '',
            environment: '',
            commit: '',
            description: input.description ?? '',
            source: 'api',
            attributes: {},
          });
        },
      },
    } as unknown as ApiDeps;
    app = buildApi(deps, { bodyLimitBytes: 65_536 });
    registerUiRoutes(app, { keys, sessions }, { assets: new UiAssets(dir), secure: false, sessionTtlMs: 3_600_000 });
    await app.ready();
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  const login = async (key: string, next = '/incidents/7', origin = 'http://vigil.test') =>
    app.inject({
      method: 'POST',
      url: '/login',
      headers: { host: 'vigil.test', origin, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ key, next }).toString(),
    });
  const cookieOf = (res: { headers: Record<string, unknown> }): string => String(res.headers['set-cookie']).split(';')[0]!;

  void it('answers a deep link without a session with the login page: one password field, the way back kept, a strict CSP', async () => {
    const res = await app.inject({ url: '/incidents/7?tab=logs' });
    assert.equal(res.statusCode, 200);
    assert.equal((res.body.match(/<input /g) ?? []).length, 2, 'the key field and the hidden return address');
    assert.equal((res.body.match(/type="password"/g) ?? []).length, 1);
    assert.match(res.body, /name="next" value="\/incidents\/7\?tab=logs"/);
    assert.match(String(res.headers['content-security-policy']), /script-src 'self';/);
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  void it('refuses unknown and ingest-only keys, and sets an HttpOnly SameSite=Strict cookie for a read key', async () => {
    assert.equal((await login('nope-0123456789')).statusCode, 401);
    assert.equal((await login('ingest-key-0123456789')).statusCode, 401, 'an ingest key cannot view');
    const ok = await login('read-key-0123456789');
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/incidents/7');
    const setCookie = String(ok.headers['set-cookie']);
    assert.match(setCookie, /^vigil_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=3600$/);
    const app1 = await app.inject({ url: '/incidents/7', headers: { cookie: cookieOf(ok) } });
    assert.equal(app1.body, '<!doctype html><div id="app"></div>', 'a session gets the app');
  });

  void it('never returns to another site after login, and refuses a login posted from another origin', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      assert.equal((await login('read-key-0123456789', next)).headers.location, '/', next);
    }
    assert.equal((await login('read-key-0123456789', '/', 'https://evil.example')).statusCode, 403);
  });

  void it('lets the cookie read the API; writes need the write scope, the UI header and the same origin', async () => {
    const reader = cookieOf(await login('read-key-0123456789'));
    const writer = cookieOf(await login('write-key-0123456789'));
    const session = await app.inject({ url: '/api/v1/session', headers: { cookie: reader } });
    assert.deepEqual(session.json(), { name: 'reader', scopes: ['read'], via: 'session' });
    const change = JSON.stringify({ service: 'payment', kind: 'flag', description: 'checkout-v2 on' });
    const post = (cookie: string, headers: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/changes',
        headers: { cookie, host: 'vigil.test', 'content-type': 'application/json', ...headers },
        payload: change,
      });
    assert.equal((await post(writer)).json().error.code, 'VIGIL_CSRF', 'no UI header');
    assert.equal((await post(writer, { 'x-vigil-request': 'ui', origin: 'https://evil.example' })).json().error.code, 'VIGIL_CSRF', 'another origin');
    assert.equal((await post(reader, { 'x-vigil-request': 'ui', origin: 'http://vigil.test' })).json().error.code, 'VIGIL_FORBIDDEN', 'read scope views only');
    const ok = await post(writer, { 'x-vigil-request': 'ui', origin: 'http://vigil.test' });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.deepEqual(actions, ['payment:flag']);
    const bearer = await app.inject({
      method: 'POST',
      url: '/api/v1/changes',
      headers: { authorization: 'Bearer write-key-0123456789', 'content-type': 'application/json' },
      payload: change,
    });
    assert.equal(bearer.statusCode, 201, 'scripts with a Bearer key need no UI header');
    const wrongBearer = await app.inject({ url: '/api/v1/session', headers: { authorization: 'Bearer nope', cookie: writer } });
    assert.equal(wrongBearer.statusCode, 401, 'a Bearer key, when sent, decides alone');
  });

  void it('ends sessions on logout, on revocation of the key and when they expire', async () => {
    const a = cookieOf(await login('read-key-0123456789'));
    const out = await app.inject({
      method: 'POST',
      url: '/logout',
      headers: { cookie: a, host: 'vigil.test', origin: 'http://vigil.test', 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    assert.equal(out.statusCode, 303);
    assert.match(String(out.headers['set-cookie']), /Max-Age=0/);
    assert.equal((await app.inject({ url: '/api/v1/session', headers: { cookie: a } })).statusCode, 401);

    const b = cookieOf(await login('read-key-0123456789'));
    clock += 3_600_001;
    assert.equal((await app.inject({ url: '/api/v1/session', headers: { cookie: b } })).statusCode, 401, 'expired');

    keys.add('doomed-key-0123456789', 'doomed', ['read']);
    const c = cookieOf(await login('doomed-key-0123456789'));
    assert.equal((await app.inject({ url: '/api/v1/session', headers: { cookie: c } })).statusCode, 200);
    keys.byHash.delete(hashKey('doomed-key-0123456789'));
    assert.equal((await app.inject({ url: '/api/v1/session', headers: { cookie: c } })).statusCode, 401, 'revoked key');
  });

  void it('serves hashed assets gzipped and immutable, and nothing outside the UI folder', async () => {
    const js = await app.inject({ url: '/assets/app-1.js', headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(js.statusCode, 200);
    assert.equal(js.headers['content-encoding'], 'gzip');
    assert.match(String(js.headers['cache-control']), /immutable/);
    for (const url of ['/assets/../index.html', '/assets/%2e%2e/index.html', '/assets/..%2findex.html', '/assets/nope.js']) {
      const res = await app.inject({ url });
      assert.ok(res.statusCode >= 400 && !res.body.includes('id="app"'), `${url}: ${res.statusCode}`);
    }
  });

  void it('reads only a well-formed session id from the Cookie header', () => {
    assert.equal(sessionIdOf('a=1; vigil_session=abcdefghijklmnopqrstuvwxyz012345; b=2'), 'abcdefghijklmnopqrstuvwxyz012345');
    assert.equal(sessionIdOf('vigil_session=short'), undefined);
    assert.equal(sessionIdOf('vigil_session=abc"def<script>ghijklmnopqrstuvw'), undefined);
    assert.equal(sessionIdOf(undefined), undefined);
  });

  void it('bounds live sessions: the oldest gives way', async () => {
    const small = new SessionStore(keys, { maxSessions: 3, now: () => 0 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await small.create('read-key-0123456789'))!.sessionId);
    assert.equal(small.size, 3);
    assert.equal(small.identify(`vigil_session=${ids[0]}`), null);
    assert.ok(small.identify(`vigil_session=${ids[4]}`));
  });
});
