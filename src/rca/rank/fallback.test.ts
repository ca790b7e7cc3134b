// Every incident carries a ranking: with an empty dependency graph, no graph at all, or evidence no
// rule localizes, the graph-free signal-shift ranking (first and largest move) fills the list,
// marked as low confidence with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DependencyGraph } from '../graph/dependencyGraph.js';
import { makeElevatedShift, makeSignal } from '../testing/signals.js';
import { rankRootCauses } from './rankRootCauses.js';
import { declaredGraph } from '../graph/declaredGraph.js';
import { withDeclaredEdges } from '../graph/mergedGraph.js';
import type { ElevatedShift, Signal } from '../../model/index.js';
import { defaultIncidentConfig } from '../../incidents/index.js';
import { defaultRcaOptions } from './types.js';

const T = 1_764_000_000_000;
const MIN = 60_000;

/** A paged latency move of `service`, `z` robust deviations, from `atMs`. */
const shift = (service: string, z: number, atMs = T): Signal =>
  makeSignal('metric-anomaly', { service, metric: 'latency' }, atMs, { summary: `${service} latency up`, evidence: { robustZ: z } });

/** A latency move of `service` under its paging bar, remembered from `atMs` until `lastSeenMs`. */
const elevated = (service: string, z: number, atMs = T, lastSeenMs = atMs + 5 * MIN): ElevatedShift => makeElevatedShift(service, z, atMs, lastSeenMs);

