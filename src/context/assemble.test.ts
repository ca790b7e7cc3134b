// Context assembly over seeded in-memory telemetry of the seed case: the context names the deploy,
// the failing POST endpoints, the connection-timeout error group, affected users and example traces,
// and the impact derived from it makes the incident high or critical.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IncidentEngine } from '../incidents/index.js';
import { replay, scenarioT0, seedCaseScenario } from '../incidents/testing/scenarios.js';
import { shopTopology } from '../incidents/testing/topology.js';
import { assembleContext, compareEndpoints, noteworthyLogs } from './assemble.js';
import { impactFromContext } from './impact.js';
import { messageTemplate } from './logTemplate.js';
import { InMemoryContextQueries, isFailed } from './memory.js';
import { seedTelemetry } from './testing/seedTelemetry.js';

const min = 60_000;
const nowMs = scenarioT0 + 10 * min;
const telemetry = seedTelemetry({ seed: 42, t0: scenarioT0 });
const queries = new InMemoryContextQueries(telemetry);

function seedIncident(engine = new IncidentEngine({ criticalJourneys: ['checkout'] })): { engine: IncidentEngine; id: string } {
  replay(engine, { ...seedCaseScenario({ seed: 42, noRecovery: true }), endMs: nowMs }, shopTopology);
  const [incident] = engine.list();
  assert.ok(incident);
  return { engine, id: incident.id };
}

void test('the seed-case context names the deploy, POST endpoints, the timeout group, users and example traces', async () => {
  const { engine, id } = seedIncident();
  const incident = engine.get(id)!;
  const ctx = await assembleContext(incident, queries, { nowMs, entryServices: ['frontend'] });

  assert.deepEqual(
    ctx.changes.map((c) => `${c.service} ${c.version}`),
    ['payment-service v2.3'],
    'the catalog deploy is not related',
  );

  const endpoints = ctx.affectedEndpoints.map((e) => `${e.service} ${e.endpoint}`);
  for (const e of ['payment-service POST /pay', 'checkout POST /checkout', 'frontend POST /checkout'])
    assert.ok(endpoints.includes(e), `${e} in ${endpoints.join(', ')}`);
  assert.ok(
    ctx.affectedEndpoints.every((e) => e.endpoint.startsWith('POST ')),
    'browsing is not affected',
  );
  const pay = ctx.affectedEndpoints.find((e) => e.endpoint === 'POST /pay')!;
  assert.ok(pay.after.errorRate > 0.08 && pay.before.errorRate < 0.01);
  assert.match(pay.summary, /^errors [\d.]+% → [\d.]+%, p95 [\d,]+ → [\d,]+ ms \([\d,]+ requests\)$/);

  const top = ctx.errorGroups[0]!;
  assert.match(top.fingerprint, /connection timeout acquiring connection from pool after <num> ms/);
  assert.match(top.message, /connection timeout acquiring connection from pool after 50\d\d ms/);
  assert.equal(top.service, 'payment-service');
  assert.equal(top.firstSeenVersion, 'v2.3');
  assert.ok(telemetry.spans.some((s) => s.traceId === top.sampleTraceId && isFailed(s)));

  assert.ok(ctx.affectedUsers.count > 5 && ctx.affectedUsers.count < ctx.affectedUsers.total, JSON.stringify(ctx.affectedUsers));
  assert.equal(ctx.affectedUsers.percent, Math.round((10_000 * ctx.affectedUsers.count) / ctx.affectedUsers.total) / 100);
  assert.ok(ctx.affectedUsers.sample.length > 0 && ctx.affectedUsers.sample.length <= 10);

  const kinds = ctx.exampleTraces.map((t) => t.kind);
  assert.ok(ctx.exampleTraces.length >= 3 && ctx.exampleTraces.length <= 5, kinds.join(','));
  assert.ok(kinds.includes('failing') && kinds.includes('slow') && kinds.includes('healthy'), kinds.join(','));
  for (const t of ctx.exampleTraces) {
    const failed = telemetry.spans.some((s) => s.traceId === t.traceId && isFailed(s));
    if (t.kind === 'failing') assert.ok(failed);
    if (t.kind === 'healthy') assert.ok(!failed);
    assert.equal(t.url, `/api/v1/traces/${t.traceId}`);
  }
  assert.match(ctx.exampleTraces.find((t) => t.kind === 'failing')!.label, /^failing: \S+ POST \/\S+ [\d,]+ ms, /);

  assert.equal(ctx.logs[0]?.reason, 'new-template');
  assert.ok(ctx.logs.some((l) => /connection timeout acquiring connection/.test(l.body)));
  assert.ok(!ctx.logs.some((l) => l.body.startsWith('payment authorized')), 'steady info lines are noise');

  assert.ok(
    ctx.links.logs.includes(
      `/api/v1/logs?service=payment-service&from=${encodeURIComponent(new Date(ctx.before.fromMs).toISOString())}&to=${encodeURIComponent(new Date(ctx.after.toMs).toISOString())}`,
    ),
  );
  assert.ok(ctx.links.traces.every((l) => l.includes('status=error')));
  assert.equal(ctx.entry.services.join(), 'frontend');
  assert.ok(ctx.entry.failed > 0 && ctx.entry.failed < ctx.entry.requests);
});

