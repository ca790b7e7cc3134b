import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Span } from '../../model/index.js';
import { DependencyGraph } from '../graph/dependencyGraph.js';
import { makeChange, makeSignal } from '../testing/signals.js';
import { seededRandom, TrafficGenerator } from '../testing/traffic.js';
import type { ServicePlan } from '../testing/traffic.js';
import { count } from './format.js';
import { rankRootCauses } from './rankRootCauses.js';

const T0 = 1_764_000_000_000; // 16:00 UTC
const MIN = 60_000;
const POOL_TIMEOUT = 'connection timeout acquiring connection from pool';

function checkoutPlan(paymentVersion: string, dbFail = 0, dbMs = 6): ServicePlan {
  return {
    service: 'frontend',
    route: 'POST /checkout',
    selfMs: 5,
    calls: [
      {
        service: 'checkout',
        route: 'POST /checkout',
        selfMs: 10,
        calls: [
          {
            service: 'payment',
            version: paymentVersion,
            route: 'POST /pay',
            selfMs: 8,
            calls: [{ dep: 'payment-db', system: 'postgresql', ms: dbMs, failRate: dbFail, message: POOL_TIMEOUT }],
          },
        ],
      },
    ],
  };
}

const shippingPlan = (dbMs = 4, fail = 0): ServicePlan => ({
  service: 'shipping',
  route: 'GET /quote',
  selfMs: 6,
  calls: [{ dep: 'shop-db', system: 'postgresql', ms: dbMs, failRate: fail }],
});
const catalogPlan = (version = '3.1.0', selfMs = 9, dbMs = 4, cacheFail = 0): ServicePlan => ({
  service: 'catalog',
  version,
  route: 'GET /products',
  selfMs,
  calls: [
    { dep: 'cache', system: 'redis', ms: 0.6, failRate: cacheFail },
    { dep: 'shop-db', system: 'postgresql', ms: dbMs },
  ],
});
const cartPlan = (dbMs = 5, cacheFail = 0): ServicePlan => ({
  service: 'cart',
  route: 'GET /cart',
  selfMs: 4,
  calls: [
    { dep: 'cache', system: 'redis', ms: 0.6, failRate: cacheFail },
    { dep: 'shop-db', system: 'postgresql', ms: dbMs },
  ],
});
const frontendPlan = (catalog: ServicePlan): ServicePlan => ({ service: 'frontend', route: 'GET /', selfMs: 5, calls: [catalog] });

function feed(graph: DependencyGraph, spans: Span[]): void {
  for (let i = 0; i < spans.length; i += 500) graph.observeSpans(spans.slice(i, i + 500));
}

