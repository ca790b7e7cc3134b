// Every check kind against local servers, passing and failing: HTTP assertions (status, latency,
// body, headers, JSON paths), auth, redirects, timeouts, the trace context and synthetic marker on
// the wire, journeys passing variables and cleaning up, TLS (trusted, self-signed, expired, near
// expiry), TCP, DNS (answer, NXDOMAIN, a silent server) and heartbeats.
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { makeTestCerts, type TestCerts } from '../../test/support/certs.js';
import { startDnsServer, type TestDnsServer } from '../../test/support/dns-server.js';
import { checkSchema, type CheckDefinition } from './schema.js';
import { runCheck } from './run.js';

const check = (c: Record<string, unknown>): CheckDefinition => checkSchema.parse({ name: 'test', ...c });
const portOf = (s: { address(): AddressInfo | string | null }): number => (s.address() as AddressInfo).port;
const botBasic = `Basic ${Buffer.from('bot:pa:ss').toString('base64')}`;

describe('check kinds against local servers', () => {
  let http: Server;
  let base: string;
  const seen: Array<{ url: string; method: string; headers: IncomingHttpHeaders; body: string }> = [];
  const items = new Map<string, string>();

  before(async () => {
    http = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', method: req.method ?? '', headers: req.headers, body });
        const json = (status: number, v: unknown): void => {
          res.writeHead(status, { 'content-type': 'application/json', 'x-shop': 'demo-shop' });
          res.end(JSON.stringify(v));
        };
        if (req.url === '/health') return json(200, { status: 'ok', checks: { db: 'up' }, items: [{ id: 'a1' }] });
        if (req.url === '/broken') return json(503, { status: 'down' });
        if (req.url === '/slow') return void setTimeout(() => json(200, { status: 'ok' }), 1500);
        if (req.url === '/login' && req.method === 'POST') return json(200, { session: { token: `tok-${(JSON.parse(body) as { user: string }).user}` } });
        if (req.url === '/cart' && req.method === 'POST') {
          if (req.headers.authorization !== 'Bearer tok-alice') return json(401, { error: 'no session' });
          const id = `c${items.size + 1}`;
          items.set(id, body);
          return json(201, { cart: { id } });
        }
        if (req.url?.startsWith('/cart/') && req.method === 'DELETE') {
          items.delete(req.url.slice(6));
          return json(204, {});
        }
        if (req.url?.startsWith('/cart/') && req.method === 'GET') return json(500, { error: 'cart service down' });
        if (req.url === '/private') return req.headers.authorization === botBasic ? json(200, { status: 'ok' }) : json(401, { error: 'who are you' });
        if (req.url === '/moved') {
          res.writeHead(302, { location: '/health' });
          return void res.end();
        }
        json(404, { error: 'not found' });
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${portOf(http)}`;
  });
  after(() => new Promise<void>((r) => http.close(() => r())));

  it('http: passes when every assertion holds, and sends traceparent and the synthetic marker', async () => {
    const r = await runCheck(
      check({
        kind: 'http',
        url: `${base}/health`,
        assert: {
          status: 200,
          maxLatencyMs: 1000,
          bodyContains: 'ok',
          headers: { 'x-shop': 'demo' },
          json: { '$.status': 'ok', '$.checks.db': 'up', '$.items[0].id': 'a1' },
        },
      }),
    );
    assert.equal(r.ok, true, JSON.stringify(r.steps));
    assert.equal(r.steps[0]!.assertions.length, 7);
    const req = seen.at(-1)!;
    assert.equal(req.headers['x-vigil-synthetic'], '1');
    assert.match(String(req.headers.traceparent), new RegExp(`^00-${r.traceId}-[0-9a-f]{16}-01$`));
  });

  it('http: reports every failed assertion with expected and actual', async () => {
    const r = await runCheck(check({ kind: 'http', url: `${base}/broken`, assert: { status: 200, json: { '$.status': 'ok', '$.missing': 1 } } }));
    assert.equal(r.ok, false);
    assert.equal(r.error, 'status: expected 200, got 503');
    const failed = r.steps[0]!.assertions.filter((a) => !a.ok).map((a) => `${a.assertion}=${a.actual}`);
    assert.deepEqual(failed, ['status=503', 'json $.status="down"', 'json $.missing=nothing']);
  });

  it('http: a slow answer fails maxLatencyMs; a missing text or header fails its assertion', async () => {
    const r = await runCheck(
      check({
        kind: 'http',
        url: `${base}/slow`,
        timeout: '5s',
        assert: { status: 200, maxLatencyMs: 300, bodyContains: 'in stock', headers: { 'x-cache': 'HIT' } },
      }),
    );
    assert.equal(r.ok, false);
    const latency = /^maxLatencyMs: expected ≤ 300 ms, got (\d+) ms$/.exec(r.error ?? '');
    assert.ok(latency && Number(latency[1]) >= 1_400, r.error);
    assert.deepEqual(
      r.steps[0]!.assertions.map((a) => [a.assertion, a.ok, a.actual]),
      [
        ['status', true, '200'],
        ['maxLatencyMs', false, r.steps[0]!.assertions[1]!.actual],
        ['bodyContains', false, 'not in the body'],
        ['header x-cache', false, 'no such header'],
      ],
    );
  });

  it('http: wrong JSON is a failure that says the body is not JSON', async () => {
    const text = createHttpServer((_q, res) => res.end('<html>oops</html>'));
    await new Promise<void>((r) => text.listen(0, '127.0.0.1', r));
    const r = await runCheck(check({ kind: 'http', url: `http://127.0.0.1:${portOf(text)}/`, assert: { status: 200, json: { '$.status': 'ok' } } }));
    text.close();
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', /json \$\.status: expected "ok", got the body is not JSON/);
  });

  it('http: a slow answer times out at the check timeout; a closed port is refused', async () => {
    const t0 = Date.now();
    const r = await runCheck(check({ kind: 'http', url: `${base}/slow`, timeout: '300ms' }));
    assert.equal(r.ok, false);
    assert.equal(r.error, 'timed out');
    assert.ok(Date.now() - t0 < 1200, 'gave up at the timeout, not when the answer came');
    const gone = createTcpServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
    const port = portOf(gone);
    await new Promise<void>((r) => gone.close(() => r()));
    const closed = await runCheck(check({ kind: 'http', url: `http://127.0.0.1:${port}/` }));
    assert.equal(closed.error, 'connection refused');
  });

  it('http: basic and bearer auth, redirects followed or not, bodyNotContains and a list of statuses', async () => {
    const basic = (password: string) => check({ kind: 'http', url: `${base}/private`, auth: { basic: { username: 'bot', password } } });
    assert.equal((await runCheck(basic('pa:ss'))).ok, true, 'a password with a colon is sent whole');
    assert.equal((await runCheck(basic('wrong'))).error, 'status: expected 200 or 201 or 202 or 204, got 401');
    const journey = await runCheck(
      check({
        kind: 'journey',
        steps: [
          { name: 'log in', method: 'POST', url: `${base}/login`, body: { user: 'alice' }, extract: { token: '$.session.token' } },
          {
            name: 'add',
            method: 'POST',
            url: `${base}/cart`,
            auth: { bearer: '{{token}}' },
            body: { sku: 'kb-1', note: 'for {{token}}' },
            extract: { cart: '$.cart.id' },
            assert: { status: 201 },
          },
          { name: 'clean up', method: 'DELETE', url: `${base}/cart/{{cart}}`, always: true },
        ],
      }),
    );
    assert.equal(journey.ok, true, JSON.stringify(journey.steps));
    assert.equal(items.size, 0);
    const added = seen.findLast((r) => r.url === '/cart' && r.method === 'POST')!;
    assert.deepEqual(JSON.parse(added.body), { sku: 'kb-1', note: 'for tok-alice' }, 'a variable in a JSON body is filled in');
    assert.equal(added.headers['content-type'], 'application/json');

    const followed = await runCheck(check({ kind: 'http', url: `${base}/moved`, assert: { status: 200, json: { '$.status': 'ok' } } }));
    assert.equal(followed.ok, true, 'the redirect was followed to /health');
    const kept = await runCheck(
      check({ kind: 'http', url: `${base}/moved`, followRedirects: false, assert: { status: 302, headers: { location: '/health' } } }),
    );
    assert.equal(kept.ok, true, JSON.stringify(kept.steps));
    const notKept = await runCheck(check({ kind: 'http', url: `${base}/moved`, followRedirects: false }));
    assert.equal(notKept.error, 'status: expected 200 or 201 or 202 or 204, got 302');

    const notContains = await runCheck(check({ kind: 'http', url: `${base}/broken`, assert: { status: [200, 503], bodyNotContains: ['error', 'down'] } }));
    assert.deepEqual(
      notContains.steps[0]!.assertions.map((a) => [a.assertion, a.ok, a.actual]),
      [
        ['status', true, '503'],
        ['bodyNotContains', true, 'absent'],
        ['bodyNotContains', false, 'found in the body'],
      ],
    );
    assert.equal(notContains.error, 'bodyNotContains: expected no "down", got found in the body');
  });

  it('journey: extracts a token, passes it on, and runs clean-up steps after a failure', async () => {
    const steps = [
      { name: 'log in', method: 'POST', url: `${base}/login`, body: { user: 'alice' }, extract: { token: '$.session.token' }, assert: { status: 200 } },
      {
        name: 'add to cart',
        method: 'POST',
        url: `${base}/cart`,
        headers: { authorization: 'Bearer {{token}}' },
        body: { sku: 'kb-1' },
        extract: { cart: '$.cart.id' },
        assert: { status: 201 },
      },
      { name: 'view cart', url: `${base}/cart/{{cart}}`, assert: { status: 200 } },
      { name: 'never reached', url: `${base}/health` },
      { name: 'empty cart', method: 'DELETE', url: `${base}/cart/{{cart}}`, always: true, assert: { status: 204 } },
    ];
    const r = await runCheck(check({ kind: 'journey', steps }));
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.steps.map((s) => [s.name, s.ok, s.cleanup ?? false]),
      [
        ['log in', true, false],
        ['add to cart', true, false],
        ['view cart', false, false],
        ['empty cart', true, true],
      ],
    );
    assert.equal(r.error, 'view cart: status: expected 200, got 500');
    assert.equal(items.size, 0, 'the clean-up step removed what the journey created');
    const cartReq = seen.find((s) => s.url === '/cart' && s.method === 'POST')!;
    assert.equal(cartReq.headers.authorization, 'Bearer tok-alice', 'the extracted token reached the next step');
    const traceIds = new Set(seen.slice(-4).map((s) => String(s.headers.traceparent).split('-')[1]));
    assert.deepEqual([...traceIds], [r.traceId], 'every step of the run shares its trace');
  });

  it('journey: a variable no step extracted fails that step by name', async () => {
    const r = await runCheck(check({ kind: 'journey', steps: [{ name: 'use token', url: `${base}/health?t={{token}}` }] }));
    assert.equal(r.error, 'use token: {{token}} is not set: no earlier step extracted it');
  });

  describe('tls', () => {
    let certs: TestCerts;
    const servers: Server[] = [];
    const serve = async (key: string, cert: string): Promise<number> => {
      const s = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_q, res) => res.end('ok'));
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      servers.push(s);
      return portOf(s);
    };
    before(() => {
      certs = makeTestCerts(10);
    });
    after(() => servers.forEach((s) => s.close()));

    it('passes for a trusted chain with enough days left, and reports them', async () => {
      const port = await serve(certs.leafKey, certs.leafCert);
      const r = await runCheck(check({ kind: 'tls', host: 'localhost', port, ca: certs.caCert, minDaysValid: 5 }));
      assert.equal(r.ok, true, JSON.stringify(r.steps));
      assert.ok(Number(r.details.daysLeft) >= 9 && Number(r.details.daysLeft) <= 10);
      const soon = await runCheck(check({ kind: 'tls', host: 'localhost', port, ca: certs.caCert, minDaysValid: 30 }));
      assert.equal(soon.ok, false);
      assert.match(soon.error ?? '', /minDaysValid: expected valid for ≥ 30 days, got (9|10) days left/);
    });

    it('an http check of an https site fails a self-signed certificate, naming it', async () => {
      const port = await serve(certs.selfKey, certs.selfCert);
      const r = await runCheck(check({ kind: 'http', url: `https://localhost:${port}/` }));
      assert.equal(r.ok, false);
      assert.equal(r.error, 'TLS certificate is self-signed');
    });

    it('fails a self-signed certificate and an expired one', async () => {
      const self = await runCheck(check({ kind: 'tls', host: 'localhost', port: await serve(certs.selfKey, certs.selfCert) }));
      assert.equal(self.ok, false);
      assert.match(self.error ?? '', /chain: .*self-signed/);
      const expired = await runCheck(check({ kind: 'tls', host: 'localhost', port: await serve(certs.expiredKey, certs.expiredCert), ca: certs.caCert }));
      assert.equal(expired.ok, false);
      assert.match(
        expired.steps[0]!.assertions.map((a) => `${a.assertion}: ${a.actual}`).join('; '),
        /chain: TLS certificate has expired; minDaysValid: expired \d+ days ago/,
      );
    });
  });

  it('tcp: connects to an open port and fails on a closed one', async () => {
    const tcp = createTcpServer((s) => s.end());
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const port = portOf(tcp);
    assert.equal((await runCheck(check({ kind: 'tcp', host: '127.0.0.1', port }))).ok, true);
    await new Promise<void>((r) => tcp.close(() => r()));
    const closed = await runCheck(check({ kind: 'tcp', host: '127.0.0.1', port }));
    assert.equal(closed.ok, false);
    assert.equal(closed.error, 'connection refused');
  });

  describe('dns', () => {
    let dns: TestDnsServer;
    before(async () => {
      dns = await startDnsServer({ 'shop.test': '10.1.2.3' });
    });
    after(() => dns.close());

    it('resolves a name with the expected answer, and fails NXDOMAIN and a wrong answer', async () => {
      const ok = await runCheck(check({ kind: 'dns', hostname: 'shop.test', server: dns.address, expect: ['10.1.2.3'] }));
      assert.equal(ok.ok, true, JSON.stringify(ok.steps));
      assert.equal(ok.details.answers, '10.1.2.3');
      const wrong = await runCheck(check({ kind: 'dns', hostname: 'shop.test', server: dns.address, expect: ['10.9.9.9'] }));
      assert.equal(wrong.error, 'expect: expected 10.9.9.9, got 10.1.2.3');
      const missing = await runCheck(check({ kind: 'dns', hostname: 'nowhere.test', server: dns.address }));
      assert.equal(missing.ok, false);
      assert.equal(missing.error, 'no such name (NXDOMAIN)');
    });

    it('fails when the DNS server does not answer, within the check timeout', async () => {
      const silent = createSocket('udp4');
      await new Promise<void>((r) => silent.bind(0, '127.0.0.1', r));
      const t0 = Date.now();
      const r = await runCheck(check({ kind: 'dns', hostname: 'shop.test', server: `127.0.0.1:${portOf(silent)}`, timeout: '500ms' }));
      silent.close();
      assert.equal(r.error, 'the DNS server did not answer');
      assert.ok(Date.now() - t0 < 3000, `gave up after ${Date.now() - t0} ms`);
    });
  });

  it('heartbeat: silence past the grace period fails, a recent ping passes', async () => {
    const c = check({ kind: 'heartbeat', grace: '1m' });
    let now = 1_000_000;
    const watched = 1_000_000;
    const ping: { lastMs?: number } = {};
    const o = { now: () => now, heartbeat: () => ({ lastPingMs: ping.lastMs, watchedSinceMs: watched }) };
    now += 30_000;
    assert.equal((await runCheck(c, o)).ok, true, 'within grace since watching began');
    now += 60_000;
    const silent = await runCheck(c, o);
    assert.equal(silent.ok, false);
    assert.match(silent.error ?? '', /grace: expected a ping within 60 s, got no ping for 90 s/);
    ping.lastMs = now - 5_000;
    assert.equal((await runCheck(c, o)).ok, true);
    now += 120_000;
    assert.match((await runCheck(c, o)).error ?? '', /last ping 125 s ago/);
  });
});
