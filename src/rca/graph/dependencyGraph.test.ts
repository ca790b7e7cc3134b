import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Span } from '../../model/index.js';
import { DependencyGraph } from './dependencyGraph.js';
import type { DependencyGraphSnapshot } from './dependencyGraph.js';
import { idGenerator, makeSpan } from '../testing/spans.js';

const T0 = 1_700_000_000_000;

/** frontend → checkout → payment-service → payment-db (+ cart → cache), optionally failing at the DB. */
function checkoutTrace(ids: ReturnType<typeof idGenerator>, t: number, opts: { dbFails?: boolean; version?: string; dbMs?: number } = {}): Span[] {
  const traceId = ids.trace();
  const [fs, fc, cs, cc, ps, pc] = [ids.span(), ids.span(), ids.span(), ids.span(), ids.span(), ids.span()];
  const fail = opts.dbFails === true;
  const st = fail ? ('error' as const) : ('unset' as const);
  const dbMs = opts.dbMs ?? 5;
  return [
    makeSpan({ service: 'frontend', traceId, spanId: fs, startTimeMs: t, durationMs: 40 + dbMs, statusCode: st }),
    makeSpan({
      service: 'frontend',
      traceId,
      spanId: fc,
      parentSpanId: fs,
      kind: 'client',
      peerService: 'checkout',
      startTimeMs: t + 1,
      durationMs: 35 + dbMs,
      statusCode: st,
    }),
    makeSpan({ service: 'checkout', traceId, spanId: cs, parentSpanId: fc, startTimeMs: t + 2, durationMs: 30 + dbMs, statusCode: st }),
    makeSpan({
      service: 'checkout',
      traceId,
      spanId: cc,
      parentSpanId: cs,
      kind: 'client',
      attributes: { 'server.address': 'payment:8080' },
      startTimeMs: t + 3,
      durationMs: 20 + dbMs,
      statusCode: st,
    }),
    makeSpan({
      service: 'payment-service',
      serviceVersion: opts.version ?? '2.2',
      traceId,
      spanId: ps,
      parentSpanId: cc,
      startTimeMs: t + 4,
      durationMs: 15 + dbMs,
      statusCode: st,
    }),
    makeSpan({
      service: 'payment-service',
      serviceVersion: opts.version ?? '2.2',
      traceId,
      spanId: pc,
      parentSpanId: ps,
      kind: 'client',
      dbSystem: 'postgresql',
      dbNamespace: 'payment-db',
      startTimeMs: t + 5,
      durationMs: dbMs,
      statusCode: st,
    }),
  ];
}

function cartTrace(ids: ReturnType<typeof idGenerator>, t: number): Span[] {
  const traceId = ids.trace();
  const [s, c, q] = [ids.span(), ids.span(), ids.span()];
  return [
    makeSpan({ service: 'cart', traceId, spanId: s, startTimeMs: t, durationMs: 12 }),
    makeSpan({
      service: 'cart',
      traceId,
      spanId: c,
      parentSpanId: s,
      kind: 'client',
      dbSystem: 'redis',
      startTimeMs: t + 1,
      durationMs: 2,
      peerService: 'cache',
    }),
    makeSpan({
      service: 'cart',
      traceId,
      spanId: q,
      parentSpanId: s,
      kind: 'producer',
      attributes: { 'messaging.system': 'rabbitmq', 'messaging.destination.name': 'orders' },
      startTimeMs: t + 4,
      durationMs: 1,
    }),
  ];
}

void test('builds nodes and edges with dependency kinds from client spans', () => {
  const ids = idGenerator();
  const g = new DependencyGraph();
  g.observeSpans([...checkoutTrace(ids, T0), ...cartTrace(ids, T0)]);
  const kinds = Object.fromEntries(g.nodes().map((n) => [n.name, n.kind]));
  assert.deepEqual(kinds, {
    frontend: 'service',
    checkout: 'service',
    'payment-service': 'service',
    'payment-db': 'database',
    cart: 'service',
    cache: 'cache',
    orders: 'messaging',
  });
  const edges = g
    .edges()
    .map((e) => `${e.caller}->${e.callee}`)
    .sort();
  assert.deepEqual(edges, ['cart->cache', 'cart->orders', 'checkout->payment-service', 'frontend->checkout', 'payment-service->payment-db']);
  assert.deepEqual(g.neighbours('payment-service').sort(), ['checkout', 'payment-db']);
});

