// Flap suppression: one failed run is a suspicion retried soon, `confirm` failures in a row are a
// signal (once per episode), the next pass recovers it; a critical check scores higher. A failing
// checkout journey and the payment errors it meets are one incident, its timeline linking the trace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IncidentEngine } from '../incidents/index.js';
import type { Signal } from '../model/index.js';
import { checkService, confirmationFromHistory, confirmRun, initialCheckState } from './confirm.js';
import type { RunResult } from './result.js';
import { checkSchema } from './schema.js';

const check = checkSchema.parse({ name: 'checkout', kind: 'http', url: 'https://shop.example/checkout', service: 'checkout', confirm: 2 });
const run = (ok: boolean, atMs: number): RunResult => ({
  name: 'checkout',
  kind: 'http',
  atMs,
  ok,
  durationMs: 80,
  ...(ok ? {} : { error: 'status: expected 200, got 503' }),
  traceId: 'ab'.repeat(16),
  steps: [{ name: 'GET', ok, durationMs: 80, status: ok ? 200 : 503, assertions: [] }],
  details: {},
});

test('a blip is retried, not signalled; a confirmed failure is one signal; a pass recovers it', () => {
  let s = initialCheckState();
  let d = confirmRun(check, s, run(true, 0), 1_000);
  assert.equal(d.state.status, 'passing');
  d = confirmRun(check, d.state, run(false, 60_000), 61_000);
  assert.equal(d.signal, undefined, 'one failure is a suspicion');
  assert.equal(d.retrySoon, true);
  assert.equal(d.state.status, 'passing');
  d = confirmRun(check, d.state, run(true, 65_000), 66_000);
  assert.equal(d.signal, undefined, 'the blip passed on retry: nothing to tell');
  assert.equal(d.state.consecutiveFailures, 0);

  d = confirmRun(check, d.state, run(false, 120_000), 121_000);
  d = confirmRun(check, d.state, run(false, 125_000), 126_000);
  assert.equal(d.state.status, 'failing');
  assert.equal(d.signal?.kind, 'synthetic-failure');
  assert.equal(d.signal?.status, 'firing');
  assert.equal(d.signal?.startedAtMs, 121_000, 'the onset is the first failed run of the episode');
  assert.deepEqual(d.signal?.subject, { service: 'checkout', route: 'checkout' });
  assert.match(d.signal.summary, /Synthetic check "checkout" failing: status: expected 200, got 503 \(2 runs in a row\)/);
  assert.equal(d.signal?.evidence.traceId, 'ab'.repeat(16));
  s = d.state;
  d = confirmRun(check, s, run(false, 185_000), 186_000);
  assert.equal(d.signal, undefined, 'one signal per episode');
  d = confirmRun(check, d.state, run(true, 245_000), 246_000);
  assert.equal(d.signal?.status, 'recovered');
  assert.equal(d.signal?.id, s.signal?.id);
  assert.equal(d.signal?.endedAtMs, 246_000);
});

test('confirm: 1 signals on the first failure; critical checks score higher', () => {
  const once = checkSchema.parse({ name: 'x', kind: 'tcp', host: 'db.internal', port: 5432, confirm: 1, critical: true });
  const d = confirmRun(once, initialCheckState(), { ...run(false, 0), name: 'x', kind: 'tcp' }, 1);
  assert.equal(d.signal?.status, 'firing');
  assert.equal(d.signal.score > 0.9, true);
  assert.equal(d.signal?.subject.service, 'db.internal', 'without a service, the host it checks');
});

test('the service of a check: declared, else the host it calls', () => {
  assert.equal(checkService(checkSchema.parse({ name: 'a', kind: 'http', url: 'https://api.shop.example/x' })), 'api.shop.example');
  assert.equal(checkService(checkSchema.parse({ name: 'b', kind: 'heartbeat' })), 'synthetics');
  assert.equal(checkService(checkSchema.parse({ name: 'c', kind: 'dns', hostname: 'shop.example', service: 'edge' })), 'edge');
});

test('a failing critical journey and payment errors are one incident, at least high, its timeline naming the check and linking the trace', () => {
  const journey = checkSchema.parse({
    name: 'checkout journey',
    kind: 'journey',
    service: 'payments',
    critical: true,
    steps: [{ name: 'pay', url: 'https://x/pay' }],
  });
  const failed = { ...run(false, 0), name: 'checkout journey', kind: 'journey' };
  const first = confirmRun(journey, initialCheckState(), failed, 10_000);
  const confirmed = confirmRun(journey, first.state, { ...failed, atMs: 5_000 }, 15_000).signal!;
  const engine = new IncidentEngine();
  const topology = { neighbours: (): string[] => [], isEntry: (s: string): boolean => s === 'payments' };
  const opened = engine.onSignals([confirmed], 15_000, topology);
  const errors: Signal = {
    ...confirmed,
    id: 'error-rate:payments@1',
    key: 'error-rate:payments:/pay',
    kind: 'error-rate',
    subject: { service: 'payments', route: '/pay' },
    unit: 'ratio',
    observed: 0.3,
    baseline: 0.01,
    score: 0.7,
    summary: 'errors on /pay',
    evidence: {},
  };
  engine.onSignals([errors], 45_000, topology);
  const incidents = engine.list({ status: 'all' });
  assert.equal(incidents.length, 1, incidents.map((i) => i.title).join(' | '));
  assert.deepEqual(incidents[0]!.signals.map((x) => x.kind).sort(), ['error-rate', 'synthetic-failure']);
  assert.ok(['high', 'critical'].includes(incidents[0]!.severity), incidents[0]!.severity);
  const entry = opened[0]!.newTimeline.find((e) => e.kind === 'signal')!;
  assert.match(entry.text, /Synthetic check "checkout journey" failing/);
  assert.equal(entry.data?.traceId, 'ab'.repeat(16), 'the entry links the trace the failing run propagated');
});

test('after a restart, stored runs say where confirmation stood: counting, confirmed, or passing', () => {
  const counting = confirmationFromHistory(check, [run(false, 60_000), run(true, 0)], 70_000);
  assert.deepEqual(counting, { status: 'passing', consecutiveFailures: 1, failingSinceMs: 60_000 });
  assert.equal(confirmRun(check, counting, run(false, 75_000), 76_000).signal?.status, 'firing', 'the failure before the restart counts');
  const confirmed = confirmationFromHistory(check, [run(false, 65_000), run(false, 60_000)], 70_000);
  assert.equal(confirmed.status, 'failing');
  assert.equal(confirmed.signal?.key, 'synthetic-failure:checkout');
  assert.equal(confirmRun(check, confirmed, run(false, 75_000), 76_000).signal, undefined, 'not signalled twice');
  assert.equal(confirmRun(check, confirmed, run(true, 75_000), 76_000).signal?.status, 'recovered');
  assert.deepEqual(confirmationFromHistory(check, [], 1), { status: 'pending', consecutiveFailures: 0 });
});
