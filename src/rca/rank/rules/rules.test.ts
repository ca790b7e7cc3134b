import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Signal } from '../../../model/index.js';
import { declaredGraph } from '../../graph/declaredGraph.js';
import { DependencyGraph } from '../../graph/dependencyGraph.js';
import { makeChange, makeSignal } from '../../testing/signals.js';
import { seededRandom, TrafficGenerator } from '../../testing/traffic.js';
import type { ServicePlan } from '../../testing/traffic.js';
import { defaultRcaRules } from '../registry.js';
import { buildRuleContext } from '../rankRootCauses.js';
import type { RootCauseInput } from '../types.js';
import { changeAlignment } from './changeAlignment.js';
import { dependencyHealth } from './dependencyHealth.js';
import { errorOrigin } from './errorOrigin.js';
import { firstAnomaly } from './firstAnomaly.js';
import { logSignals } from './logSignals.js';
import { saturation } from './saturation.js';
import { selfTime } from './selfTime.js';
import { trafficChange } from './trafficChange.js';
import { versionConfinement } from './versionConfinement.js';

const T0 = 1_764_000_000_000; // 16:00 UTC
const MIN = 60_000;
const onset = T0 + 30 * MIN;
const now = onset + 5 * MIN;

const ctxOf = (input: Partial<RootCauseInput>) => buildRuleContext({ signals: [], changes: [], onsetMs: onset, nowMs: now, ...input });

/** A graph with 600 healthy requests before the onset and 200 shaped by `during` after it. */
function graphOf(before: ServicePlan[], during: ServicePlan[], seed = 1): DependencyGraph {
  const gen = new TrafficGenerator(seededRandom(seed));
  const g = new DependencyGraph();
  for (const p of before) g.observeSpans(gen.requests(p, 600, T0, onset));
  for (const p of during) g.observeSpans(gen.requests(p, 200, onset, now));
  return g;
}

const pay = (dbFail = 0, dbMs = 6, version = '2.2.0'): ServicePlan => ({
  service: 'checkout',
  selfMs: 10,
  calls: [{ service: 'payment', version, selfMs: 8, calls: [{ dep: 'payment-db', system: 'postgresql', ms: dbMs, failRate: dbFail }] }],
});
const svc = (service: string, selfMs: number, dep: string, depMs: number, fail = 0): ServicePlan => ({
  service,
  selfMs,
  calls: [{ dep, system: 'postgresql', ms: depMs, failRate: fail }],
});

void test('every rule honours the port contract: weights in range, facts stated, deterministic', () => {
  const graph = graphOf([pay(), svc('shipping', 5, 'shop-db', 4)], [pay(0.2, 300, '2.3.0'), svc('shipping', 5, 'shop-db', 4)]);
  const input: RootCauseInput = {
    signals: [
      makeSignal('saturation', { service: 'payment', metric: 'db.client.connection.count' }, onset, { observed: 50, evidence: { limit: 50 } }),
      makeSignal('error-rate', { service: 'payment', version: '2.3.0' }, onset),
      makeSignal('throughput-drop', { service: 'checkout' }, onset + MIN, { observed: 10, baseline: 20, unit: 'per_min' }),
      makeSignal('new-exception', { service: 'payment', fingerprint: 'x', version: '2.3.0' }, onset),
    ],
    changes: [makeChange({ service: 'payment', timeMs: onset - 3 * MIN, version: '2.3.0', previousVersion: '2.2.0' })],
    graph,
    onsetMs: onset,
    nowMs: now,
  };
  for (const rule of defaultRcaRules) {
    const a = rule.evaluate(buildRuleContext(input));
    assert.deepEqual(rule.evaluate(buildRuleContext(input)), a, rule.name);
    for (const f of a) {
      assert.equal(f.rule, rule.name);
      assert.ok(f.weight !== 0 && f.weight >= -1 && f.weight <= 1, `${rule.name} weight ${f.weight}`);
      assert.ok(f.fact.length > 10 && !/NaN|undefined|Infinity/.test(f.fact), `${rule.name}: ${f.fact}`);
    }
    assert.deepEqual(rule.evaluate(ctxOf({})), [], `${rule.name} finds nothing in an empty incident`);
  }
  assert.equal(new Set(defaultRcaRules.map((r) => r.name)).size, defaultRcaRules.length);
});

