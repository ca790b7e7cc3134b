// Black-box: the audit log records who (key id and name) did what and when — keys created and
// revoked, incident actions, deployments and changes, refused attempts, the configuration load —
// and only admin keys read it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startVigilProcess, type VigilProcess } from '../support/vigil-process.js';

interface Entry {
  time: string;
  keyId: string;
  keyName: string;
  action: string;
  target: string;
  status: number;
  details: Record<string, unknown>;
}

describe('audit log (black box)', () => {
  let v: VigilProcess;
  before(async () => {
    v = await startVigilProcess();
  });
  after(async () => {
    await v.stop();
    v.cleanup();
  });

  const entries = async (query = ''): Promise<Entry[]> => {
    const r = await v.request<{ entries: Entry[] }>(`/api/v1/audit${query}`);
    assert.equal(r.status, 200, r.text);
    return r.json.entries;
  };

  it('records key management, changes, incident actions and refusals with the acting key', async () => {
    const started = Date.now();
    const ci = await v.request<{ id: string; key: string }>('/api/v1/keys', { method: 'POST', body: { name: 'ci deploys', scopes: ['write'] } });
    assert.equal(ci.status, 201);
    const deploy = await v.request('/api/v1/deployments', { method: 'POST', body: { service: 'checkout', version: '2.1.0' }, key: ci.json.key });
    assert.equal(deploy.status, 201);
    assert.equal(
      (await v.request('/api/v1/changes', { method: 'POST', body: { service: 'checkout', kind: 'flag', description: 'new-pay on' }, key: ci.json.key })).status,
      201,
    );
    // The CI key tries to mint an admin key: refused, and written down.
    assert.equal((await v.request('/api/v1/keys', { method: 'POST', body: { name: 'escalate', scopes: ['admin'] }, key: ci.json.key })).status, 403);
    assert.equal((await v.request('/api/v1/incidents/no-such/ack', { method: 'POST', body: {}, key: ci.json.key })).status, 404);
    assert.equal((await v.request(`/api/v1/keys/${ci.json.id}`, { method: 'DELETE' })).status, 200);

    const log = await entries();
    const find = (action: string): Entry => {
      const e = log.find((x) => x.action === action && x.status !== 403);
      assert.ok(e, `${action} in ${JSON.stringify(log.map((x) => x.action))}`);
      return e;
    };
    const created = find('key.create');
    assert.equal(created.target, ci.json.id);
    assert.equal(created.keyName, 'VIGIL_API_KEY');
    assert.deepEqual(created.details, { name: 'ci deploys', scopes: ['write'] });
    assert.ok(Date.parse(created.time) >= started - 1000);
    const deployed = find('deployment.record');
    assert.equal(deployed.keyId, ci.json.id);
    assert.equal(deployed.keyName, 'ci deploys');
    assert.equal(deployed.target, 'checkout');
    assert.equal(deployed.details.version, '2.1.0');
    assert.equal(find('change.record').details.kind, 'flag');
    const refused = log.filter((e) => e.action === 'key.create' && e.status === 403);
    assert.equal(refused.length, 1, 'the refused escalation is on record');
    assert.equal(refused[0]!.keyId, ci.json.id);
    const ack = find('incident.acknowledged');
    assert.equal(ack.target, 'no-such');
    assert.equal(ack.status, 404);
    assert.equal(find('key.revoke').target, ci.json.id);
    assert.ok(find('config.load').keyId === 'system');
    assert.ok(!JSON.stringify(log).includes(ci.json.key), 'no key is ever in the audit log');
    // Newest first.
    assert.deepEqual(
      [...log].sort((a, b) => Date.parse(b.time) - Date.parse(a.time)).map((e) => e.time),
      log.map((e) => e.time),
    );
  });

  it('filters by action and pages with a cursor', async () => {
    assert.ok((await entries('?action=key.revoke')).every((e) => e.action === 'key.revoke'));
    const first = await v.request<{ entries: Entry[]; nextCursor?: string }>('/api/v1/audit?limit=2');
    assert.equal(first.json.entries.length, 2);
    assert.ok(first.json.nextCursor);
    const second = await v.request<{ entries: Entry[] }>(`/api/v1/audit?limit=2&cursor=${first.json.nextCursor}`);
    assert.equal(second.status, 200);
    assert.ok(second.json.entries.length > 0);
    assert.ok(Date.parse(second.json.entries[0]!.time) <= Date.parse(first.json.entries[1]!.time));
    assert.equal((await v.request('/api/v1/audit?cursor=forged')).status, 400);
  });

  it('is for admin keys only', async () => {
    const reader = await v.request<{ key: string }>('/api/v1/keys', { method: 'POST', body: { name: 'reader', scopes: ['read', 'write'] } });
    assert.equal((await v.request('/api/v1/audit', { key: reader.json.key })).status, 403);
    assert.equal((await v.request('/api/v1/audit', { key: null })).status, 401);
  });
});