void test('seed case: a payment deploy that exhausts the payment-db pool ranks the deploy first, with the facts', () => {
  const gen = new TrafficGenerator(seededRandom(1));
  const graph = new DependencyGraph();
  const deployAt = T0 + 30 * MIN;
  const onset = deployAt + 3 * MIN;
  const now = onset + 5 * MIN;
  feed(graph, [...gen.requests(checkoutPlan('2.2.0'), 600, T0, deployAt), ...gen.requests(shippingPlan(), 300, T0, deployAt)]);
  feed(graph, [...gen.requests(checkoutPlan('2.3.0'), 60, deployAt, onset), ...gen.requests(shippingPlan(), 30, deployAt, onset)]);
  const during = gen.requests(checkoutPlan('2.3.0', 0.15, 2900), 400, onset, now);
  feed(graph, [...during, ...gen.requests(shippingPlan(), 100, onset, now)]);
  const dbFailures = during.filter((s) => s.service === 'payment' && s.kind === 'client' && s.statusCode === 'error').length;

  const deploy = makeChange({
    service: 'payment',
    timeMs: deployAt,
    version: '2.3.0',
    previousVersion: '2.2.0',
    description: 'settlement batch size 100 → 1000',
  });
  const link = { changeId: deploy.id, kind: 'deploy', version: '2.3.0', timeMs: deployAt };
  const signals = [
    makeSignal('saturation', { service: 'payment', metric: 'db.client.connection.count', version: '2.3.0' }, onset - MIN, {
      observed: 50,
      baseline: 12,
      unit: '{connection}',
      evidence: { limit: 50, attributes: 'db.client.connection.pool.name=payment-db' },
    }),
    makeSignal('error-rate', { service: 'payment', route: 'POST /pay', version: '2.3.0' }, onset, { observed: 0.15, baseline: 0.001, change: link }),
    makeSignal('error-rate', { service: 'checkout', route: 'POST /checkout' }, onset + 30_000, { observed: 0.15, baseline: 0.001 }),
    makeSignal('error-rate', { service: 'frontend', route: 'POST /checkout' }, onset + 40_000, { observed: 0.15, baseline: 0.001 }),
  ];
  const causes = rankRootCauses({ signals, changes: [deploy], graph, onsetMs: onset, nowMs: now });
  const top = causes[0]!;
  assert.equal(`${top.service}:${top.kind}`, 'payment:bad-deploy', JSON.stringify(causes.map((c) => [c.service, c.kind, c.score])));
  assert.match(top.explanation, /^Bad deploy of payment 2\.3\.0: /);
  assert.ok(top.explanation.includes('payment-db pool 50/50 in use since 16:32'), top.explanation);
  assert.ok(top.explanation.includes('started 3 min after the payment 2.3.0 deploy at 16:30'), top.explanation);
  assert.ok(
    top.evidence.some((e) => e.includes(`errors originate in payment → payment-db calls: ${count(dbFailures)} of ${count(dbFailures)} new failing spans`)),
    top.evidence.join('\n'),
  );
  assert.ok(top.nextSteps[0]!.startsWith('Roll back payment to 2.2.0: it was healthy (0% errors'), top.nextSteps[0]);
  assert.ok(top.nextSteps[0]!.includes('over 600 requests in the 30 min before 16:30'), top.nextSteps[0]);
  assert.ok(top.nextSteps[0]!.includes('it had run since 16:00 (30 min before the deploy)'), top.nextSteps[0]);
  // the pool is the mechanism: it is the runner-up, and checkout/frontend (which only propagate) rank below
  assert.deepEqual(
    causes.slice(0, 2).map((c) => `${c.service}:${c.kind}`),
    ['payment:bad-deploy', 'payment:saturation'],
  );
  const checkout = causes.find((c) => c.service === 'checkout');
  assert.ok(!checkout || checkout.score < top.score / 2);
  assert.ok(causes.every((c, i) => i === 0 || c.score <= causes[i - 1]!.score));
});

void test('a cache outage felt by all its callers ranks the cache as a failing dependency', () => {
  const gen = new TrafficGenerator(seededRandom(2));
  const graph = new DependencyGraph();
  const onset = T0 + 30 * MIN;
  const now = onset + 5 * MIN;
  feed(graph, [...gen.requests(frontendPlan(catalogPlan()), 600, T0, onset), ...gen.requests(cartPlan(), 400, T0, onset)]);
  feed(graph, [...gen.requests(frontendPlan(catalogPlan('3.1.0', 9, 4, 1)), 100, onset, now), ...gen.requests(cartPlan(5, 1), 70, onset, now)]);
  const signals = [
    makeSignal('error-rate', { service: 'cart', route: 'GET /cart' }, onset, { observed: 1, baseline: 0.001 }),
    makeSignal('error-rate', { service: 'catalog', route: 'GET /products' }, onset, { observed: 1, baseline: 0.001 }),
    makeSignal('error-rate', { service: 'frontend', route: 'GET /' }, onset + 10_000, { observed: 1, baseline: 0.001 }),
  ];
  const causes = rankRootCauses({ signals, changes: [], graph, onsetMs: onset, nowMs: now });
  assert.equal(`${causes[0]!.service}:${causes[0]!.kind}`, 'cache:dependency-failure', JSON.stringify(causes.map((c) => [c.service, c.kind, c.score])));
  assert.ok(
    causes[0]!.explanation.includes('calls to cache fail for all 2 callers: cart 100.0% errors vs 0% ; catalog 100.0% errors vs 0%'.replace(' ;', ';')),
    causes[0]!.explanation,
  );
});