void test('change-alignment: a close deploy of an involved service outweighs an old one of a bystander', () => {
  const signals = [makeSignal('error-rate', { service: 'payment' }, onset)];
  const close = makeChange({ service: 'payment', timeMs: onset - 3 * MIN, version: '2.3.0' });
  const old = makeChange({ service: 'payment', timeMs: onset - 28 * MIN, version: '2.2.9' });
  const bystander = makeChange({ service: 'email', kind: 'config', timeMs: onset - MIN, description: 'smtp pool 4 → 8' });
  const tooOld = makeChange({ service: 'payment', timeMs: onset - 45 * MIN, version: '2.2.8' });
  const f = changeAlignment.evaluate(ctxOf({ signals, changes: [close, old, bystander, tooOld] }));
  const w = (id: string) => f.find((x) => x.change?.id === id)?.weight ?? 0;
  assert.equal(f.length, 3);
  assert.ok(w(close.id) > w(old.id) && w(old.id) > w(bystander.id));
  assert.equal(f.find((x) => x.change?.id === close.id)?.fact, 'started 3 min after the payment 2.3.0 deploy at 16:27');
  assert.equal(f.find((x) => x.change?.id === bystander.id)?.kind, 'config-change');
});

void test('version-confinement: compares the new version with the old one before the deploy, both ways', () => {
  const deploy = makeChange({ service: 'payment', timeMs: onset, version: '2.3.0', previousVersion: '2.2.0' });
  const bad = versionConfinement.evaluate(ctxOf({ changes: [deploy], graph: graphOf([pay()], [pay(0.25, 6, '2.3.0')]) }));
  const g = graphOf([pay()], [pay(0.25, 6, '2.3.0')]);
  const fresh = g.serviceStats('payment', onset, now + 1).byVersion.find((v) => v.version === '2.3.0')!;
  assert.equal(bad[0]?.weight, 0.45);
  assert.equal(bad[0]?.fact, `2.3.0 fails ${(fresh.errorRate * 100).toFixed(1)}% of 200 requests vs 0% on 2.2.0 before the deploy`);
  const healthy = versionConfinement.evaluate(ctxOf({ changes: [deploy], graph: graphOf([pay()], [pay(0, 6, '2.3.0')]) }));
  assert.ok(healthy[0]!.weight < 0);
  assert.match(healthy[0]!.fact, /^2\.3\.0 looks like 2\.2\.0: 0% errors/);
});

void test('saturation: pools are saturation of the holder, memory is resource exhaustion, and a full client pool clears the database', () => {
  const signals: Signal[] = [
    makeSignal('saturation', { service: 'payment', metric: 'db.client.connection.count' }, onset - MIN, {
      observed: 50,
      evidence: { limit: 50, attributes: 'db.client.connection.pool.name=payment-db' },
    }),
    makeSignal('saturation-forecast', { service: 'shipping', metric: 'process.memory.usage' }, onset, {
      observed: 460e6,
      evidence: { limit: 512e6, etaMs: 12 * MIN },
    }),
  ];
  const f = saturation.evaluate(ctxOf({ signals }));
  assert.deepEqual(
    f.map((x) => [x.service, x.kind, x.weight]),
    [
      ['payment', 'saturation', 0.6],
      ['payment-db', 'dependency-failure', -0.35],
      ['shipping', 'resource-exhaustion', 0.4],
    ],
  );
  assert.equal(f[0]?.fact, 'payment-db pool 50/50 in use since 16:29');
  assert.equal(f[0]?.poolOf, 'payment-db');
  assert.equal(f[2]?.fact, 'shipping process.memory.usage heading for its limit (439 MB of 488 MB in use at 16:30; limit reached in about 12 min)');
  // detection may report the ratio as observed and the value in evidence
  const ratio = makeSignal('saturation', { service: 'payment', metric: 'db.client.connection.count' }, onset, {
    observed: 0.98,
    unit: 'ratio',
    evidence: { value: 49, limit: 50, ratio: 0.98 },
  });
  assert.equal(saturation.evaluate(ctxOf({ signals: [ratio] }))[0]?.fact, 'payment db.client.connection.count 49/50 in use since 16:30');
  // … without a pool name: the graph knows payment's only database
  const graph = graphOf([pay()], [pay()]);
  assert.equal(saturation.evaluate(ctxOf({ signals: [ratio], graph }))[0]?.fact, 'payment-db pool 49/50 in use since 16:30');
});

