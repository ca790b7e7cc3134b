// The live demo shop end to end against an in-process OTLP receiver: the services come up,
// traffic flows, real SDK exports arrive with one resource per service, traces connect across
// services, and a fault injected through the control API shows up in the exported spans.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitUntil as waitFor } from '../../test/support/otlp-receiver.js';
import { shopExportingToReceiver } from './testing/shop-rig.js';
import { startDemoShop } from './shop.js';

void describe('demo shop (live, real OpenTelemetry SDK)', () => {
  const rig = shopExportingToReceiver(startDemoShop);

  void it('exports traces, logs and metrics from all seven services', async () => {
    const services = () => new Set(rig.receiver.spans.map((s) => s.service));
    await waitFor(
      'spans from every service',
      () => services().size >= 7 && (rig.receiver.requests.get('/v1/logs') ?? 0) > 0 && (rig.receiver.requests.get('/v1/metrics') ?? 0) > 0,
    );
    assert.deepEqual([...services()].sort(), ['cart', 'catalog', 'checkout', 'email', 'frontend', 'payment', 'shipping']);
    assert.ok(rig.shop.status().requestsSent > 0);
  });

  void it('connects traces across services and names every peer', () => {
    const spans = rig.receiver.spans;
    const server = spans.filter((s) => s.kind === 'server');
    assert.ok(
      server.every((s) => s.httpRoute !== ''),
      'server spans carry http.route',
    );
    const roots = spans.filter((s) => s.parentSpanId === '');
    assert.ok(roots.length > 0 && roots.every((s) => s.service === 'frontend'), 'traces start at the frontend');
    const catalogServer = server.find((s) => s.service === 'catalog');
    assert.ok(catalogServer);
    const parent = spans.find((s) => s.spanId === catalogServer.parentSpanId);
    if (parent) assert.equal(parent.kind, 'client');
    const peers = new Set(spans.filter((s) => s.kind === 'client' || s.kind === 'producer').map((s) => s.peerService));
    for (const peer of ['catalog', 'cart', 'payment-db', 'shop-db', 'cache']) assert.ok(peers.has(peer), `client spans to ${peer}`);
  });

  void it('shows an injected cache outage in the spans and recovers when it is cleared', async () => {
    const res = await fetch(`${rig.shop.controlUrl}/_control/faults/cache-outage`, { method: 'POST' });
    assert.equal(res.status, 200);
    const from = rig.receiver.spans.length;
    const cartErrors = () => rig.receiver.spans.slice(from).filter((s) => s.service === 'cart' && s.kind === 'server' && s.statusCode === 'error').length;
    await waitFor('cart errors during the cache outage', () => cartErrors() >= 3);
    const cacheFailures = rig.receiver.spans.slice(from).filter((s) => s.peerService === 'cache' && s.statusCode === 'error');
    assert.ok(cacheFailures.some((s) => s.exceptionMessage.includes('ETIMEDOUT')));
    const cleared = await fetch(`${rig.shop.controlUrl}/_control/faults/cache-outage/clear`, { method: 'POST' });
    assert.equal(cleared.status, 200);
    assert.equal(rig.shop.status().activeFaults.length, 0);
  });
});