void test('a slowdown of a shared database felt by every client ranks it as saturated', () => {
  const gen = new TrafficGenerator(seededRandom(3));
  const graph = new DependencyGraph();
  const onset = T0 + 30 * MIN;
  const now = onset + 5 * MIN;
  feed(graph, [
    ...gen.requests(frontendPlan(catalogPlan()), 600, T0, onset),
    ...gen.requests(cartPlan(), 400, T0, onset),
    ...gen.requests(shippingPlan(), 300, T0, onset),
  ]);
  feed(graph, [
    ...gen.requests(frontendPlan(catalogPlan('3.1.0', 9, 80)), 100, onset, now),
    ...gen.requests(cartPlan(90), 70, onset, now),
    ...gen.requests(shippingPlan(70), 50, onset, now),
  ]);
  const signals = ['catalog', 'cart', 'shipping', 'frontend'].map((s, i) =>
    makeSignal('latency', { service: s }, onset + i * 5000, { observed: 90, baseline: 12, unit: 'ms' }),
  );
  const causes = rankRootCauses({ signals, changes: [], graph, onsetMs: onset, nowMs: now });
  assert.equal(`${causes[0]!.service}:${causes[0]!.kind}`, 'shop-db:saturation', JSON.stringify(causes.map((c) => [c.service, c.kind, c.score])));
  assert.match(causes[0]!.explanation, /shop-db is slower for all 3 callers: cart .* → .*; catalog .* → .*; shipping .* → /);
});

void test("a deploy that doubles a service's own work ranks that deploy first, not its callers", () => {
  const gen = new TrafficGenerator(seededRandom(4));
  const graph = new DependencyGraph();
  const deployAt = T0 + 30 * MIN;
  const onset = deployAt + MIN;
  const now = onset + 5 * MIN;
  feed(graph, gen.requests(frontendPlan(catalogPlan('3.1.0', 20)), 600, T0, deployAt));
  feed(graph, gen.requests(frontendPlan(catalogPlan('3.2.0', 60)), 150, deployAt, now));
  const deploy = makeChange({ service: 'catalog', timeMs: deployAt, version: '3.2.0', previousVersion: '3.1.0' });
  const signals = [
    makeSignal('latency', { service: 'catalog', version: '3.2.0' }, onset, { observed: 70, baseline: 26, unit: 'ms' }),
    makeSignal('latency', { service: 'frontend' }, onset + 10_000, { observed: 80, baseline: 33, unit: 'ms' }),
  ];
  const causes = rankRootCauses({ signals, changes: [deploy], graph, onsetMs: onset, nowMs: now });
  assert.equal(`${causes[0]!.service}:${causes[0]!.kind}`, 'catalog:bad-deploy', JSON.stringify(causes.map((c) => [c.service, c.kind, c.score])));
  assert.match(causes[0]!.explanation, /3\.2\.0 takes \d+ ms per request vs \d+ ms on 3\.1\.0 before the deploy/);
  const frontend = causes.find((c) => c.service === 'frontend');
  assert.ok(!frontend || frontend.score < causes[0]!.score);
});

