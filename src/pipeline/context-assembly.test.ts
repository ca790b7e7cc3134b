// Incident impact is measured at the configured incidents.entryServices (issue 18): with them set,
// failures of a service the dependency graph also sees as an entry (a batch job nobody calls) are
// not the incident's, so an internal symptom the shop's users never felt is not rated high.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InMemoryContextQueries } from '../context/index.js';
import { defaultIncidentConfig, IncidentEngine, severityFromImpact } from '../incidents/index.js';
import { createLogger } from '../logger.js';
import { signalAt } from '../model/testing/records.js';
import type { Span } from '../model/index.js';
import { DependencyGraph } from '../rca/index.js';
import { idGenerator, makeSpan } from '../rca/testing/spans.js';
import { IncidentContextAssembly } from './context-assembly.js';

const min = 60_000;
const t0 = 1_793_620_800_000; // 2026-11-02 12:00 UTC
const ids = idGenerator(7);

/** A request to `entry`, optionally calling `callee`; the entry fails when `failed`, the callee when `calleeFailed`. */
function request(atMs: number, entry: string, route: string, o: { callee?: string; failed?: boolean; calleeFailed?: boolean } = {}): Span[] {
  const traceId = ids.trace();
  const root = makeSpan({
    service: entry,
    traceId,
    spanId: ids.span(),
    startTimeMs: atMs,
    durationMs: 40,
    name: route,
    httpMethod: 'POST',
    httpRoute: route,
    httpStatusCode: o.failed ? 500 : 200,
    statusCode: o.failed ? 'error' : 'unset',
    attributes: { 'enduser.id': `user-${atMs % 97}` },
  });
  if (!o.callee) return [root];
  const client = makeSpan({
    service: entry,
    traceId,
    spanId: ids.span(),
    parentSpanId: root.spanId,
    startTimeMs: atMs + 1,
    durationMs: 30,
    kind: 'client',
    peerService: o.callee,
  });
  const server = makeSpan({
    service: o.callee,
    traceId,
    spanId: ids.span(),
    parentSpanId: client.spanId,
    startTimeMs: atMs + 2,
    durationMs: 25,
    name: '/reserve',
    httpMethod: 'POST',
    httpRoute: '/reserve',
    httpStatusCode: o.calleeFailed ? 500 : 200,
    statusCode: o.calleeFailed ? 'error' : 'unset',
  });
  return [root, client, server];
}

// 40 minutes of a shop: frontend calls inventory every 2 s; from t0 inventory fails one call in ten
// but frontend retries and answers every user. Beside it a nightly import job, called by no one,
// fails half of its requests after t0 for reasons of its own.
const spans: Span[] = [];
for (let t = t0 - 30 * min; t < t0 + 10 * min; t += 2_000) {
  const i = (t - t0) / 2_000;
  spans.push(...request(t, 'frontend', '/cart', { callee: 'inventory', calleeFailed: t >= t0 && i % 10 === 0 }));
  if (i % 3 === 0) spans.push(...request(t + 500, 'import-job', '/import', { failed: t >= t0 && i % 2 === 0 }));
}
const graph = new DependencyGraph({});
graph.observeSpans(spans);

const engine = new IncidentEngine();
engine.onSignals(
  [signalAt('error-rate', { service: 'inventory', route: 'POST /reserve' }, t0 + min, { observed: 0.1, baseline: 0.001, score: 0.9 })],
  t0 + 2 * min,
  graph,
);
const incident = engine.list()[0]!;

async function impactWith(entryServices: string[]): ReturnType<IncidentContextAssembly['assemble']> {
  const contexts = new IncidentContextAssembly(
    new InMemoryContextQueries({ spans, logs: [], changes: [] }),
    createLogger('silent'),
    () => Promise.resolve(),
    entryServices,
  );
  return contexts.assemble(incident, t0 + 10 * min, graph);
}

void test('the dependency graph alone takes the uncalled import job for an entry service', () => {
  assert.ok(graph.isEntry('frontend') && graph.isEntry('import-job') && !graph.isEntry('inventory'));
});

void test('configured entryServices decide where impact is measured, not the graph', async () => {
  const measured = await impactWith(['frontend']);
  assert.ok(measured);
  assert.deepEqual(measured.impact.entryServices, ['frontend']);
  assert.deepEqual(measured.context.entry.services, ['frontend']);
  assert.equal(measured.impact.entryFailed, 0, 'frontend answered every user');
  assert.ok(measured.impact.entryRequests >= 250, `${measured.impact.entryRequests} frontend requests`);
  const verdict = severityFromImpact(measured.impact, defaultIncidentConfig);
  assert.equal(verdict.severity, 'low', verdict.reason);
  assert.match(verdict.reason, /of frontend requests failing/);
});

void test('without entryServices the graph decides, and the import job’s own failures are counted', async () => {
  const measured = await impactWith([]);
  assert.ok(measured);
  assert.deepEqual([...measured.impact.entryServices!].sort(), ['frontend', 'import-job']);
  assert.ok(measured.impact.entryFailed > 0);
  assert.notEqual(severityFromImpact(measured.impact, defaultIncidentConfig).severity, 'low', 'the contrast the configuration exists for');
});
