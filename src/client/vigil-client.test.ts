import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { VigilApiError, VigilClient, VigilUnreachableError } from './index.js';

// A stand-in for Vigil's API with its answer shapes: it echoes what it was sent, so each test
// checks the method, path, key and body the client put on the wire.
let server: Server;
let url = '';
const seen: Array<{ method?: string; url?: string; authorization?: string; body: string }> = [];

before(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body });
      const json = (status: number, value: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      };
      if (req.headers.authorization !== 'Bearer k-1') return json(401, { error: { code: 'VIGIL_UNAUTHORIZED', message: 'send Authorization: Bearer <key>' } });
      if (req.url === '/api/v1/incidents/7')
        return json(200, { id: '7', title: 't', status: 'triggered', severity: 'high', services: ['a'], detectedAt: '2026-01-01T00:00:00.000Z' });
      if (req.url === '/api/v1/incidents/8/resolve')
        return json(409, { error: { code: 'VIGIL_ILLEGAL_TRANSITION', message: 'incident 8 is resolved', details: { from: 'resolved' } } });
      if (req.url?.startsWith('/api/v1/incidents?')) return json(200, { incidents: [], nextCursor: 'c2' });
      if (req.url === '/api/v1/deployments') return json(201, { id: 'd1', time: '2026-01-01T00:00:00.000Z' });
      if (req.url === '/api/v1/proxy') return res.writeHead(502).end('<html>bad gateway</html>');
      return json(404, { error: { code: 'VIGIL_NOT_FOUND', message: `no route ${req.method} ${req.url}` } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

after(() => new Promise<void>((r) => server.close(() => r())));

void test('sends the key as a Bearer header and a JSON body, and reads the typed answer', async () => {
  const api = new VigilClient({ url, apiKey: 'k-1' });
  assert.equal((await api.getIncident('7')).severity, 'high');
  const recorded = await api.recordDeployment({ service: 'cart', version: '2.1.0', time: '2026-01-01T00:00:00Z' });
  assert.equal(recorded.id, 'd1');
  const post = seen.at(-1)!;
  assert.deepEqual(
    [post.method, post.url, post.authorization, JSON.parse(post.body)],
    ['POST', '/api/v1/deployments', 'Bearer k-1', { service: 'cart', version: '2.1.0', time: '2026-01-01T00:00:00Z' }],
  );
  const page = await api.listIncidents({ status: 'all', limit: 5, cursor: 'c 1' });
  assert.equal(page.nextCursor, 'c2');
  assert.equal(seen.at(-1)!.url, '/api/v1/incidents?status=all&limit=5&cursor=c+1');
});

void test("a refusal carries the server's VIGIL_* code, status, reason and details", async () => {
  const api = new VigilClient({ url, apiKey: 'k-1' });
  const err = await api.actOnIncident('8', 'resolve', { actor: 'ana' }).then(
    () => assert.fail('resolved twice'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof VigilApiError);
  assert.deepEqual([err.status, err.code, err.reason, err.details], [409, 'VIGIL_ILLEGAL_TRANSITION', 'incident 8 is resolved', { from: 'resolved' }]);
  assert.match(err.message, /^POST \/api\/v1\/incidents\/8\/resolve answered 409 VIGIL_ILLEGAL_TRANSITION: /);
  await assert.rejects(new VigilClient({ url, apiKey: 'wrong' }).health(), (e: unknown) => e instanceof VigilApiError && e.code === 'VIGIL_UNAUTHORIZED');
});

void test('an answer without a VIGIL body (a proxy in between) gets the code of its status', async () => {
  const api = new VigilClient({ url, apiKey: 'k-1' });
  await assert.rejects(
    api.request('GET', '/api/v1/proxy'),
    (e: unknown) => e instanceof VigilApiError && e.status === 502 && e.code === 'VIGIL_INTERNAL' && e.reason.includes('bad gateway'),
  );
});

void test('no answer at all is VIGIL_API_UNREACHABLE naming the URL, not a raw fetch error', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const err = await new VigilClient({ url: `http://127.0.0.1:${port}`, apiKey: 'k-1', timeoutMs: 2000 }).health().then(
    () => assert.fail('answered'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof VigilUnreachableError);
  assert.equal(err.code, 'VIGIL_API_UNREACHABLE');
  assert.match(err.message, new RegExp(`cannot reach Vigil at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
});
