// Scopes are decided by the route that matched: every route, reached through encoded, doubled-slash,
// dot-segment and case variants of its path, needs exactly the scope it declares. Real keys on the
// embedded store, real HTTP (raw paths, no client-side normalisation).
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { AuditTrail } from '../audit/index.js';
import { KeyRing, type Scope } from '../auth/index.js';
import type { StoreClient } from '../store/index.js';
import { access, declaredRoutes, requireDeclaredAccess, type DeclaredRoute } from './access.js';
import { buildApi } from './app.js';
import type { ApiDeps } from './ports.js';
import { ScratchStore } from '../store/testing/scratch-store.js';

const ADMIN = 'test-admin-key-0123456789abcdef';

interface RawResponse {
  status: number;
  body: string;
}

function raw(port: number, method: string, path: string, key: string | null, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
    if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A concrete path for a route pattern (params filled in). */
const concrete = (url: string): string => url.replace(':traceId', '0123456789abcdef0123456789abcdef').replace(':action', 'ack').replace(':id', 'no-such-id');

/** Spellings of one path that a client can send: each must need the same scope, or match nothing. */
function variants(path: string): string[] {
  const segments = path.split('/').filter(Boolean);
  const last = segments[segments.length - 1]!;
  const head = `/${segments.slice(0, -1).join('/')}`;
  const pct = (c: string): string => `%${c.charCodeAt(0).toString(16)}`;
  return [
    path,
    `${head}/${pct(last[0]!)}${last.slice(1)}`, // /api/v1/%6beys
    `${head}/${pct(last[0]!).toUpperCase()}${last.slice(1)}`,
    `${head}/${[...last].map(pct).join('')}`, // every letter encoded
    `/${pct('a')}pi/${segments.slice(1).join('/')}`, // /%61pi/v1/…
    `/${segments.join('%2F')}`, // encoded slashes
    `/${segments.join('%2f')}`,
    `/${path}`, // //api/v1/…
    `${head}//${last}`,
    `/api//${segments.slice(1).join('/')}`,
    `${head}/x/../${last}`,
    `${head}/./${last}`,
    `${head}/%2e/${last}`,
    `${head}/x/%2e%2e/${last}`,
    `${head}/x/%2E%2E/${last}`,
    path.toUpperCase(),
    `${head}/${last[0]!.toUpperCase()}${last.slice(1)}`,
    `${path}/`,
    `${path}?x=1`,
    `${path};x`,
    `${path}%00`,
    `${path}%20`,
  ];
}

describe('route access (scope of the matched route)', () => {
  let store: StoreClient;
  let scratch: ScratchStore;
  let port: number;
  let routes: readonly DeclaredRoute[];
  const keyOf: Partial<Record<Scope, string>> = {};
  let close: () => Promise<void>;

  before(async () => {
    scratch = await ScratchStore.open('vigil-access-');
    store = scratch.store;
    const { ring } = await KeyRing.open(store, ADMIN, Date.now());
    for (const scope of ['ingest', 'read', 'write'] as const) keyOf[scope] = (await ring.add({ name: `${scope} key`, scopes: [scope], nowMs: Date.now() })).key;
    const deps: ApiDeps = {
      store,
      keys: ring,
      audit: new AuditTrail(store),
      clock: { mode: 'wall', now: () => Date.now(), watermarkMs: () => Date.now() },
      changes: {
        record: (input) =>
          Promise.resolve({
            id: 'c1',
            service: input.service,
            kind: input.kind,
            timeMs: input.timeMs ?? Date.now(),
            version: '',
            previousVersion: '',
            environment: '',
            commit: '',
            description: '',
            source: input.source,
            attributes: {},
          }),
      },
      incidents: {
        list: () => Promise.resolve({ incidents: [] }),
        get: () => Promise.resolve(undefined),
        transition: () => Promise.resolve(),
        note: () => Promise.resolve(),
      },
    };
    const app = buildApi(deps, { bodyLimitBytes: 65_536 });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    port = typeof addr === 'object' && addr ? addr.port : 0;
    routes = declaredRoutes(app);
    close = () => app.close();
  });
  after(async () => {
    await close();
    await scratch.close();
  });

  it('knows every route and each declares a scope', () => {
    const names = new Set(routes.map((r) => `${r.method} ${r.url}`));
    for (const expected of [
      'GET /api/v1/keys',
      'POST /api/v1/keys',
      'DELETE /api/v1/keys/:id',
      'GET /api/v1/health',
      'POST /api/v1/deployments',
      'GET /api/v1/incidents',
      'POST /api/v1/incidents/:id/:action',
    ]) {
      assert.ok(names.has(expected), `${expected} in ${[...names].join(', ')}`);
    }
    assert.deepEqual(
      routes.filter((r) => r.url.startsWith('/api/v1/keys')).map((r) => r.access),
      routes.filter((r) => r.url.startsWith('/api/v1/keys')).map(() => 'admin'),
    );
  });

  it('a read key cannot list keys and a write key cannot mint one through an encoded path', async () => {
    assert.equal((await raw(port, 'GET', '/api/v1/%6beys', keyOf.read!)).status, 403);
    const minted = await raw(port, 'POST', '/api/v1/%6beys', keyOf.write!, JSON.stringify({ name: 'escalated', scopes: ['admin'] }));
    assert.equal(minted.status, 403, minted.body);
    const list = await raw(port, 'GET', '/api/v1/keys', ADMIN);
    assert.equal(list.status, 200);
    assert.ok(!list.body.includes('escalated'), 'no key was minted');
  });

  it('every route, in every spelling, refuses keys without its scope', async () => {
    const keys: Array<[string, Set<Scope>]> = [
      ['ingest', new Set(['ingest'])],
      ['read', new Set(['read'])],
      ['write', new Set(['write'])],
    ];
    let matchedVariants = 0;
    for (const route of routes) {
      if (route.access === 'public') continue;
      const body = route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH' ? '{}' : undefined;
      for (const path of variants(concrete(route.url))) {
        // HEAD answers have no body to tell "no route" from "no such trace": ask as GET.
        const withAdmin = await raw(port, route.method === 'HEAD' ? 'GET' : route.method, path, ADMIN, body);
        const matched = withAdmin.status !== 404 || !withAdmin.body.includes('no route');
        if (matched) matchedVariants++;
        const anonymous = await raw(port, route.method, path, null, body);
        assert.equal(anonymous.status, 401, `${route.method} ${path} without a key: ${anonymous.status} ${anonymous.body}`);
        for (const [name, scopes] of keys) {
          if (route.access === 'any-key' || scopes.has(route.access)) continue;
          const r = await raw(port, route.method, path, keyOf[name as Scope]!, body);
          // A spelling that matched the route needs its scope; one that matched nothing is denied too.
          assert.equal(
            r.status,
            403,
            `${route.method} ${path} (route ${route.url}, needs ${route.access}, ${matched ? 'matched' : 'no route'}) with the ${name} key: ${r.status} ${r.body}`,
          );
        }
      }
    }
    assert.ok(matchedVariants > routes.length, 'the encoded spellings reach their routes, so the test exercises the check');
  });

  it('health stays public in every spelling that reaches it', async () => {
    for (const path of variants('/api/v1/health')) {
      const r = await raw(port, 'GET', path, null);
      assert.ok(r.status === 200 || r.status === 401, `${path}: ${r.status}`);
    }
    assert.equal((await raw(port, 'GET', '/api/v1/%68ealth', null)).status, 200);
  });

  it('a path no route declares is denied by default: 401 without a key, 403 for lesser keys, 404 only for admins', async () => {
    for (const path of ['/api/v1/nothing-here', '/api/keys', '/api//v1/keys', '/API/V1/KEYS']) {
      assert.equal((await raw(port, 'GET', path, null)).status, 401, path);
      for (const scope of ['ingest', 'read', 'write'] as const)
        assert.equal((await raw(port, 'GET', path, keyOf[scope]!)).status, 403, `${path} with ${scope}`);
      assert.equal((await raw(port, 'GET', path, ADMIN)).status, 404, path);
    }
  });

  it('a route that declares no scope fails the build, not open to any key', async () => {
    const app = Fastify();
    requireDeclaredAccess(app);
    assert.throws(() => app.get('/x', () => 'x'), /declares no access scope/);
    app.get('/y', access('read'), () => 'y');
    await app.close();
  });
});
