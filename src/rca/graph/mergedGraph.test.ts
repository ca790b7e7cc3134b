// The learned graph with vigil.yaml's declared edges added: declared edges join the learned ones
// (both count, the declared never hides the learned), names a span taught the graph resolve,
// declared-only edges and services have no traffic, entries follow the merged callers, and the
// ranking reads a declared callee's move as explaining its caller's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Signal, Span } from '../../model/index.js';
import { DependencyGraph } from './dependencyGraph.js';
import { withDeclaredEdges } from './mergedGraph.js';
import { rankRootCauses } from '../rank/rankRootCauses.js';
import { makeSignal } from '../testing/signals.js';
import { idGenerator, makeSpan } from '../testing/spans.js';

const T0 = 1_700_000_000_000;

/** frontend → checkout → payment-service (dialled as payment:8080), traced. */
function learnedShop(): DependencyGraph {
  const ids = idGenerator();
  const spans: Span[] = [];
  for (let i = 0; i < 20; i++) {
    const traceId = ids.trace();
    const [fs, fc, cs, cc, ps] = [ids.span(), ids.span(), ids.span(), ids.span(), ids.span()];
    const t = T0 + i * 1000;
    spans.push(
      makeSpan({ service: 'frontend', traceId, spanId: fs, startTimeMs: t, durationMs: 40 }),
      makeSpan({ service: 'frontend', traceId, spanId: fc, parentSpanId: fs, kind: 'client', peerService: 'checkout', startTimeMs: t + 1, durationMs: 35 }),
      makeSpan({ service: 'checkout', traceId, spanId: cs, parentSpanId: fc, startTimeMs: t + 2, durationMs: 30 }),
      makeSpan({
        service: 'checkout',
        traceId,
        spanId: cc,
        parentSpanId: cs,
        kind: 'client',
        attributes: { 'server.address': 'payment:8080' },
        startTimeMs: t + 3,
        durationMs: 20,
      }),
      makeSpan({ service: 'payment-service', traceId, spanId: ps, parentSpanId: cc, startTimeMs: t + 4, durationMs: 15 }),
    );
  }
  const g = new DependencyGraph();
  g.observeSpans(spans);
  return g;
}

const declared = [
  { from: 'frontend', to: 'checkout' }, // also learned
  { from: 'checkout', to: 'inventory' }, // metric-only
  { from: 'checkout', to: 'payment:8080' }, // the address spans taught the graph to read as payment-service
  { from: 'nightly-batch', to: 'inventory' },
];

void test('declared edges are added to the learned ones, which still count; statistics stay the learned graph’s', () => {
  const learned = learnedShop();
  const g = withDeclaredEdges(learned, declared);
  assert.deepEqual(g.callees('checkout').sort(), ['inventory', 'payment-service'], 'learned payment-service once, declared inventory');
  assert.deepEqual(g.callers('inventory').sort(), ['checkout', 'nightly-batch']);
  assert.deepEqual(g.callers('checkout'), ['frontend']);
  assert.deepEqual(g.neighbours('checkout').sort(), ['frontend', 'inventory', 'payment-service']);
  // Declaring one callee of checkout does not hide the one spans showed, nor does declaring none of payment-service's callers.
  assert.deepEqual(
    withDeclaredEdges(learned, [{ from: 'checkout', to: 'inventory' }])
      .callees('checkout')
      .sort(),
    ['inventory', 'payment-service'],
  );
  assert.deepEqual(g.callers('payment-service'), ['checkout']);

  const edges = new Map(g.edges().map((e) => [`${e.caller}→${e.callee}`, e]));
  assert.equal(edges.size, 4);
  assert.equal(edges.get('frontend→checkout')?.calls, 20, 'a declared edge spans also show keeps its traffic');
  assert.equal(edges.get('frontend→checkout')?.declared, true);
  assert.equal(edges.get('checkout→payment-service')?.declared, true, 'declared by an address the learned graph resolves');
  assert.equal(edges.get('checkout→inventory')?.calls, 0);
  assert.equal(edges.get('checkout→inventory')?.declared, true);
  assert.ok(Number.isNaN(edges.get('checkout→inventory')!.lastSeenMs), 'never seen in a span');
  assert.equal(edges.get('nightly-batch→inventory')?.declared, true);
  assert.deepEqual(
    withDeclaredEdges(learned, [{ from: 'checkout', to: 'inventory' }])
      .edges()
      .find((e) => e.caller === 'frontend')?.declared,
    undefined,
    'a learned edge nobody declared is not marked',
  );

  assert.equal(g.serviceStats('checkout', T0, T0 + 60_000).requests, learned.serviceStats('checkout', T0, T0 + 60_000).requests);
  assert.equal(g.serviceStats('inventory', T0, T0 + 60_000).requests, 0);
});

void test('declared services are nodes of kind service; entries are the services nobody calls, learned or declared', () => {
  const g = withDeclaredEdges(learnedShop(), declared);
  const nodes = new Map(g.nodes().map((n) => [n.name, n]));
  assert.deepEqual([...nodes.keys()].sort(), ['checkout', 'frontend', 'inventory', 'nightly-batch', 'payment-service']);
  assert.equal(nodes.get('inventory')?.kind, 'service');
  assert.equal(g.nodeKind('inventory'), 'service');
  assert.equal(g.nodeKind('nobody'), undefined);
  assert.equal(g.isEntry('frontend'), true, 'learned');
  assert.equal(g.isEntry('nightly-batch'), true, 'declared, called by nobody');
  assert.equal(g.isEntry('checkout'), false);
  assert.equal(g.isEntry('inventory'), false);
  // A declared caller that spans show being called is not an entry.
  assert.equal(withDeclaredEdges(learnedShop(), [{ from: 'checkout', to: 'inventory' }]).isEntry('checkout'), false);
});

void test('with nothing declared the merged graph reads as the learned one', () => {
  const learned = learnedShop();
  const g = withDeclaredEdges(learned, []);
  assert.deepEqual(g.edges(), learned.edges());
  assert.deepEqual(g.nodes(), learned.nodes());
  for (const s of ['frontend', 'checkout', 'payment-service', 'payment:8080']) {
    assert.deepEqual(g.callers(s), learned.callers(s), s);
    assert.deepEqual(g.callees(s), learned.callees(s), s);
    assert.equal(g.isEntry(s), learned.isEntry(s), s);
  }
});

void test('a metric-only callee reached only by a declared edge explains its traced caller’s larger move and ranks first', () => {
  // Both moves show in the same 5-min point: order says nothing, size and the graph do.
  const shift = (service: string, z: number): Signal =>
    makeSignal('metric-anomaly', { service, metric: 'latency' }, T0 + 60_000, { summary: `${service} latency up`, evidence: { robustZ: z } });
  const signals = [shift('checkout', 90), shift('inventory', 50)];
  const rank = (graph: Parameters<typeof rankRootCauses>[0]['graph']): string[] =>
    rankRootCauses({ signals, changes: [], ...(graph ? { graph } : {}), onsetMs: T0 + 60_000, nowMs: T0 + 6 * 60_000 }).map((c) => c.service);
  const learned = learnedShop();
  assert.equal(rank(learned)[0], 'checkout', 'the learned graph alone knows no call to inventory: the larger move leads');
  assert.deepEqual(rank(withDeclaredEdges(learned, declared)).slice(0, 2), ['inventory', 'checkout']);
});
