// The incident engine on replayed, seeded scenarios: one incident per problem, severity from
// impact, lifecycle rules, automatic all-clear, reopening, and continuity across a snapshot.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { IncidentEngine } from './engine.js';
import { IllegalTransitionError, UnknownIncidentError } from './errors.js';
import { changeOf, replay, scenarioT0, seedCaseScenario, signalOf } from './testing/scenarios.js';
import { shopTopology } from './testing/topology.js';
import type { ImpactFacts, IncidentSnapshot } from './types.js';
import type { Signal } from '../model/index.js';

const min = 60_000;
const heavyImpact: ImpactFacts = {
  entryRequests: 9800,
  entryFailed: 1490,
  entrySlow: 120,
  affectedUsers: 1204,
  totalUsers: 9800,
  journeysHit: ['checkout'],
  durationMs: 8 * min,
  entryServices: ['frontend'],
};

void describe('correlation', () => {
  void test('opens one incident for a deploy that exhausts the payment pool, whatever the seed', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const engine = new IncidentEngine();
      const scenario = seedCaseScenario({ seed, noRecovery: true });
      replay(engine, scenario, shopTopology);
      const all = engine.list({ status: 'all' });
      assert.equal(all.length, 1, `seed ${seed}: ${all.map((i) => i.title).join(' | ')}`);
      const incident = all[0]!;
      assert.deepEqual([...incident.services].sort(), ['checkout', 'frontend', 'payment-service']);
      assert.equal(incident.signals.length, 6);
      // Detected within 2 minutes of the first symptom's onset (event time).
      assert.ok(
        incident.detectedAtMs - incident.startedAtMs <= 2 * min,
        `seed ${seed}: detected ${incident.detectedAtMs - incident.startedAtMs} ms after onset`,
      );
    }
  });

  void test('a new exception opens an incident only when first seen in the version just deployed', () => {
    const t = scenarioT0;
    const exception = (version: string, change?: Signal['change']): Signal =>
      signalOf('new-exception', { service: 'email', fingerprint: 'f1', version }, t, { evidence: { type: 'Error' }, ...(change ? { change } : {}) });
    const steady = new IncidentEngine();
    assert.deepEqual(steady.onSignals([exception('1.0.1')], t + min, shopTopology), [], 'no change behind it: context only');
    const oldVersion = new IncidentEngine();
    const deploy102 = { changeId: 'c1', kind: 'deploy', version: '1.0.2', timeMs: t - min };
    assert.deepEqual(oldVersion.onSignals([exception('1.0.1', deploy102)], t + min, shopTopology), [], 'first seen in the version before the deploy');
    const released = new IncidentEngine();
    const opened = released.onSignals([exception('1.0.2', deploy102)], t + min, shopTopology);
    assert.equal(opened[0]?.event, 'opened');
    assert.equal(released.get(opened[0].incident.id)?.title, 'New exception in email Error', 'named by the exception type, not its fingerprint');
  });

  void test('puts the deploy on the timeline and names it in the title', () => {
    const engine = new IncidentEngine();
    replay(engine, seedCaseScenario({ seed: 7, noRecovery: true }), shopTopology);
    const incident = engine.get('1')!;
    const deploy = incident.timeline.find((e) => e.kind === 'change');
    assert.ok(deploy, 'a change entry');
    assert.match(deploy.text, /Deploy of payment-service v2\.3 \(from v2\.2\)/);
    assert.equal(deploy.atMs, scenarioT0);
    assert.equal(incident.changes[0]?.version, 'v2.3');
    assert.equal(incident.title, 'Errors in payment-service POST /pay after v2.3 deploy (+2 services)');
    assert.equal(incident.timeline.filter((e) => e.kind === 'signal').length, 6);
  });

  void test('severity is high or critical once impact is measured, and the change is on the timeline', () => {
    const engine = new IncidentEngine({ criticalJourneys: [{ name: 'checkout' }] });
    replay(engine, seedCaseScenario({ seed: 3, noRecovery: true }), shopTopology);
    const before = engine.get('1')!;
    assert.ok(['high', 'critical'].includes(before.severity), `from signals: ${before.severity}`);
    assert.match(before.severityReason, /impact not measured yet/);
    const update = engine.setImpact('1', heavyImpact, scenarioT0 + 10 * min);
    const incident = engine.get('1')!;
    assert.equal(incident.severity, 'critical');
    assert.equal(
      incident.severityReason,
      "15.2% of frontend requests failing (1,490 of 9,800); 1.2% slow; 1,204 of 9,800 users affected; journey 'checkout' hit",
    );
    if (before.severity !== 'critical') {
      assert.equal(update?.event, 'severity-changed');
      assert.equal(incident.timeline.at(-1)?.kind, 'severity');
    }
    // Milder impact later lowers it again, on the timeline.
    const milder = engine.setImpact('1', { ...heavyImpact, entryFailed: 300, affectedUsers: 250, journeysHit: [] }, scenarioT0 + 11 * min);
    assert.equal(milder?.event, 'severity-changed');
    assert.equal(engine.get('1')!.severity, 'high');
    assert.match(milder.newTimeline[0]!.text, /^Severity critical → high: 3\.1% of frontend requests failing/);
  });

  void test('a simultaneous problem in a disconnected service opens a separate incident', () => {
    const engine = new IncidentEngine();
    replay(engine, seedCaseScenario({ seed: 11, unrelated: true, noRecovery: true }), shopTopology);
    const all = engine.list({ status: 'all' });
    assert.equal(all.length, 2);
    const search = all.find((i) => i.services.includes('search-api'))!;
    assert.deepEqual(search.services, ['search-api']);
    assert.equal(search.signals.length, 1);
    assert.ok(!search.timeline.some((e) => e.kind === 'change'), 'the payment deploy is not a suspect for search');
  });

  void test('no signals, changes alone, or a lone traffic surge open nothing', () => {
    const engine = new IncidentEngine();
    assert.deepEqual(engine.onSignals([], scenarioT0, shopTopology), []);
    assert.deepEqual(engine.onChange(changeOf({ service: 'payment-service', timeMs: scenarioT0, version: 'v9' }), scenarioT0, shopTopology), []);
    const surge = signalOf('throughput-surge', { service: 'frontend', route: 'GET /' }, scenarioT0 + min);
    assert.deepEqual(engine.onSignals([surge], scenarioT0 + 2 * min, shopTopology), []);
    assert.deepEqual(engine.tick(scenarioT0 + 60 * min), []);
    assert.equal(engine.list({ status: 'all' }).length, 0);
  });

  void test('a traffic surge joins an incident that is already open', () => {
    const engine = new IncidentEngine();
    engine.onSignals([signalOf('error-rate', { service: 'checkout', route: 'POST /checkout' }, scenarioT0)], scenarioT0 + 30_000, shopTopology);
    const surge = signalOf('throughput-surge', { service: 'frontend', route: 'GET /' }, scenarioT0 + min);
    const [update] = engine.onSignals([surge], scenarioT0 + 90_000, shopTopology);
    assert.equal(update?.event, 'signal-added');
    assert.match(update.newTimeline[0]!.text, /joined: 1 hop from checkout/);
  });

  void test('signals far apart in time do not join', () => {
    const engine = new IncidentEngine();
    const first = signalOf('error-rate', { service: 'checkout', route: 'POST /checkout' }, scenarioT0);
    engine.onSignals([first], scenarioT0 + 30_000, shopTopology);
    engine.onSignals([{ ...first, status: 'recovered', endedAtMs: scenarioT0 + 2 * min }], scenarioT0 + 2 * min, shopTopology);
    engine.transition('1', 'mitigated', 'ana', scenarioT0 + 3 * min);
    const later = signalOf('latency', { service: 'inventory', route: 'GET /stock' }, scenarioT0 + 40 * min);
    engine.onSignals([later], scenarioT0 + 41 * min, shopTopology);
    assert.equal(engine.list({ status: 'all' }).length, 2);
  });

  void test('signals of the same deploy join even without a topology path', () => {
    const engine = new IncidentEngine();
    const link = { changeId: 'chg-1', kind: 'deploy', version: 'v5', timeMs: scenarioT0 };
    engine.onSignals([signalOf('error-rate', { service: 'search-api' }, scenarioT0 + min, { change: link })], scenarioT0 + 90_000, shopTopology);
    const [update] = engine.onSignals(
      [signalOf('latency', { service: 'catalog' }, scenarioT0 + 2 * min, { change: link })],
      scenarioT0 + 150_000,
      shopTopology,
    );
    assert.equal(update?.event, 'signal-added');
    assert.match(update.newTimeline[0]!.text, /follows the same deploy v5/);
  });
});

