// Each fault in the catalog must leave its mark in the telemetry, where its ground truth says,
// and fade after it is cleared; these tests keep the drills and RCA benches honest.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Span } from '../../model/telemetry.js';
import { simulateShop } from '../simulate.js';
import type { SimBatch } from '../simulate.js';
import { FAULT_NAMES, faultCatalog } from './catalog.js';

const T0 = Date.UTC(2026, 0, 12, 10, 0, 0);
const MIN = 60_000;
const AT = T0 + 6 * MIN;
const CLEAR = T0 + 12 * MIN;

function run(name: string): SimBatch[] {
  return [...simulateShop({ seed: 9, startMs: T0, durationMs: 16 * MIN, faults: [{ name, atMs: AT, clearAtMs: CLEAR }], deployEveryMs: 0 })];
}

function spansIn(batches: SimBatch[], fromMs: number, toMs: number, keep: (s: Span) => boolean): Span[] {
  return batches.flatMap((b) => b.spans).filter((s) => s.startTimeMs >= fromMs && s.startTimeMs < toMs && keep(s));
}

const errorRate = (spans: Span[]) => spans.filter((s) => s.statusCode === 'error').length / Math.max(1, spans.length);
const meanDuration = (spans: Span[]) => spans.reduce((a, s) => a + s.durationMs, 0) / Math.max(1, spans.length);
const server = (service: string, route?: string) => (s: Span) => s.kind === 'server' && s.service === service && (route === undefined || s.httpRoute === route);
const before = (b: SimBatch[], keep: (s: Span) => boolean) => spansIn(b, T0, AT, keep);
const during = (b: SimBatch[], keep: (s: Span) => boolean) => spansIn(b, AT + 4 * MIN, CLEAR, keep);
const after = (b: SimBatch[], keep: (s: Span) => boolean) => spansIn(b, CLEAR + 2 * MIN, T0 + 16 * MIN, keep);

