// Traces as other tracers produce them: RPC and messaging spans without http.route, client spans
// whose server counterpart is in no trace we can pair (a proxy dropped the context, clocks skew),
// and peers named only by address. The graph still forms, under the services' own names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Span } from '../../model/index.js';
import { DependencyGraph } from './dependencyGraph.js';
import { idGenerator, makeSpan } from '../testing/spans.js';

const T0 = 1_700_000_000_000;

function rpcRound(ids: ReturnType<typeof idGenerator>, t: number, failPayment = false): Span[] {
  // checkout calls payment over gRPC; payment's server span starts a trace of its own (no context
  // propagated) and its clock runs 4 s ahead of checkout's.
  const a = ids.trace();
  const b = ids.trace();
  const [cs, cc, ps, pc, qs] = [ids.span(), ids.span(), ids.span(), ids.span(), ids.span()];
  const grpcClient = {
    'rpc.system': 'grpc',
    'rpc.service': 'shop.PaymentService',
    'rpc.method': 'Charge',
    'server.address': '10.0.0.5',
    'server.port': '50051',
  };
  return [
    makeSpan({
      service: 'checkout',
      traceId: a,
      spanId: cs,
      name: 'shop.CheckoutService/PlaceOrder',
      kind: 'server',
      attributes: { 'rpc.system': 'grpc' },
      startTimeMs: t,
      durationMs: 30,
    }),
    makeSpan({
      service: 'checkout',
      traceId: a,
      spanId: cc,
      parentSpanId: cs,
      name: 'shop.PaymentService/Charge',
      kind: 'client',
      attributes: grpcClient,
      peerService: '10.0.0.5',
      startTimeMs: t + 1,
      durationMs: 20,
      statusCode: failPayment ? 'error' : 'unset',
    }),
    makeSpan({
      service: 'payment',
      traceId: b,
      spanId: ps,
      name: 'shop.PaymentService/Charge',
      kind: 'server',
      attributes: { 'rpc.system': 'grpc', 'server.address': '10.0.0.5', 'server.port': '50051' },
      startTimeMs: t + 4002,
      durationMs: 18,
      statusCode: failPayment ? 'error' : 'unset',
    }),
    // payment publishes to a queue; the consumer span carries the producer as parent.
    makeSpan({
      service: 'payment',
      traceId: b,
      spanId: pc,
      parentSpanId: ps,
      name: 'receipts publish',
      kind: 'producer',
      attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': 'receipts' },
      startTimeMs: t + 4010,
      durationMs: 1,
    }),
    makeSpan({
      service: 'email',
      traceId: b,
      spanId: qs,
      parentSpanId: pc,
      name: 'receipts process',
      kind: 'consumer',
      attributes: { 'messaging.system': 'kafka' },
      startTimeMs: t + 4100,
      durationMs: 5,
    }),
  ];
}

void test('RPC-only traces form a graph under the callee service names, errors on the callee edge', () => {
  const ids = idGenerator();
  const g = new DependencyGraph();
  for (let i = 0; i < 50; i++) g.observeSpans(rpcRound(ids, T0 + i * 1000, i >= 40));
  const edges = g
    .edges()
    .map((e) => `${e.caller}->${e.callee}`)
    .sort();
  assert.deepEqual(edges, ['checkout->payment', 'payment->email']);
  assert.equal(g.nodeKind('payment'), 'service');
  assert.equal(
    g.nodes().some((n) => n.name.startsWith('10.0.0.5')),
    false,
    'no phantom address node',
  );
  assert.equal(g.canonical('10.0.0.5:50051'), 'payment');
  const pay = g.edgeStats('checkout', 'payment', T0, T0 + 60_000);
  assert.equal(pay.calls, 50); // the first call, made before payment said where it serves, is folded in
  assert.equal(pay.errors, 10);
});

void test('services sharing a host are told apart by port; a truly uninstrumented peer keeps its address', () => {
  const ids = idGenerator();
  const g = new DependencyGraph();
  const spans: Span[] = [];
  for (const [service, port] of [
    ['cart', '8081'],
    ['catalog', '8082'],
  ] as const) {
    spans.push(
      makeSpan({
        service,
        traceId: ids.trace(),
        spanId: ids.span(),
        kind: 'server',
        name: 'GET',
        attributes: { 'server.address': '127.0.0.1', 'server.port': port },
        startTimeMs: T0,
        durationMs: 5,
      }),
    );
  }
  const call = (port: string): Span =>
    makeSpan({
      service: 'frontend',
      traceId: ids.trace(),
      spanId: ids.span(),
      kind: 'client',
      name: 'GET',
      attributes: { 'server.address': '127.0.0.1', 'server.port': port },
      peerService: '127.0.0.1',
      startTimeMs: T0 + 10,
      durationMs: 6,
    });
  g.observeSpans([...spans, call('8081'), call('8082'), call('9999')]);
  const edges = g
    .edges()
    .map((e) => `${e.caller}->${e.callee}`)
    .sort();
  assert.deepEqual(edges, ['frontend->127.0.0.1:9999', 'frontend->cart', 'frontend->catalog']);
  assert.equal(g.nodeKind('127.0.0.1:9999'), 'external');
  assert.equal(g.canonical('127.0.0.1'), '127.0.0.1', 'a shared host names nobody');
  const restored = new DependencyGraph({}, g.snapshot());
  assert.equal(restored.canonical('127.0.0.1:8082'), 'catalog');
});