void describe('lifecycle', () => {
  const opened = (): IncidentEngine => {
    const engine = new IncidentEngine();
    engine.onSignals([signalOf('error-rate', { service: 'checkout', route: 'POST /checkout' }, scenarioT0)], scenarioT0 + 30_000, shopTopology);
    return engine;
  };

  void test('goes triggered → acknowledged → mitigated → resolved with who and when', () => {
    const engine = opened();
    assert.equal(engine.transition('1', 'acknowledged', 'ana', scenarioT0 + min).event, 'acknowledged');
    engine.transition('1', 'mitigated', 'ana', scenarioT0 + 5 * min, 'rolled back');
    const update = engine.transition('1', 'resolved', 'bo', scenarioT0 + 9 * min);
    const incident = update.incident;
    assert.equal(incident.status, 'resolved');
    assert.deepEqual(
      [incident.acknowledgedAtMs, incident.mitigatedAtMs, incident.resolvedAtMs],
      [scenarioT0 + min, scenarioT0 + 5 * min, scenarioT0 + 9 * min],
    );
    const states = incident.timeline.filter((e) => e.kind === 'state').map((e) => [e.actor, e.text]);
    assert.deepEqual(states.slice(1), [
      ['ana', 'Acknowledged by ana'],
      ['ana', 'Mitigated by ana: rolled back'],
      ['bo', 'Resolved by bo'],
    ]);
  });

  void test('the resolve note is the resolution; a note after resolving replaces it; notes before resolving and a resolve without a note do not', () => {
    const engine = opened();
    engine.addNote('1', 'ana', 'looking at the pool', scenarioT0 + min);
    engine.transition('1', 'mitigated', 'ana', scenarioT0 + 2 * min, 'rolled back');
    assert.equal(engine.get('1')!.resolution, undefined);
    engine.transition('1', 'resolved', 'bo', scenarioT0 + 3 * min, 'rolled back payment to v2.2');
    assert.deepEqual(engine.get('1')!.resolution, { text: 'rolled back payment to v2.2', actor: 'bo', atMs: scenarioT0 + 3 * min });
    engine.addNote('1', 'cy', 'root fix: pool raised to 80', scenarioT0 + 20 * min);
    assert.deepEqual(engine.get('1')!.resolution, { text: 'root fix: pool raised to 80', actor: 'cy', atMs: scenarioT0 + 20 * min });
    const silent = opened();
    silent.transition('1', 'resolved', 'bo', scenarioT0 + 3 * min);
    assert.equal(silent.get('1')!.resolution, undefined);
  });

  void test('illegal transitions throw with a stable code and leave the incident as it was', () => {
    const engine = opened();
    engine.transition('1', 'mitigated', 'ana', scenarioT0 + min);
    for (const to of ['acknowledged', 'mitigated'] as const) {
      assert.throws(
        () => engine.transition('1', to, 'ana', scenarioT0 + 2 * min),
        (err: unknown) => err instanceof IllegalTransitionError && err.code === 'VIGIL_ILLEGAL_TRANSITION' && err.message.includes('is mitigated'),
      );
    }
    engine.transition('1', 'resolved', 'ana', scenarioT0 + 3 * min);
    assert.throws(() => engine.transition('1', 'acknowledged', 'ana', scenarioT0 + 4 * min), /reopens by itself/);
    assert.equal(engine.get('1')!.status, 'resolved');
    assert.throws(
      () => engine.addNote('42', 'ana', 'hello', scenarioT0),
      (err: unknown) => err instanceof UnknownIncidentError && err.code === 'VIGIL_NOT_FOUND',
    );
  });

  void test('every update appends exactly its new entries to the timeline', () => {
    const engine = new IncidentEngine();
    const updates = replay(engine, seedCaseScenario({ seed: 5 }), shopTopology);
    let length = 0;
    for (const u of updates) {
      assert.deepEqual(u.incident.timeline.slice(length, length + u.newTimeline.length), u.newTimeline);
      length += u.newTimeline.length;
      assert.equal(u.incident.timeline.length, length);
    }
  });

  void test('notes, notifications and a new top root cause go on the timeline', () => {
    const engine = opened();
    assert.equal(engine.addNote('1', 'ana', 'looking at the pool', scenarioT0 + min).newTimeline[0]!.actor, 'ana');
    engine.recordNotification('1', 'notified slack (opened)', scenarioT0 + min);
    const cause = { service: 'payment-db', kind: 'saturation' as const, score: 0.8, explanation: 'pool at 98%', evidence: [], nextSteps: [] };
    assert.equal(engine.setRootCauses('1', [cause], scenarioT0 + 2 * min)?.event, 'root-cause');
    assert.equal(engine.setRootCauses('1', [{ ...cause, score: 0.85 }], scenarioT0 + 3 * min), undefined, 'same top: nothing new');
    const kinds = engine.get('1')!.timeline.map((e) => e.kind);
    assert.deepEqual(kinds.slice(-3), ['note', 'notification', 'root-cause']);
  });

  void test('a new order of the suspects below the same top cause is an update to store, with nothing on the timeline and nothing to notify', () => {
    const engine = opened();
    const top = { service: 'payment-db', kind: 'saturation' as const, score: 0.8, explanation: 'pool at 98%', evidence: [], nextSteps: [] };
    const second = { ...top, service: 'payment', kind: 'code-error' as const, score: 0.5 };
    const third = { ...top, service: 'checkout', kind: 'dependency-failure' as const, score: 0.4 };
    engine.setRootCauses('1', [top, second, third], scenarioT0 + min);
    const length = engine.get('1')!.timeline.length;
    const update = engine.setRootCauses('1', [top, { ...third, score: 0.6 }, second], scenarioT0 + 2 * min);
    assert.equal(update?.event, 'ranking');
    assert.deepEqual(
      update.incident.rootCauses.map((r) => r.service),
      ['payment-db', 'checkout', 'payment'],
    );
    assert.deepEqual(update.newTimeline, []);
    assert.equal(engine.get('1')!.timeline.length, length);
    assert.equal(engine.setRootCauses('1', [top, { ...third, score: 0.55 }, second], scenarioT0 + 3 * min), undefined, 'same order: nothing new');
  });
});