void test('an address alias learned from a child server span folds the phantom node into the service', () => {
  const ids = idGenerator();
  const g = new DependencyGraph();
  const spans = checkoutTrace(ids, T0);
  // the client span arrives one batch before the server span it called
  g.observeSpans(spans.slice(0, 4));
  assert.ok(g.nodes().some((n) => n.name === 'payment:8080'));
  g.observeSpans(spans.slice(4));
  assert.ok(!g.nodes().some((n) => n.name === 'payment:8080'));
  assert.equal(g.edgeStats('checkout', 'payment-service', T0, T0 + 60_000).calls, 1);
  g.observeSpans(checkoutTrace(ids, T0 + 1000));
  assert.equal(g.edgeStats('checkout', 'payment-service', T0, T0 + 60_000).calls, 2);
});

void test('errors originate where the deepest failing span is, whatever the arrival order', () => {
  for (const order of ['parents-first', 'children-first', 'interleaved'] as const) {
    const ids = idGenerator();
    const g = new DependencyGraph();
    const spans = checkoutTrace(ids, T0, { dbFails: true });
    if (order === 'parents-first') g.observeSpans(spans);
    else if (order === 'children-first') g.observeSpans([...spans].reverse());
    else for (const i of [2, 5, 0, 3, 1, 4]) g.observeSpans([spans[i]!]);
    const pay = g.serviceStats('payment-service', T0, T0 + 60_000);
    assert.equal(pay.originErrors, 1, order);
    assert.deepEqual(pay.originErrorsByPeer, { 'payment-db': 1 }, order);
    assert.equal(pay.propagatedErrors, 1, order); // its server span
    for (const s of ['frontend', 'checkout']) {
      const w = g.serviceStats(s, T0, T0 + 60_000);
      assert.equal(w.originErrors, 0, `${order} ${s}`);
      assert.equal(w.propagatedErrors, 2, `${order} ${s}`);
      assert.equal(w.originShare, 0);
    }
  }
});

void test('splits time into own work and waiting on each peer', () => {
  const ids = idGenerator();
  const g = new DependencyGraph();
  for (let i = 0; i < 10; i++) g.observeSpans(checkoutTrace(ids, T0 + i * 100, { dbMs: 100 }));
  const pay = g.serviceStats('payment-service', T0, T0 + 60_000);
  // server span 115 ms, DB call 100 ms → 15 ms own work per request
  assert.equal(pay.requests, 10);
  assert.equal(pay.selfMsPerRequest, 15);
  assert.equal(pay.waitMsPerRequestByPeer['payment-db'], 100);
  assert.ok(Math.abs(g.edgeStats('payment-service', 'payment-db', T0, T0 + 60_000).p95Ms - 100) <= 25);
});

void test('entry services are the ones receiving traffic with no instrumented parent', () => {
  const ids = idGenerator();
  const g = new DependencyGraph();
  g.observeSpans([...checkoutTrace(ids, T0), ...cartTrace(ids, T0)]);
  assert.equal(g.isEntry('frontend'), true);
  assert.equal(g.isEntry('cart'), true);
  assert.equal(g.isEntry('checkout'), false);
  assert.equal(g.isEntry('payment-service'), false);
  // a server span whose parent (e.g. a browser) never reports becomes entry traffic once the trace expires
  const orphan = makeSpan({ service: 'checkout', traceId: ids.trace(), spanId: ids.span(), parentSpanId: 'ffffffffffffffff', startTimeMs: T0 + 10 });
  g.observeSpans([orphan]);
  g.observeSpans([makeSpan({ service: 'cart', traceId: ids.trace(), spanId: ids.span(), startTimeMs: T0 + 300_000 })]);
  assert.equal(g.isEntry('checkout'), true);
});

void test('keeps versions with first-seen times and shows a new edge after a deploy', () => {
  const ids = idGenerator();
  const g = new DependencyGraph();
  g.observeSpans(checkoutTrace(ids, T0));
  const deployAt = T0 + 600_000;
  const spans = checkoutTrace(ids, deployAt, { version: '2.3' });
  const ps = spans[4]!;
  spans.push(
    makeSpan({
      service: 'payment-service',
      serviceVersion: '2.3',
      traceId: ps.traceId,
      spanId: ids.span(),
      parentSpanId: ps.spanId,
      kind: 'client',
      attributes: { 'server.address': 'api.fraud.example' },
      startTimeMs: deployAt + 6,
    }),
  );
  g.observeSpans(spans);
  assert.deepEqual(
    g.versions('payment-service').map((v) => [v.version, v.firstSeenMs]),
    [
      ['2.2', T0 + 4],
      ['2.3', deployAt + 4],
    ],
  );
  assert.equal(g.edge('payment-service', 'api.fraud.example')?.firstSeenMs, deployAt + 6);
  assert.equal(g.nodeKind('api.fraud.example'), 'external');
  const byVersion = g
    .serviceStats('payment-service', T0, deployAt + 60_000)
    .byVersion.map((v) => v.version)
    .sort();
  assert.deepEqual(byVersion, ['2.2', '2.3']);
});