void test('without a graph, signals and changes alone still rank the usual faults', () => {
  const onset = T0 + 30 * MIN;
  const now = onset + 5 * MIN;
  const cases: Array<{ name: string; want: string; input: Parameters<typeof rankRootCauses>[0] }> = [
    {
      name: 'traffic drop at the entry',
      want: 'frontend:traffic-change',
      input: {
        signals: [
          makeSignal('throughput-drop', { service: 'frontend' }, onset, { observed: 300, baseline: 1000, unit: 'per_min' }),
          makeSignal('throughput-drop', { service: 'catalog' }, onset + 20_000, { observed: 100, baseline: 330, unit: 'per_min' }),
        ],
        changes: [],
        onsetMs: onset,
        nowMs: now,
      },
    },
    {
      name: 'config change',
      want: 'checkout:config-change',
      input: {
        signals: [
          makeSignal('error-rate', { service: 'checkout', route: 'POST /checkout' }, onset),
          makeSignal('error-rate', { service: 'frontend' }, onset + 20_000),
        ],
        changes: [
          makeChange({ service: 'checkout', kind: 'config', timeMs: onset - 2 * MIN, description: 'payment timeout 5s → 50ms' }),
          makeChange({ service: 'email', timeMs: onset - 4 * MIN, version: '1.0.1' }),
        ],
        onsetMs: onset,
        nowMs: now,
      },
    },
    {
      name: 'memory leak',
      want: 'shipping:resource-exhaustion',
      input: {
        signals: [
          makeSignal('saturation-forecast', { service: 'shipping', metric: 'process.memory.usage' }, onset - 20 * MIN, {
            observed: 400e6,
            evidence: { limit: 512e6 },
          }),
          makeSignal('saturation', { service: 'shipping', metric: 'process.memory.usage' }, onset - MIN, { observed: 500e6, evidence: { limit: 512e6 } }),
          makeSignal('latency', { service: 'shipping' }, onset),
          makeSignal('latency', { service: 'checkout' }, onset + 30_000),
        ],
        changes: [],
        onsetMs: onset,
        nowMs: now,
      },
    },
    {
      name: 'new exception after a deploy',
      want: 'cart:bad-deploy',
      input: {
        signals: [
          makeSignal('new-exception', { service: 'cart', version: '2.1.0', fingerprint: 'f00d' }, onset, {
            observed: 120,
            evidence: { type: "TypeError: Cannot read properties of undefined (reading 'price')" },
          }),
          makeSignal('error-rate', { service: 'cart', route: 'POST /cart/items', version: '2.1.0' }, onset),
          makeSignal('error-rate', { service: 'frontend' }, onset + 30_000),
        ],
        changes: [makeChange({ service: 'cart', timeMs: onset - 90_000, version: '2.1.0', previousVersion: '2.0.0' })],
        onsetMs: onset,
        nowMs: now,
      },
    },
  ];
  for (const c of cases) {
    const causes = rankRootCauses(c.input);
    assert.equal(`${causes[0]?.service}:${causes[0]?.kind}`, c.want, `${c.name}: ${JSON.stringify(causes.map((x) => [x.service, x.kind, x.score]))}`);
  }
});

void test('ranking is deterministic and bounded', () => {
  const onset = T0 + 30 * MIN;
  const input = {
    signals: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((s, i) => makeSignal('new-exception', { service: s, fingerprint: s }, onset + i)),
    changes: [],
    onsetMs: onset,
    nowMs: onset + MIN,
  };
  const a = rankRootCauses(input);
  assert.deepEqual(rankRootCauses(input), a);
  assert.equal(a.length, 5);
  assert.ok(a.every((c) => c.score > 0 && c.score <= 1 && c.nextSteps.length > 0 && c.evidence.length > 0));
});

/** A service at `version` failing `failRate` of its requests, its own work `selfMs`, calling the shop database. */
const versionedPlan =
  (service: string, route: string, selfMs: number) =>
  (version: string, failRate: number): ServicePlan => ({ service, version, route, selfMs, failRate, calls: [{ dep: 'shop-db', system: 'postgresql', ms: 5 }] });