void test('impact from the context makes the seed incident high or critical, with the reason on the timeline', async () => {
  const { engine, id } = seedIncident();
  const ctx = await assembleContext(engine.get(id)!, queries, { nowMs, entryServices: ['frontend'] });
  const impact = impactFromContext(ctx, [{ name: 'checkout' }]);
  assert.deepEqual(impact.journeysHit, ['checkout']);
  assert.equal(impact.durationMs, nowMs - ctx.onsetMs);
  engine.setContext(id, ctx);
  engine.setImpact(id, impact, nowMs);
  const incident = engine.get(id)!;
  assert.ok(['high', 'critical'].includes(incident.severity), incident.severityReason);
  assert.match(
    incident.severityReason,
    /% of frontend requests failing \([\d,]+ of [\d,]+\); ([\d.]+% slow; )?([\d.]+% slower than usual \([^)]+\); )?[\d,]+ of [\d,]+ users affected; journey 'checkout' hit/,
  );
  assert.equal(incident.context?.errorGroups[0]?.service, 'payment-service');
});

void test('every list in the context respects its limit', async () => {
  const { engine, id } = seedIncident();
  const ctx = await assembleContext(engine.get(id)!, queries, {
    nowMs,
    limits: { endpoints: 1, errorGroups: 1, failingTraces: 1, slowTraces: 0, healthyTraces: 0, logs: 1, changes: 1, userSample: 2 },
  });
  assert.equal(ctx.affectedEndpoints.length, 1);
  assert.equal(ctx.errorGroups.length, 1);
  assert.equal(ctx.exampleTraces.length, 1);
  assert.equal(ctx.logs.length, 1);
  assert.equal(ctx.changes.length, 1);
  assert.ok(ctx.affectedUsers.sample.length <= 2);
});

void test('endpoints count as affected only when errors or latency really moved', () => {
  const s = (route: string, requests: number, errors: number, p95Ms: number) => ({ service: 'a', method: 'GET', route, requests, errors, p95Ms });
  const out = compareEndpoints(
    [s('/same', 1000, 2, 100), s('/errors', 1000, 1, 100), s('/slow', 1000, 0, 100), s('/few', 1000, 0, 100)],
    [s('/same', 1000, 3, 110), s('/errors', 1000, 80, 105), s('/slow', 1000, 0, 400), s('/few', 1000, 2, 100), s('/new', 10, 5, 50)],
  );
  assert.deepEqual(
    out.map((e) => e.endpoint),
    ['GET /new', 'GET /errors', 'GET /slow'],
  );
  assert.equal(out[1]!.summary, 'errors 0.10% → 8.0%, p95 100 → 105 ms (1,000 requests)');
});

void test('logs keep new and spiking templates and warnings, not steady info lines', () => {
  const sample = { timeMs: 0, severityText: 'INFO', body: 'x', traceId: '' };
  const t = (template: string, before: number, after: number, maxSeverity: number) => ({
    service: 'a',
    template,
    before,
    after,
    maxSeverity,
    sample: { ...sample, body: template },
  });
  const lines = noteworthyLogs(
    [t('steady info', 300, 100, 9), t('spiking info', 30, 100, 9), t('new error', 0, 5, 17), t('steady warn', 30, 10, 13), t('gone', 10, 0, 17)],
    { fromMs: 0, toMs: 30 * min },
    { fromMs: 30 * min, toMs: 40 * min },
    3,
  );
  assert.deepEqual(
    lines.map((l) => [l.template, l.reason]),
    [
      ['new error', 'new-template'],
      ['spiking info', 'spiking-template'],
      ['steady warn', 'error'],
    ],
  );
});

void test('message templates mask the variable parts', () => {
  assert.equal(
    messageTemplate('timeout after 5012 ms on 10.0.0.7:5432 for "order 17" id=3f2a9c1e4b5d6a7f8e9d'),
    'timeout after <num> ms on <ip> for <str> id=<hex>',
  );
  // Prefixed ids are one template, whatever the id; words with a dash or underscore but no digit stay.
  assert.equal(messageTemplate('Order ord_52ab14a5 placed by usr_2867bb6027: 3 items'), 'Order <id> placed by <id>: <num> items');
  assert.equal(messageTemplate('Order ord_9da24ca8 placed by usr_581651dc31: 12 items'), 'Order <id> placed by <id>: <num> items');
  assert.equal(messageTemplate('payment-db pool exhausted on pod checkout-5d8f7b9c4'), 'payment-db pool exhausted on pod <id>');
});