void describe('all-clear and reopening', () => {
  void test('clears automatically once all signals stayed recovered for the stable period, not before', () => {
    const engine = new IncidentEngine({ stablePeriodMs: 10 * min });
    const updates = replay(engine, seedCaseScenario({ seed: 2 }), shopTopology);
    const incident = engine.get('1')!;
    const lastRecovery = Math.max(...incident.signals.map((s) => s.endedAtMs ?? 0));
    assert.equal(incident.status, 'resolved');
    const clear = updates.filter((u) => u.event === 'all-clear');
    assert.equal(clear.length, 1);
    const at = clear[0]!.newTimeline[0]!;
    assert.ok(at.atMs - incident.allRecoveredAtMs! >= 10 * min && at.atMs - incident.allRecoveredAtMs! < 10 * min + 10_000);
    assert.ok(at.atMs >= lastRecovery + 10 * min);
    assert.match(at.text, /^All clear: all 6 signals recovered and stable for 10 min; resolved automatically/);
    assert.ok(
      incident.timeline.some((e) => e.kind === 'change' && /v2\.2 \(from v2\.3\): rollback/.test(e.text)),
      'the rollback is on the timeline',
    );
  });

  void test('an all-clear set to mitigated leaves the resolve to a human, once', () => {
    const engine = new IncidentEngine({ allClearTo: 'mitigated' });
    const updates = replay(engine, seedCaseScenario({ seed: 2 }), shopTopology);
    assert.equal(engine.get('1')!.status, 'mitigated');
    assert.equal(updates.filter((u) => u.event === 'all-clear').length, 1);
  });

  void test('a flare-up within the cool-down reopens the same incident', () => {
    const engine = new IncidentEngine({ coolDownMs: 30 * min });
    const updates = replay(engine, seedCaseScenario({ seed: 4, flareUpAfterRecoveryMs: 15 * min }), shopTopology);
    assert.equal(engine.list({ status: 'all' }).length, 1);
    const reopened = updates.find((u) => u.event === 'reopened');
    assert.ok(reopened);
    assert.equal(reopened.incident.status, 'triggered');
    assert.equal(reopened.incident.resolvedAtMs, undefined);
    assert.equal(reopened.incident.reopenCount, 1);
    assert.match(reopened.newTimeline[0]!.text, /^Reopened/);
  });

  void test('a flare-up after the cool-down opens a new incident', () => {
    const engine = new IncidentEngine({ coolDownMs: 30 * min });
    replay(engine, seedCaseScenario({ seed: 4, flareUpAfterRecoveryMs: 50 * min }), shopTopology);
    const all = engine.list({ status: 'all' });
    assert.deepEqual(
      all.map((i) => [i.id, i.status]),
      [
        ['2', 'triggered'],
        ['1', 'resolved'],
      ],
    );
  });
});

