// Protects the simulator's contract: reproducible by seed, well-formed telemetry, a healthy shop
// with a small error background, daily seasonality and harmless deploys.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dailyFactor, simulateShop } from './simulate.js';
import type { SimBatch } from './simulate.js';

const T0 = Date.UTC(2026, 0, 12, 14, 0, 0);

function collect(batches: Iterable<SimBatch>): SimBatch[] {
  return [...batches];
}

void describe('simulateShop', () => {
  void it('produces identical telemetry for the same seed and different telemetry for another seed', () => {
    const a = collect(simulateShop({ seed: 42, startMs: T0, durationMs: 60_000 }));
    const b = collect(simulateShop({ seed: 42, startMs: T0, durationMs: 60_000 }));
    const c = collect(simulateShop({ seed: 43, startMs: T0, durationMs: 60_000 }));
    assert.equal(JSON.stringify(a), JSON.stringify(b));
    assert.notEqual(JSON.stringify(a), JSON.stringify(c));
  });

  void it('emits well-formed, connected traces across the shop services', () => {
    const batches = collect(simulateShop({ seed: 7, startMs: T0, durationMs: 120_000 }));
    const spans = batches.flatMap((b) => b.spans);
    assert.ok(spans.length > 3000, `expected thousands of spans, got ${spans.length}`);
    const ids = new Set(spans.map((s) => `${s.traceId}/${s.spanId}`));
    for (const s of spans) {
      assert.match(s.traceId, /^[0-9a-f]{32}$/);
      assert.match(s.spanId, /^[0-9a-f]{16}$/);
      if (s.parentSpanId) assert.ok(ids.has(`${s.traceId}/${s.parentSpanId}`), `orphan span ${s.name} of ${s.service}`);
      if (s.kind === 'client' || s.kind === 'producer') assert.notEqual(s.peerService, '', `client span without peer: ${s.name}`);
      if (s.kind === 'server') assert.notEqual(s.httpRoute, '');
      assert.ok(s.durationMs > 0);
    }
    const services = new Set(spans.map((s) => s.service));
    assert.deepEqual([...services].sort(), ['cart', 'catalog', 'checkout', 'email', 'frontend', 'payment', 'shipping']);
    const peers = new Set(spans.map((s) => s.peerService).filter(Boolean));
    for (const dep of ['payment-db', 'shop-db', 'cache', 'email-queue']) assert.ok(peers.has(dep), `no client spans to ${dep}`);
    const roots = spans.filter((s) => !s.parentSpanId);
    assert.ok(roots.every((s) => s.service === 'frontend' && s.kind === 'server'));
    assert.ok(
      roots.some((s) => s.userId.startsWith('usr_')),
      'signed-in users carry enduser.id',
    );
  });

  void it('keeps a healthy shop at a small, non-zero error background', () => {
    const batches = collect(simulateShop({ seed: 3, startMs: T0, durationMs: 20 * 60_000 }));
    const entry = batches.flatMap((b) => b.spans).filter((s) => s.kind === 'server' && s.service === 'frontend');
    const errorRate = entry.filter((s) => s.statusCode === 'error').length / entry.length;
    assert.ok(errorRate > 0 && errorRate < 0.01, `background error rate ${errorRate}`);
    const logs = batches.flatMap((b) => b.logs);
    assert.ok(logs.every((l) => l.traceId === '' || /^[0-9a-f]{32}$/.test(l.traceId)));
    assert.ok(logs.filter((l) => l.severityText === 'ERROR').every((l) => l.traceId !== ''));
  });

  void it('follows a daily cycle: more traffic in the afternoon than at night', () => {
    const day = 86_400_000;
    const count = (startMs: number) =>
      collect(simulateShop({ seed: 5, startMs, durationMs: 60_000, deployEveryMs: 0 })).reduce((n, b) => n + b.spans.filter((s) => !s.parentSpanId).length, 0);
    assert.ok(dailyFactor(Date.UTC(2026, 0, 12, 15), day) > 1.4);
    assert.ok(dailyFactor(Date.UTC(2026, 0, 12, 3), day) < 0.6);
    assert.ok(count(Date.UTC(2026, 0, 12, 15)) > 2 * count(Date.UTC(2026, 0, 12, 3)));
  });

  void it('ships harmless deploys that change service.version on later spans', () => {
    const batches = collect(simulateShop({ seed: 11, startMs: T0, durationMs: 25 * 60_000, deployEveryMs: 10 * 60_000 }));
    const deploys = batches.flatMap((b) => b.changes).filter((c) => c.kind === 'deploy');
    assert.ok(deploys.length >= 2);
    const first = deploys[0]!;
    assert.notEqual(first.version, first.previousVersion);
    const later = batches.flatMap((b) => b.spans).filter((s) => s.service === first.service && s.startTimeMs > first.timeMs + 60_000);
    assert.ok(later.length > 0 && later.every((s) => s.serviceVersion !== first.previousVersion));
  });

  void it('exports pool, memory and queue metrics every interval', () => {
    const batches = collect(simulateShop({ seed: 2, startMs: T0, durationMs: 60_000 }));
    const metrics = batches.flatMap((b) => b.metrics);
    const names = new Set(metrics.map((m) => m.name));
    for (const n of [
      'db.client.connection.count',
      'db.client.connection.max',
      'db.client.connection.wait_time',
      'process.memory.usage',
      'process.memory.limit',
      'process.cpu.utilization',
      'messaging.queue.depth',
      'shop.orders',
    ]) {
      assert.ok(names.has(n), `missing metric ${n}`);
    }
    const max = metrics.find((m) => m.name === 'db.client.connection.max' && m.attributes['db.client.connection.pool.name'] === 'payment-db');
    assert.equal(max?.value, 50);
  });

  void it('simulates 30 minutes at default traffic in a few seconds', () => {
    // CPU time, not wall time: the shared test machine may be busy with other work.
    const cpu = process.cpuUsage();
    let spans = 0;
    for (const b of simulateShop({ seed: 1, startMs: T0, durationMs: 30 * 60_000 })) spans += b.spans.length;
    const used = process.cpuUsage(cpu);
    const ms = (used.user + used.system) / 1000;
    assert.ok(spans > 50_000);
    assert.ok(ms < 10_000, `took ${ms} ms of CPU`);
  });
});