void test('two deploys of one service are two suspects: the healthy earlier one does not drag down the bad one', () => {
  const gen = new TrafficGenerator(seededRandom(5));
  const graph = new DependencyGraph();
  const cart = versionedPlan('cart', 'POST /cart/items', 4);
  const harmlessAt = T0 + 5 * MIN;
  const onset = T0 + 31 * MIN;
  const now = onset + 5 * MIN;
  feed(graph, gen.requests(cart('2.0.0', 0), 100, T0, harmlessAt));
  feed(graph, gen.requests(cart('2.0.1', 0), 500, harmlessAt, onset));
  feed(graph, gen.requests(cart('2.1.0', 0.12), 200, onset, now));
  const harmless = makeChange({ service: 'cart', timeMs: harmlessAt, version: '2.0.1', previousVersion: '2.0.0' });
  const bad = makeChange({ service: 'cart', timeMs: onset, version: '2.1.0', previousVersion: '2.0.1' });
  const signals = [
    makeSignal('error-rate', { service: 'cart' }, onset, { change: { changeId: bad.id, kind: 'deploy', version: '2.1.0', timeMs: onset } }),
    makeSignal('new-exception', { service: 'cart', version: '2.1.0', fingerprint: 'gift' }, onset + 12_000, { observed: 5, evidence: { type: 'TypeError' } }),
  ];
  const causes = rankRootCauses({ signals, changes: [harmless, bad], graph, onsetMs: onset, nowMs: now });
  assert.equal(`${causes[0]!.service}:${causes[0]!.kind}`, 'cart:bad-deploy');
  assert.match(causes[0]!.explanation, /^Bad deploy of cart 2\.1\.0: started 0 s after the cart 2\.1\.0 deploy at 16:31/);
  assert.ok(!causes[0]!.explanation.includes('Against it'), causes[0]!.explanation);
  assert.ok(causes[0]!.nextSteps[0]!.startsWith('Roll back cart to 2.0.1: it was healthy'), causes[0]!.nextSteps[0]);
  assert.equal(causes.filter((c) => c.kind === 'bad-deploy' && c.service === 'cart').length, 1);
});

/** A checkout deploy at T0 + 30 min, then a config change that breaks checkout: the config change must rank first. */
const configChangeAfterDeploy = [
  {
    name: 'a config change during a harmless rollout: both versions fail alike, so the config change ranks first, not the deploy',
    seed: 7,
    previousVersion: '1.4.0',
    version: '1.4.1',
    onsetAfterDeployMs: 90_000,
    // The rollout serves both versions side by side; the config change breaks both alike.
    served: { versions: ['1.4.0', '1.4.1'], requests: 40 },
    broken: { requests: 150, failRate: 0.2 },
    description: 'payment.timeoutMs 2000 → 20',
    deployBlamedBecause: /config change .* after it reaches both/,
  },
  {
    name: 'a config change two minutes after a routine deploy: the version served normally until it, so the config change ranks first',
    seed: 9,
    previousVersion: '1.4.2',
    version: '1.4.3',
    onsetAfterDeployMs: 2 * MIN,
    served: { versions: ['1.4.3'], requests: 60 },
    broken: { requests: 300, failRate: 0.5 },
    description: 'payment.client.timeout_ms 5000 → 50',
    deployBlamedBecause: /served \d+ requests normally until the checkout config change/,
  },
];

for (const c of configChangeAfterDeploy)
  void test(c.name, () => {
    const gen = new TrafficGenerator(seededRandom(c.seed));
    const graph = new DependencyGraph();
    const checkout = versionedPlan('checkout', 'POST /checkout', 6);
    const deployAt = T0 + 30 * MIN;
    const onset = deployAt + c.onsetAfterDeployMs;
    const now = onset + 5 * MIN;
    feed(graph, gen.requests(checkout(c.previousVersion, 0), 600, T0, deployAt));
    for (const version of c.served.versions) feed(graph, gen.requests(checkout(version, 0), c.served.requests, deployAt, onset));
    for (const version of c.served.versions) feed(graph, gen.requests(checkout(version, c.broken.failRate), c.broken.requests, onset, now));
    const deploy = makeChange({ service: 'checkout', timeMs: deployAt, version: c.version, previousVersion: c.previousVersion });
    const config = makeChange({ service: 'checkout', timeMs: onset, kind: 'config', description: c.description });
    const signals = [makeSignal('error-rate', { service: 'checkout' }, onset)];
    const causes = rankRootCauses({ signals, changes: [deploy, config], graph, onsetMs: onset, nowMs: now });
    assert.equal(`${causes[0]!.service}:${causes[0]!.kind}`, 'checkout:config-change', causes.map((r) => `${r.service}:${r.kind} ${r.score}`).join(' | '));
    const blamed = causes.find((r) => r.kind === 'bad-deploy');
    if (blamed) assert.match(blamed.explanation, c.deployBlamedBecause);
  });