void test('error-origin: the deepest failing call gets the blame, services that only propagate are cleared', () => {
  const graph = graphOf([pay()], [pay(0.3)]);
  const failing = graph.serviceStats('payment', onset, now + 1).originErrors;
  const f = errorOrigin.evaluate(ctxOf({ signals: [makeSignal('error-rate', { service: 'checkout' }, onset)], graph }));
  const fact = `errors originate in payment → payment-db calls: ${failing} of ${failing} new failing spans (100.0%) start there`;
  assert.deepEqual(
    f.filter((x) => x.weight > 0).map((x) => [x.service, x.fact]),
    [
      ['payment', fact],
      ['payment-db', fact],
    ],
  );
  const cleared = f.find((x) => x.service === 'checkout');
  assert.ok(cleared && cleared.weight < 0, JSON.stringify(f));
  // each failing checkout request fails twice there: its call to payment and its own server span
  assert.equal(cleared.fact, `checkout's errors propagate from its calls (${2 * failing} of ${2 * failing} failing spans have a failing child)`);
});

/** What self-time finds for a latency signal on `service` as the traffic goes from `before` to `during`: the findings and whom they blame (+) or clear (-). */
function selfTimeOn(service: string, before: ServicePlan[], during: ServicePlan[]) {
  const findings = selfTime.evaluate(ctxOf({ signals: [makeSignal('latency', { service }, onset)], graph: graphOf(before, during) }));
  return { findings, verdicts: findings.map((x) => [x.service, Math.sign(x.weight)]) };
}