void test('an incident whose graph is empty still has a ranked list, first mover first, saying why it is unsure', () => {
  const orders = makeSignal('latency', { service: 'orders', route: 'POST /orders' }, T, { score: 0.95, observed: 2400, baseline: 80, unit: 'ms' });
  const frontEnd = makeSignal('latency', { service: 'front-end', route: 'GET /' }, T + 40_000, { score: 0.7, observed: 900, baseline: 120, unit: 'ms' });
  for (const graph of [undefined, new DependencyGraph()]) {
    const alone = rankRootCauses({ signals: [orders], changes: [], ...(graph ? { graph } : {}), onsetMs: T, nowMs: T + 5 * MIN });
    assert.equal(alone.length, 1);
    assert.equal(alone[0]?.service, 'orders');
    assert.match(
      alone[0].explanation,
      /^Low confidence \(no dependency graph or trace evidence covers these services; ranked by which service's own signals moved first and most\)/,
    );
    assert.ok(alone[0].score > 0 && alone[0].score <= 0.3);
    const both = rankRootCauses({ signals: [frontEnd, orders], changes: [], ...(graph ? { graph } : {}), onsetMs: T, nowMs: T + 5 * MIN });
    assert.deepEqual(
      both.map((c) => c.service),
      ['orders', 'front-end'],
    );
    assert.ok(both[0]!.score > both[1]!.score);
  }
});

void test('an edge signal names the callee before the caller; fallback suspects rank below what the rules found', () => {
  const edge = makeSignal('error-rate', { service: 'checkout', peer: 'ledger:50051' }, T, { score: 0.9 });
  const [first] = rankRootCauses({ signals: [edge], changes: [], onsetMs: T, nowMs: T + 5 * MIN });
  assert.equal(first?.service, 'ledger:50051');
  const resource = makeSignal('metric-anomaly', { service: 'carts', metric: 'container_cpu_usage_seconds_total' }, T, {
    score: 0.9,
    summary: 'carts container_cpu_usage_seconds_total rose to 0.95 from a usual 0.08 (robust z 60 over the last 20 min)',
    evidence: { resource: 'cpu', robustZ: 60 },
  });
  const other = makeSignal('latency', { service: 'front-end' }, T + 30_000, { score: 0.6 });
  const causes = rankRootCauses({ signals: [resource, other], changes: [], onsetMs: T, nowMs: T + 5 * MIN });
  assert.deepEqual(causes.map((c) => `${c.service}:${c.kind}`).slice(0, 2), ['carts:resource-exhaustion', 'front-end:code-error']);
  assert.ok(!causes[0]!.explanation.startsWith('Low confidence'));
  assert.match(causes[1]!.explanation, /^Low confidence \(other suspects are better supported/);
});

void test('a caller whose move an anomalous callee explains ranks below that callee, even when it moved further; unrelated moves keep their order', () => {
  // Coarse metrics: every move shows in the same 5-min point, so order says nothing; size and the graph do.
  const signals = [shift('site', 300), shift('balancer', 120), shift('search', 40), shift('table', 35)];
  const graph = declaredGraph([
    ['site', 'search'],
    ['site', 'balancer'],
    ['search', 'table'],
  ]);
  const ranked = rankRootCauses({ signals, changes: [], graph, onsetMs: T, nowMs: T + 5 * MIN });
  // No callee of site moved half as far (120 and 40 against 300): site stays first.
  assert.equal(ranked[0]?.service, 'site');
  // search (40) is explained by table (35 ≥ 20): table ranks above search.
  const order = ranked.map((c) => c.service);
  assert.ok(order.indexOf('table') < order.indexOf('search'), order.join(' > '));
  assert.match(ranked.find((c) => c.service === 'search')!.explanation, /its callee table moved as far \(robust z 35 against 40\)/);
  // Without the graph, size alone orders them.
  const flat = rankRootCauses({ signals, changes: [], onsetMs: T, nowMs: T + 5 * MIN }).map((c) => c.service);
  assert.deepEqual(flat, ['site', 'balancer', 'search', 'table']);
  // A callee's large move explains a caller's: the callee leads.
  const chain = rankRootCauses({
    signals: [shift('site', 300), shift('search', 200)],
    changes: [],
    graph: declaredGraph([['site', 'search']]),
    onsetMs: T,
    nowMs: T + 5 * MIN,
  });
  assert.deepEqual(
    chain.map((c) => c.service),
    ['search', 'site'],
  );
  assert.ok(chain[0]!.score > chain[1]!.score);
});

void test('a callee that moved only under the paging bar is weak evidence: it explains its caller and leads, alone it ranks below a paged move, outside the incident it is not read', () => {
  const graph = declaredGraph([
    ['site', 'listing'],
    ['listing', 'table'],
    ['site', 'cache'],
  ]);
  // Only listing paged; its table moved half as far but under the bar (the anomaly-traversal case).
  const signals = [shift('listing', 12), shift('site', 9)];
  const without = rankRootCauses({ signals, changes: [], graph, onsetMs: T, nowMs: T + 5 * MIN });
  assert.equal(without[0]?.service, 'listing');
  const withWeak = rankRootCauses({ signals, elevated: [elevated('table', 6)], changes: [], graph, onsetMs: T, nowMs: T + 5 * MIN });
  assert.deepEqual(
    withWeak.slice(0, 2).map((c) => c.service),
    ['table', 'listing'],
  );
  assert.match(withWeak[0]!.explanation, /under the paging bar/);
  // Unrelated to any paged move: below every paged service of the same size.
  const aside = rankRootCauses({ signals: [shift('listing', 6)], elevated: [elevated('cache', 6)], changes: [], graph, onsetMs: T, nowMs: T + 5 * MIN });
  assert.deepEqual(
    aside.map((c) => c.service),
    ['listing', 'cache'],
  );
  assert.ok(aside[0]!.score > aside[1]!.score);
  // A move that ended well before the incident (the baseline gap) or began after now is not its evidence.
  for (const atMs of [T - 30 * MIN, T + 10 * MIN]) {
    const far = rankRootCauses({ signals, elevated: [elevated('table', 6, atMs)], changes: [], graph, onsetMs: T, nowMs: T + 5 * MIN });
    assert.equal(far[0]?.service, 'listing');
    assert.ok(!far.some((c) => c.service === 'table'));
  }
});

void test('a sub-threshold move under way since before the baseline window is the usual state, not evidence: it neither explains a caller nor counts as first', () => {
  // Remembered since an hour before the onset and still seen now: a service that hovers under its bar.
  const hovering = (service: string, startedAtMs: number): ElevatedShift => elevated(service, 9, startedAtMs, T + 5 * MIN);
  const graph = declaredGraph([
    ['site', 'search'],
    ['search', 'table'],
  ]);
  const signals = [shift('search', 14)];
  const chronic = rankRootCauses({ signals, elevated: [hovering('table', T - 60 * MIN)], changes: [], graph, onsetMs: T, nowMs: T + 5 * MIN });
  assert.deepEqual(
    chronic.map((c) => c.service),
    ['search'],
  );
  // The same move begun within the baseline window (here 10 min before the onset) still explains search and leads.
  const recent = rankRootCauses({ signals, elevated: [hovering('table', T - 10 * MIN)], changes: [], graph, onsetMs: T, nowMs: T + 5 * MIN });
  assert.deepEqual(
    recent.map((c) => c.service),
    ['table', 'search'],
  );
});

void test("a sub-threshold move of a series that moved and settled twice before in the detectors' memory is its habit, not evidence; after one earlier episode it still is", () => {
  const graph = declaredGraph([
    ['site', 'search'],
    ['search', 'lambda'],
  ]);
  const signals = [shift('search', 14)];
  // Cold starts: short moves 100 and 50 min before the onset, and one now.
  const episodes = [T - 100 * MIN, T - 50 * MIN, T - 2 * MIN].map((at) => elevated('lambda', 9, at, at + 5 * MIN));
  const ranked = (moves: ElevatedShift[]): string[] =>
    rankRootCauses({ signals, elevated: moves, changes: [], graph, onsetMs: T, nowMs: T + 5 * MIN }).map((c) => c.service);
  assert.deepEqual(ranked(episodes), ['search']);
  assert.deepEqual(ranked(episodes.slice(1)), ['lambda', 'search']);
});

void test('a callee that paged in another incident during this one is read as a sub-threshold move is: it explains its caller and leads; one from before the baseline window is not read', () => {
  const graph = declaredGraph([
    ['site', 'updater'],
    ['updater', 'function'],
  ]);
  const signals = [shift('updater', 20)];
  const alone = rankRootCauses({ signals, changes: [], graph, onsetMs: T, nowMs: T + 5 * MIN });
  assert.deepEqual(
    alone.map((c) => c.service),
    ['updater'],
  );
  const beside = rankRootCauses({ signals, otherSignals: [shift('function', 12, T + MIN)], changes: [], graph, onsetMs: T, nowMs: T + 5 * MIN });
  assert.deepEqual(
    beside.map((c) => c.service),
    ['function', 'updater'],
  );
  assert.match(beside[0]!.explanation, /paged in another incident/);
  const old = rankRootCauses({ signals, otherSignals: [shift('function', 12, T - 60 * MIN)], changes: [], graph, onsetMs: T, nowMs: T + 5 * MIN });
  assert.deepEqual(
    old.map((c) => c.service),
    ['updater'],
  );
});

void test('a page of another incident explains a caller only from the same episode: begun within one correlation window before the onset and firing at it', () => {
  const graph = declaredGraph([
    ['site', 'payments'],
    ['payments', 'remote'],
  ]);
  const signals = [shift('payments', 20)];
  const ranked = (other: Signal): string[] =>
    rankRootCauses({ signals, otherSignals: [other], changes: [], graph, onsetMs: T, nowMs: T + 5 * MIN }).map((c) => c.service);
  // A separate incident's page from 20 min before the onset, still firing: another episode, not read.
  assert.deepEqual(ranked(shift('remote', 12, T - 20 * MIN)), ['payments']);
  // Paged first in its own incident a few minutes before, or a minute after: the same episode, it explains payments.
  assert.deepEqual(ranked(shift('remote', 12, T - 5 * MIN)), ['remote', 'payments']);
  assert.deepEqual(ranked(shift('remote', 12, T + MIN)), ['remote', 'payments']);
  // Begun within the window but recovered before the onset: over before this problem began.
  assert.deepEqual(ranked({ ...shift('remote', 12, T - 5 * MIN), status: 'recovered', endedAtMs: T - 3 * MIN }), ['payments']);
  // The bound is the incidents' own correlation window, not a figure of the ranking's.
  assert.equal(defaultRcaOptions.correlationWindowMs, defaultIncidentConfig.correlationWindowMs);
});

void test('suspects the rules support equally (among the first anomalies) are ordered by the graph-free evidence, not by name: the callee that explains its caller leads', () => {
  // a-gateway → b-updater → c-function; the site follows a point later. The function's move explains the updater's.
  const graph = declaredGraph([
    ['site', 'a-gateway'],
    ['a-gateway', 'b-updater'],
    ['b-updater', 'c-function'],
  ]);
  const signals = [shift('a-gateway', 13), shift('b-updater', 13), shift('c-function', 11), shift('site', 11, T + 5 * MIN)];
  const ranked = rankRootCauses({ signals, changes: [], graph, onsetMs: T, nowMs: T + 10 * MIN });
  assert.match(ranked[0]!.explanation, /among the first anomalies/);
  assert.equal(ranked[0]!.score, ranked[2]!.score);
  assert.deepEqual(
    ranked.map((c) => c.service),
    ['c-function', 'a-gateway', 'b-updater', 'site'],
  );
});

void test('a callee that became half as many milliseconds slower explains its caller, though its robust z is smaller; one slower by little does not', () => {
  // A table from 14 to 146 ms under its search, which went from 6 to 147 ms: the table's noise was wider, its z smaller.
  const move = (service: string, z: number, riseMs: number): Signal =>
    makeSignal('metric-anomaly', { service, metric: 'http.server.request.duration' }, T, {
      summary: `${service} latency up`,
      evidence: { robustZ: z, request: 'latency', riseMs },
    });
  const graph = declaredGraph([
    ['frontend', 'search'],
    ['search', 'pet-table'],
  ]);
  const rank = (tableRiseMs: number): string[] =>
    rankRootCauses({ signals: [move('search', 142, 141), move('pet-table', 56, tableRiseMs)], changes: [], graph, onsetMs: T, nowMs: T + 5 * MIN }).map(
      (c) => c.service,
    );
  assert.deepEqual(rank(132), ['pet-table', 'search']);
  assert.deepEqual(rank(20), ['search', 'pet-table']);
  // Milliseconds explain a latency move only: a search whose failures moved most, 10 ms slower beside them, is not explained by a table 7 ms slower.
  const failing = makeSignal('metric-anomaly', { service: 'search', metric: 'http.server.request.failed' }, T, {
    evidence: { robustZ: 100, request: 'failures' },
  });
  const failingFirst = rankRootCauses({
    signals: [failing, move('search', 12, 10), move('pet-table', 9, 7)],
    changes: [],
    graph,
    onsetMs: T,
    nowMs: T + 5 * MIN,
  }).map((c) => c.service);
  assert.deepEqual(failingFirst, ['search', 'pet-table']);
  // A span latency signal's p95 against its usual is its rise.
  const spanMove = makeSignal('latency', { service: 'search', route: 'GET /search' }, T, {
    observed: 400,
    baseline: 100,
    unit: 'ms',
    evidence: { robustZ: 40 },
  });
  const causes = rankRootCauses({ signals: [spanMove, move('pet-table', 10, 250)], changes: [], graph, onsetMs: T, nowMs: T + 5 * MIN });
  assert.equal(causes[0]?.service, 'pet-table');
  assert.match(causes.find((c) => c.service === 'search')!.explanation, /its callee pet-table became as much slower \(250 ms against 300 ms\)/);
});

void test("an external address that moves with a service its caller also calls is explained by it (a balancer's address in front of it); declared as a service, or called by that service, it is not", () => {
  // The site calls search through a load balancer, and the graph also knows the site calls search:
  // the balancer's address moved further in z (its calls were steadier before) and about as many ms.
  const move = (service: string, z: number, riseMs: number): Signal =>
    makeSignal('metric-anomaly', { service, metric: 'http.server.request.duration' }, T, {
      summary: `${service} latency up`,
      evidence: { robustZ: z, request: 'latency', riseMs },
    });
  const signals = [move('lb.example.com', 50, 190), move('search', 10, 141), move('site', 12, 150)];
  const rank = (edges: Array<{ from: string; to: string; kind?: 'external' }>): string[] =>
    rankRootCauses({ signals, changes: [], graph: withDeclaredEdges(new DependencyGraph(), edges), onsetMs: T, nowMs: T + 5 * MIN }).map((c) => c.service);
  const site = [
    { from: 'site', to: 'search' },
    { from: 'site', to: 'lb.example.com', kind: 'external' as const },
  ];
  assert.deepEqual(rank(site).slice(0, 2), ['search', 'lb.example.com']);
  const causes = rankRootCauses({ signals, changes: [], graph: withDeclaredEdges(new DependencyGraph(), site), onsetMs: T, nowMs: T + 5 * MIN });
  assert.match(
    causes.find((c) => c.service === 'lb.example.com')!.explanation,
    /search, which its callers also call, became as much slower \(141 ms against 190 ms\)/,
  );
  assert.equal(rank(site.map(({ from, to }) => ({ from, to })))[0], 'lb.example.com');
  assert.equal(rank([...site, { from: 'search', to: 'lb.example.com', kind: 'external' }])[0], 'lb.example.com');
});