void test('history stays bounded: minute buckets for two hours, hourly rollups after', () => {
  const ids = idGenerator();
  const g = new DependencyGraph();
  for (let m = 0; m < 5 * 60; m++) g.observeSpans(cartTrace(ids, T0 + m * 60_000));
  const f = g.footprint;
  // three series: the cart service and its two edges
  assert.ok(f.minuteBuckets <= 3 * 122, `minute buckets ${f.minuteBuckets}`);
  assert.ok(f.hourBuckets <= 3 * 4, `hour buckets ${f.hourBuckets}`);
  // the rolled-up past is still counted
  assert.equal(g.serviceStats('cart', T0, T0 + 5 * 3_600_000).requests, 300);
  assert.ok(f.bufferedTraces <= 3, `buffered ${f.bufferedTraces}`);
});

void test('snapshot and restore continue identically', () => {
  const ids = idGenerator();
  const a = new DependencyGraph();
  const first = checkoutTrace(ids, T0, { dbFails: true });
  a.observeSpans(first.slice(0, 3));
  const b = new DependencyGraph({}, JSON.parse(JSON.stringify(a.snapshot())) as DependencyGraphSnapshot);
  for (const g of [a, b]) g.observeSpans(first.slice(3));
  const later = checkoutTrace(ids, T0 + 5000);
  for (const g of [a, b]) g.observeSpans(later);
  assert.deepEqual(b.serviceStats('checkout', T0, T0 + 60_000), a.serviceStats('checkout', T0, T0 + 60_000));
  assert.deepEqual(b.edges(), a.edges());
  assert.deepEqual(b.snapshot(), a.snapshot());
  assert.equal(b.isEntry('frontend'), true);
});

void test('a periodic snapshot leaves out the pairing buffer and restores everything else', () => {
  const ids = idGenerator();
  const a = new DependencyGraph();
  const trace = checkoutTrace(ids, T0, { dbFails: true });
  a.observeSpans(trace);
  a.observeSpans(checkoutTrace(ids, T0 + 5000).slice(0, 2)); // a trace still in flight
  assert.ok(a.footprint.bufferedTraces >= 1);
  const full = JSON.parse(a.snapshotJson()) as DependencyGraphSnapshot;
  const light = JSON.parse(a.snapshotJson({ withPairingBuffer: false })) as DependencyGraphSnapshot;
  assert.ok(full.buffer && full.buffer.traces.length >= 1, 'the default (final) snapshot keeps the buffer');
  assert.equal(light.buffer, undefined);
  const b = new DependencyGraph({}, light);
  assert.equal(b.footprint.bufferedTraces, 0);
  assert.deepEqual(b.edges(), a.edges());
  assert.deepEqual(b.serviceStats('checkout', T0, T0 + 60_000), a.serviceStats('checkout', T0, T0 + 60_000));
  assert.ok(a.snapshotJson({ withPairingBuffer: false }).length < a.snapshotJson().length);
});

void test('peer cardinality is bounded by maxNodes', () => {
  const ids = idGenerator();
  const g = new DependencyGraph({ maxNodes: 10 });
  const spans: Span[] = [];
  for (let i = 0; i < 50; i++) {
    const traceId = ids.trace();
    const root = ids.span();
    spans.push(makeSpan({ service: 'api', traceId, spanId: root, startTimeMs: T0 + i }));
    spans.push(
      makeSpan({
        service: 'api',
        traceId,
        spanId: ids.span(),
        parentSpanId: root,
        kind: 'client',
        attributes: { 'server.address': `tenant-${i}.example.com` },
        startTimeMs: T0 + i,
      }),
    );
  }
  g.observeSpans(spans);
  assert.equal(g.nodes().length, 10);
  assert.equal(g.edges().length, 9);
});

void test('satisfies the incident engine topology (neighbours, isEntry)', async () => {
  const { IncidentEngine } = await import('../../incidents/index.js');
  const ids = idGenerator();
  const g = new DependencyGraph();
  g.observeSpans(checkoutTrace(ids, T0));
  const engine = new IncidentEngine({});
  assert.deepEqual(engine.onSignals([], T0 + 1000, g), []);
});