void test('self-time: own work growth blames the service, waiting blames the dependency', () => {
  const own = selfTimeOn('catalog', [svc('catalog', 10, 'shop-db', 4)], [svc('catalog', 40, 'shop-db', 4)]);
  assert.deepEqual(own.verdicts, [['catalog', 1]]);
  assert.match(own.findings[0]!.fact, /^catalog's own work per request rose \d\.\d× \(\d+\.?\d* ms → \d+ ms\)/);
  const waiting = selfTimeOn('catalog', [svc('catalog', 10, 'shop-db', 4)], [svc('catalog', 10, 'shop-db', 60)]);
  assert.deepEqual(waiting.verdicts, [['shop-db', 1]]);
  assert.match(waiting.findings[0]!.fact, /^catalog waits \d+ ms per request on shop-db vs \d\.\d ms before \(\d+×\)$/);
  const front = (selfMs: number): ServicePlan => ({ service: 'frontend', selfMs: 5, calls: [svc('catalog', selfMs, 'shop-db', 4)] });
  const upstream = selfTimeOn('frontend', [front(10)], [front(60)]);
  assert.deepEqual(upstream.verdicts, [
    ['catalog', 1],
    ['frontend', -1],
  ]);
  assert.match(upstream.findings[1]!.fact, /^frontend is slower only because it waits on its calls/);
});

void test('dependency-health: all callers hit → the dependency; one caller of several → that caller', () => {
  const before = [svc('catalog', 5, 'shop-db', 4), svc('cart', 5, 'shop-db', 4), svc('shipping', 5, 'shop-db', 4)];
  const all = dependencyHealth.evaluate(
    ctxOf({
      signals: [makeSignal('latency', { service: 'cart' }, onset)],
      graph: graphOf(before, [svc('catalog', 5, 'shop-db', 50), svc('cart', 5, 'shop-db', 50), svc('shipping', 5, 'shop-db', 50)]),
    }),
  );
  assert.deepEqual(
    all.map((x) => [x.service, x.kind, x.weight]),
    [
      ['shop-db', 'saturation', 0.55],
      ['shop-db', 'dependency-failure', 0.35],
    ],
  );
  const one = dependencyHealth.evaluate(
    ctxOf({
      signals: [makeSignal('error-rate', { service: 'cart' }, onset)],
      graph: graphOf(before, [svc('catalog', 5, 'shop-db', 4), svc('cart', 5, 'shop-db', 4, 0.5), svc('shipping', 5, 'shop-db', 4)]),
    }),
  );
  assert.deepEqual(
    one.map((x) => [x.service, x.weight]),
    [
      ['shop-db', -0.4],
      ['cart', 0.25],
    ],
  );
  assert.equal(one[0]?.fact, 'other shop-db clients unaffected (catalog, shipping)');
});

void test('first-anomaly: a clear lead blames the first service, near-ties share a little, all at once says nothing', () => {
  const lead = firstAnomaly.evaluate(
    ctxOf({ signals: [makeSignal('error-rate', { service: 'checkout' }, onset + MIN), makeSignal('saturation', { service: 'payment' }, onset)] }),
  );
  assert.deepEqual(
    lead.map((x) => [x.service, x.weight, x.fact]),
    [['payment', 0.3, 'its anomaly started first (16:30, 1 min before checkout)']],
  );
  const tie = firstAnomaly.evaluate(
    ctxOf({
      signals: [
        makeSignal('latency', { service: 'a' }, onset),
        makeSignal('latency', { service: 'b' }, onset + 10_000),
        makeSignal('latency', { service: 'c' }, onset + 2 * MIN),
      ],
    }),
  );
  assert.deepEqual(
    tie.map((x) => [x.service, x.weight]),
    [
      ['a', 0.1],
      ['b', 0.1],
    ],
  );
  // Everyone at once (coarse data: one 5-min point) says nothing about order.
  const together = firstAnomaly.evaluate(
    ctxOf({ signals: [makeSignal('latency', { service: 'a' }, onset), makeSignal('latency', { service: 'b' }, onset + 10_000)] }),
  );
  assert.deepEqual(together, []);
});

void test('first-anomaly: a lead between services no chain of calls joins says nothing; through a chain it stands, either way', () => {
  const signals = [makeSignal('latency', { service: 'workflow' }, onset), makeSignal('error-rate', { service: 'search' }, onset + 5 * MIN)];
  // The site calls both; the search never calls the workflow engine, so the engine's earlier move cannot be the search's cause.
  const apart = declaredGraph([
    ['site', 'workflow'],
    ['site', 'search'],
    ['search', 'table'],
  ]);
  assert.deepEqual(firstAnomaly.evaluate(ctxOf({ signals, graph: apart })), []);
  const chained = declaredGraph([
    ['site', 'search'],
    ['search', 'table'],
    ['table', 'workflow'],
  ]);
  assert.deepEqual(
    firstAnomaly.evaluate(ctxOf({ signals, graph: chained })).map((x) => [x.service, x.weight]),
    [['workflow', 0.3]],
  );
  // A caller that moved first keeps its lead over its callee (its load or retries reach it).
  const callerFirst = [makeSignal('throughput-drop', { service: 'site' }, onset), makeSignal('error-rate', { service: 'search' }, onset + 5 * MIN)];
  assert.deepEqual(
    firstAnomaly.evaluate(ctxOf({ signals: callerFirst, graph: apart })).map((x) => x.service),
    ['site'],
  );
  // A service the graph does not know keeps its lead: the graph cannot rule it out.
  const unknown = [makeSignal('latency', { service: 'batch-job' }, onset), makeSignal('error-rate', { service: 'search' }, onset + 5 * MIN)];
  assert.deepEqual(
    firstAnomaly.evaluate(ctxOf({ signals: unknown, graph: apart })).map((x) => x.service),
    ['batch-job'],
  );
});

void test('log-signals: a new exception is a code error, and a bad deploy when first seen in the new version', () => {
  const deploy = makeChange({ service: 'cart', timeMs: onset - MIN, version: '2.1.0' });
  const s = makeSignal('new-exception', { service: 'cart', version: '2.1.0', fingerprint: 'f1' }, onset, { observed: 42, evidence: { type: 'TypeError' } });
  const f = logSignals.evaluate(ctxOf({ signals: [s], changes: [deploy] }));
  assert.deepEqual(
    f.map((x) => x.kind),
    ['code-error', 'bad-deploy'],
  );
  assert.ok(f[0]!.weight > 0.4 && f[1]!.weight < f[0]!.weight);
  assert.equal(f[0]?.fact, 'new exception TypeError in 2.1.0 from cart since 16:30 (42 occurrences)');
  assert.equal(f[1]?.change?.id, deploy.id);
});

void test('log-signals: a pile of one-off templates weighs less than one frequent exception', () => {
  const oneOffs = Array.from({ length: 6 }, (_, i) =>
    makeSignal('new-log-pattern', { service: 'catalog', patternId: `t${i}`, pattern: `failed ${i}` }, onset + i, { observed: 1, evidence: { occurrences: 1 } }),
  );
  const frequent = makeSignal('new-exception', { service: 'cart', fingerprint: 'f' }, onset, {
    observed: 60,
    evidence: { occurrences: 60, type: 'TypeError' },
  });
  const f = logSignals.evaluate(ctxOf({ signals: [...oneOffs, frequent] }));
  const w = (svc: string) => f.find((x) => x.service === svc)!.weight;
  assert.ok(w('cart') > 2 * w('catalog'), `${w('cart')} vs ${w('catalog')}`);
  assert.match(f.find((x) => x.service === 'catalog')!.fact, /and 5 more new log signals \(6 occurrences in all\)$/);
});

void test('traffic-change: a drop at the entry with no failures is a traffic change; with failures it is weak', () => {
  const drop = makeSignal('throughput-drop', { service: 'frontend' }, onset, { observed: 300, baseline: 1000, unit: 'per_min' });
  const f = trafficChange.evaluate(ctxOf({ signals: [drop] }));
  assert.equal(f[0]?.kind, 'traffic-change');
  assert.equal(f[0]?.weight, 0.75);
  assert.equal(f[0]?.fact, 'requests to frontend fell (70.0%, 1,000 → 300 per min) at an entry service, with no errors or latency of its own');
  const routes = ['/', '/cart', '/checkout', '/product/{id}'].map((route, i) =>
    makeSignal('throughput-drop', { service: 'frontend', route }, onset, { observed: 30 + i, baseline: 100, unit: 'count' }),
  );
  assert.equal(
    trafficChange.evaluate(ctxOf({ signals: routes }))[0]?.fact,
    'requests to frontend fell on 4 routes (/: 70.0%, 100 → 30; /cart: 69.0%, 100 → 31; /checkout: 68.0%, 100 → 32; 1 more routes) at an entry service, with no errors or latency of its own',
  );
  const failing = trafficChange.evaluate(ctxOf({ signals: [drop, makeSignal('error-rate', { service: 'frontend' }, onset)] }));
  assert.ok(failing[0]!.weight < 0.3);
});
