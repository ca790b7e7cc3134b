// The demo shop on its worker thread: it exports from all seven services, answers inject, status
// and clear across the thread boundary, and its http instrumentation stays inside the worker (an
// http server on this thread, e.g. Vigil's receivers in `vigil demo`, is never traced).
import assert from 'node:assert/strict';
import type * as NodeHttp from 'node:http';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { waitUntil } from '../../test/support/otlp-receiver.js';
import { shopExportingToReceiver } from './testing/shop-rig.js';
import { startDemoShopThread } from './shop-thread.js';

const SHOP_SERVICES = ['cart', 'catalog', 'checkout', 'email', 'frontend', 'payment', 'shipping'];

void describe('demo shop on a worker thread', () => {
  const rig = shopExportingToReceiver(startDemoShopThread);

  void it('exports from every service and traces nothing of the parent thread', async () => {
    await waitUntil('spans from every service', () => new Set(rig.receiver.spans.map((s) => s.service)).size >= 7);
    assert.deepEqual([...new Set(rig.receiver.spans.map((s) => s.service))].sort(), SHOP_SERVICES);
    // Looked up now, after the shop registered its instrumentation, as late-loading code would.
    const http = createRequire(import.meta.url)('node:http') as typeof NodeHttp;
    const probe = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    const address = probe.address();
    await new Promise<void>((resolve, reject) => {
      http
        .get(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/probe-isolation`, (res) => res.resume().on('end', resolve))
        .on('error', reject);
    });
    probe.close();
    const exportsSoFar = rig.receiver.requests.get('/v1/traces') ?? 0;
    await waitUntil('two more trace exports', () => (rig.receiver.requests.get('/v1/traces') ?? 0) >= exportsSoFar + 2);
    const traced = rig.receiver.spans.filter((s) => JSON.stringify(s).includes('probe-isolation'));
    assert.deepEqual(traced, [], 'an http server and client on the parent thread are not instrumented');
    assert.ok((await rig.shop.status()).requestsSent > 0);
  });

  void it('injects, reports and clears a fault across the thread boundary', async () => {
    const injected = await rig.shop.inject('cache-outage');
    assert.equal(injected.name, 'cache-outage');
    assert.deepEqual(
      (await rig.shop.status()).activeFaults.map((f) => f.name),
      ['cache-outage'],
    );
    const control = (await (await fetch(`${rig.shop.controlUrl}/_control/faults`)).json()) as { active: Array<{ name: string }> };
    assert.deepEqual(
      control.active.map((f) => f.name),
      ['cache-outage'],
      'the control API serves from the worker',
    );
    await rig.shop.clear('cache-outage');
    assert.equal((await rig.shop.status()).activeFaults.length, 0);
    await assert.rejects(rig.shop.inject('no-such-fault'), /no-such-fault|unknown/);
  });
});