void describe('fault catalog', () => {
  void it('names at least 8 faults across at least 6 root services, each with ground truth', () => {
    assert.ok(FAULT_NAMES.length >= 8);
    const roots = new Set(FAULT_NAMES.map((n) => faultCatalog[n]!.truth.rootService));
    assert.ok(roots.size >= 6, `root services: ${[...roots].join(', ')}`);
  });

  void it('pool-exhaustion-deploy: payment v2.3 saturates the payment-db pool and POST /pay times out, until rolled back', () => {
    const b = run('pool-exhaustion-deploy');
    const changes = b.flatMap((x) => x.changes);
    assert.deepEqual(
      changes.map((c) => [c.service, c.kind, c.previousVersion, c.version]),
      [
        ['payment', 'deploy', '2.2.0', '2.3.0'],
        ['payment', 'deploy', '2.3.0', '2.2.0'],
      ],
    );
    const pay = server('payment', '/pay');
    assert.ok(errorRate(before(b, pay)) < 0.03);
    const hot = errorRate(during(b, pay));
    assert.ok(hot > 0.08 && hot < 0.3, `POST /pay error rate during the fault ${hot}`);
    assert.ok(errorRate(after(b, pay)) < 0.03);
    const failing = during(b, pay).filter((s) => s.statusCode === 'error');
    assert.ok(failing.every((s) => s.serviceVersion === '2.3.0'));
    const connect = during(b, (s) => s.name === 'pg-pool.connect' && s.statusCode === 'error');
    assert.ok(
      connect.length > 0 && connect.every((s) => s.exceptionMessage === 'connection timeout acquiring connection from pool' && s.peerService === 'payment-db'),
    );
    const used = b
      .flatMap((x) => x.metrics)
      .filter(
        (m) =>
          m.name === 'db.client.connection.count' &&
          m.attributes['db.client.connection.pool.name'] === 'payment-db' &&
          m.attributes['db.client.connection.state'] === 'used',
      );
    assert.ok(used.some((m) => m.value === 50 && m.timeMs > AT));
    assert.ok(used.filter((m) => m.timeMs < AT).every((m) => m.value < 10));
    assert.ok(errorRate(during(b, server('checkout'))) > 0.05, 'checkout errors propagate');
    assert.ok(errorRate(during(b, server('shipping'))) < 0.03, 'other services unaffected');
  });

  void it('latency-deploy: the new catalog version is about twice as slow, the old one is not', () => {
    const b = run('latency-deploy');
    const deploy = b.flatMap((x) => x.changes)[0]!;
    const slow = meanDuration(during(b, server('catalog')));
    const base = meanDuration(before(b, server('catalog')));
    assert.ok(slow > 1.8 * base, `catalog ${base.toFixed(1)} → ${slow.toFixed(1)} ms`);
    assert.ok(during(b, server('catalog')).every((s) => s.serviceVersion === deploy.version));
    assert.ok(meanDuration(after(b, server('catalog'))) < 1.3 * base);
  });

  void it('cache-outage: cache calls fail, cart errors, catalog only slows down', () => {
    const b = run('cache-outage');
    assert.ok(errorRate(during(b, (s) => s.peerService === 'cache')) > 0.99);
    assert.ok(errorRate(during(b, server('cart'))) > 0.5);
    assert.ok(errorRate(during(b, server('catalog'))) < 0.03);
    assert.ok(meanDuration(during(b, server('catalog'))) > 2 * meanDuration(before(b, server('catalog'))));
    assert.ok(errorRate(after(b, server('cart'))) < 0.03);
  });

  void it('memory-leak: shipping memory climbs to its limit, slows down and is OOM-killed', () => {
    const b = run('memory-leak');
    const mem = b.flatMap((x) => x.metrics).filter((m) => m.name === 'process.memory.usage' && m.service === 'shipping');
    const limit = b.flatMap((x) => x.metrics).find((m) => m.name === 'process.memory.limit' && m.service === 'shipping')!.value;
    assert.ok(mem.filter((m) => m.timeMs < AT).every((m) => m.value < 0.5 * limit));
    assert.ok(mem.some((m) => m.value > 0.9 * limit));
    assert.ok(b.flatMap((x) => x.logs).some((l) => l.service === 'shipping' && l.severityText === 'FATAL'));
    const slowest = Math.max(...[7, 8, 9, 10, 11].map((m) => meanDuration(spansIn(b, T0 + m * MIN, T0 + (m + 1) * MIN, server('shipping')))));
    assert.ok(slowest > 2 * meanDuration(before(b, server('shipping'))));
    assert.ok(spansIn(b, AT, CLEAR, (s) => s.service === 'checkout' && s.peerService === 'shipping' && s.exceptionMessage.includes('ECONNREFUSED')).length > 0);
  });

  void it('new-exception-deploy: a TypeError never seen before appears, only on the new cart version', () => {
    const b = run('new-exception-deploy');
    const typeErrors = (s: Span) => s.exceptionType === 'TypeError';
    assert.equal(before(b, typeErrors).length, 0);
    const fresh = during(b, typeErrors);
    assert.ok(fresh.length > 10);
    const version = b.flatMap((x) => x.changes)[0]!.version;
    assert.ok(fresh.every((s) => s.service === 'cart' && s.httpRoute === '/cart/items' && s.serviceVersion === version));
    assert.ok(b.flatMap((x) => x.logs).some((l) => l.exceptionType === 'TypeError' && l.service === 'cart'));
    assert.equal(after(b, typeErrors).length, 0);
  });

  void it('traffic-drop: frontend requests fall by about 70% without errors', () => {
    const b = run('traffic-drop');
    const perMin = (spans: Span[], minutes: number) => spans.length / minutes;
    const base = perMin(before(b, server('frontend')), 6);
    const low = perMin(during(b, server('frontend')), 2);
    assert.ok(low < 0.45 * base && low > 0.15 * base, `${base} → ${low} per minute`);
    assert.ok(errorRate(during(b, server('frontend'))) < 0.02);
  });

  void it('noisy-neighbour-db: every shop-db client slows down, payment-db clients do not', () => {
    const b = run('noisy-neighbour-db');
    for (const service of ['catalog', 'cart', 'shipping']) {
      const q = (s: Span) => s.service === service && s.peerService === 'shop-db' && s.name !== 'pg-pool.connect';
      assert.ok(meanDuration(during(b, q)) > 5 * meanDuration(before(b, q)), `${service} → shop-db`);
    }
    const pay = (s: Span) => s.peerService === 'payment-db';
    assert.ok(meanDuration(during(b, pay)) < 1.5 * meanDuration(before(b, pay)));
  });

  void it('config-change: checkout posts a config change and its payment calls time out after 50 ms', () => {
    const b = run('config-change');
    const change = b.flatMap((x) => x.changes)[0]!;
    assert.equal(change.kind, 'config');
    assert.equal(change.service, 'checkout');
    assert.ok(errorRate(during(b, server('checkout'))) > 0.5);
    const timeouts = during(b, (s) => s.service === 'checkout' && s.kind === 'client' && s.exceptionType === 'TimeoutError');
    assert.ok(timeouts.length > 0 && timeouts.every((s) => s.durationMs === 50));
    assert.ok(errorRate(during(b, server('payment'))) < 0.03, 'payment itself is healthy');
    assert.ok(errorRate(after(b, server('checkout'))) < 0.03);
  });
});