void describe('snapshot', () => {
  void test('a restored engine continues the same incidents and id sequence', () => {
    const scenario = seedCaseScenario({ seed: 9 });
    const cut = scenario.steps.findIndex((s) => s.signals.some((x) => x.subject.service === 'frontend'));
    const first = new IncidentEngine();
    replay(first, { ...scenario, steps: scenario.steps.slice(0, cut), endMs: scenario.steps[cut]!.atMs - 1 }, shopTopology);
    const snapshot = JSON.parse(JSON.stringify(first.snapshot())) as IncidentSnapshot;

    const restored = new IncidentEngine({}, snapshot);
    assert.deepEqual(restored.list({ status: 'all' }), first.list({ status: 'all' }));
    replay(restored, { ...scenario, startMs: scenario.steps[cut]!.atMs, steps: scenario.steps.slice(cut) }, shopTopology);

    const straight = new IncidentEngine();
    replay(straight, scenario, shopTopology);
    assert.equal(restored.list({ status: 'all' }).length, 1);
    assert.deepEqual(restored.get('1')!.services, straight.get('1')!.services);
    assert.equal(restored.get('1')!.status, 'resolved');
    assert.deepEqual(
      restored.get('1')!.timeline.map((e) => e.text),
      straight.get('1')!.timeline.map((e) => e.text),
    );
    const next = restored.onSignals([signalOf('latency', { service: 'search-api' }, scenario.endMs)], scenario.endMs + 30_000, shopTopology);
    assert.equal(next[0]?.incident.id, '2');
  });
});

