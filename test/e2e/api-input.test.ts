// Black-box: every invalid API parameter or body answers 400 with a VIGIL_* code, never a 500; and a
// refused request is logged (method, route, key id) without its body, query or key.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startVigilProcess, type VigilProcess } from '../support/vigil-process.js';

const reads = [
  '/api/v1/spans',
  '/api/v1/logs',
  '/api/v1/metrics?name=x',
  '/api/v1/red',
  '/api/v1/services',
  '/api/v1/incidents',
  '/api/v1/changes',
  '/api/v1/deployments',
  '/api/v1/coverage',
];
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Values each parameter must refuse: out of range, malformed, absurd. */
const invalid: Record<string, string[]> = {
  from: ['abc', '2026-13-45', '9999-12-31T00:00:00Z', '-1', '8640000000000001', '99999999999999999999', '1e400', 'NaN', 'Infinity'],
  to: ['abc', '9999-12-31T00:00:00Z', '-8640000000000001', '8640000000000001', '99999999999999999999'],
};
const badLimits = ['0', '-1', '1.5', 'abc', '99999999999999999999'];
const paged = new Set(['/api/v1/spans', '/api/v1/logs', '/api/v1/incidents', '/api/v1/changes', '/api/v1/deployments']);
const invalidFor: Record<string, Record<string, string[]>> = {
  '/api/v1/spans': {
    cursor: ['abc', '-1', '0', b64(['x', 'y']), b64([1e300, 'a']), b64([1]), b64({})],
    minDuration: ['-1', 'abc', '99999999999999999999'],
    maxDuration: ['-5', '1e400'],
    traceId: ['zz'],
  },
  '/api/v1/logs': { cursor: ['abc', b64([1, 'not-a-number']), b64([1, '99999999999999999999999'])], severity: ['abc', '99'], traceId: ['zz'] },
  '/api/v1/red': { step: ['0', 'abc', '99999999999999999999', '1e400', '8640000000000001'] },
  '/api/v1/metrics?name=x': { step: ['0', '99999999999999999999'] },
  '/api/v1/incidents': { cursor: ['abc', b64('x')], status: ['nope'] },
};
const junk = ['', '%00', '[object]', '1.5', '0', '-1', 'abc', '%ff%fe'];
const params = [
  'from',
  'to',
  'limit',
  'step',
  'cursor',
  'minDuration',
  'maxDuration',
  'severity',
  'status',
  'service',
  'traceId',
  'kind',
  'q',
  'route',
  'version',
];

describe('API input validation (black box)', () => {
  let v: VigilProcess;
  before(async () => {
    v = await startVigilProcess();
  });
  after(async () => {
    await v.stop();
    v.cleanup();
  });

  const url = (route: string, param: string, value: string): string => `${route}${route.includes('?') ? '&' : '?'}${param}=${encodeURIComponent(value)}`;

  it('refuses each invalid parameter with 400 and a VIGIL_* code', async () => {
    for (const route of reads) {
      const cases = { ...(route === '/api/v1/incidents' ? {} : invalid), ...(paged.has(route) ? { limit: badLimits } : {}), ...invalidFor[route] };
      for (const [param, values] of Object.entries(cases)) {
        for (const value of values) {
          const r = await v.request<{ error?: { code: string } }>(url(route, param, value));
          assert.equal(r.status, 400, `${url(route, param, value)}: ${r.status} ${r.text}`);
          assert.match(r.json.error?.code ?? '', /^VIGIL_/);
        }
      }
    }
  });

  it('answers every read, with any junk in any parameter or a repeated one, below 500', async () => {
    for (const route of reads) {
      for (const param of params) {
        for (const value of junk) {
          const r = await v.request(url(route, param, value));
          assert.ok(r.status < 500, `${url(route, param, value)}: ${r.status} ${r.text}`);
        }
        const repeated = await v.request(`${url(route, param, '1')}&${param}=2`);
        assert.ok(repeated.status < 500, `${route} ${param} repeated: ${repeated.status} ${repeated.text}`);
      }
    }
  });

  it('refuses bad bodies with 400', async () => {
    const bodies: Array<[string, unknown]> = [
      ['/api/v1/deployments', { service: 'a', version: '1', time: '9999999999999999' }],
      ['/api/v1/deployments', { service: 'a', version: '1', time: -1e20 }],
      ['/api/v1/deployments', { service: 'a', version: '1', time: 'yesterday' }],
      ['/api/v1/deployments', [1, 2]],
      ['/api/v1/deployments', 'text'],
      ['/api/v1/deployments', null],
      ['/api/v1/changes', { service: 'a', kind: 'config', description: 'x', time: 'abc' }],
      ['/api/v1/changes', { service: 'a', kind: 'nope', description: 'x' }],
      ['/api/v1/keys', { name: 'x', scopes: [] }],
      ['/api/v1/keys', { name: 'x', scopes: ['root'] }],
    ];
    for (const [path, body] of bodies) {
      const r = await v.request<{ error?: { code: string } }>(path, { method: 'POST', body });
      assert.equal(r.status, 400, `${path} ${JSON.stringify(body)}: ${r.status} ${r.text}`);
      assert.match(r.json.error?.code ?? '', /^VIGIL_/);
    }
  });

  it('logs a refused request without its body, query or key', async () => {
    const marker = 'body-marker-7f3a9c';
    const wrongKey = 'wrong-key-5d1e2b9a8c7f6e5d';
    const r = await v.request(`/api/v1/deployments?user=${marker}`, { method: 'POST', body: { service: marker, version: marker }, key: wrongKey });
    assert.equal(r.status, 401);
    const line = await v.waitFor(
      () =>
        Promise.resolve(
          v
            .output()
            .split('\n')
            .find((l) => l.includes('api request refused')),
        ),
      5000,
      'the refusal log line',
    );
    assert.match(line, /"route":"\/api\/v1\/deployments"/);
    assert.match(line, /"status":401/);
    assert.ok(!v.output().includes(marker), 'the body and query are not logged');
    assert.ok(!v.output().includes(wrongKey), 'the key is not logged');
  });
});
