// Topology distance used by correlation, over the in-memory topology and src/rca's live graph.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DependencyGraph } from '../rca/index.js';
import { hopsFrom, signalServices } from './correlation.js';
import { shopTopology } from './testing/topology.js';
import type { Topology } from './types.js';

void test('hop distances stop at the limit and never cross into a disconnected stack', () => {
  const hops = hopsFrom(shopTopology, ['payment-service'], 2);
  assert.deepEqual(Object.fromEntries([...hops].sort()), { checkout: 1, frontend: 2, inventory: 2, 'payment-db': 1, 'payment-service': 0 });
  assert.equal(hopsFrom(shopTopology, ['search-api'], 5).has('frontend'), false);
});

void test('entry services are the ones nothing calls', () => {
  assert.deepEqual(
    ['frontend', 'checkout', 'search-api', 'payment-db'].map((s) => shopTopology.isEntry(s)),
    [true, false, true, false],
  );
});

void test('a signal about a dependency touches both the service and the dependency', () => {
  assert.deepEqual(signalServices({ subject: { service: 'payment-service', peer: 'payment-db' } }), ['payment-service', 'payment-db']);
});

void test("src/rca's live dependency graph is a Topology", () => {
  const graph: Topology = new DependencyGraph();
  assert.deepEqual(graph.neighbours('nobody'), []);
  assert.equal(graph.isEntry('nobody'), false);
});