void describe('signal refreshes', () => {
  void test('a refreshed firing signal updates its copy; the same occurrence firing after recovery is a flare-up', () => {
    const engine = new IncidentEngine({ stablePeriodMs: 5 * min });
    const s = signalOf('error-rate', { service: 'checkout', route: 'POST /checkout' }, scenarioT0, { observed: 0.05 });
    engine.onSignals([s], scenarioT0 + 30_000, shopTopology);
    assert.deepEqual(engine.onSignals([{ ...s, observed: 0.2 }], scenarioT0 + min, shopTopology), []);
    assert.equal(engine.get('1')!.signals[0]!.observed, 0.2);
    engine.onSignals([{ ...s, status: 'recovered', endedAtMs: scenarioT0 + 2 * min }], scenarioT0 + 2 * min, shopTopology);
    const [again] = engine.onSignals([s], scenarioT0 + 3 * min, shopTopology);
    assert.equal(again?.event, 'signal-added');
    const incident = engine.get('1')!;
    assert.equal(incident.signals.length, 1);
    assert.equal(incident.allRecoveredAtMs, undefined);
    assert.deepEqual(engine.tick(scenarioT0 + 20 * min), [], 'no all-clear while the signal fires');
  });
});

void describe('changes during an incident', () => {
  void test('a change of an involved or neighbouring service goes on the timeline; an unrelated one does not', () => {
    const engine = new IncidentEngine();
    engine.onSignals([signalOf('error-rate', { service: 'checkout', route: 'POST /checkout' }, scenarioT0)], scenarioT0 + 30_000, shopTopology);
    const flag = changeOf({ service: 'payment-service', kind: 'flag', timeMs: scenarioT0 + min, description: 'new-pay-flow on' });
    const [update] = engine.onChange(flag, scenarioT0 + min, shopTopology);
    assert.equal(update?.event, 'change');
    assert.equal(update.newTimeline[0]!.text, 'Feature flag change on payment-service: new-pay-flow on');
    assert.deepEqual(engine.onChange(changeOf({ service: 'search-api', timeMs: scenarioT0 + min, version: 'v3' }), scenarioT0 + min, shopTopology), []);
    assert.deepEqual(engine.onChange(flag, scenarioT0 + 2 * min, shopTopology), [], 'the same change twice is recorded once');
    assert.deepEqual(
      engine.get('1')!.changes.map((c) => c.id),
      [flag.id],
    );
  });
});
