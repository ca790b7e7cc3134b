// Incidents that end and stay separate (issue 18): a fault with its own onset does not join an
// hours-old incident, only the same symptom reopens a resolved one, the title names only the change
// the ranking blames.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IncidentEngine } from './engine.js';
import { changeOf, recoveredOf, scenarioT0, signalOf } from './testing/scenarios.js';
import { shopTopology } from './testing/topology.js';

const min = 60_000;
const t0 = scenarioT0;

void test('a fault starting an hour into a long-firing incident opens its own incident', () => {
  const engine = new IncidentEngine();
  // A background shift on checkout that keeps firing for hours…
  const background = signalOf('error-rate', { service: 'checkout', route: 'POST /checkout' }, t0, { observed: 0.03, baseline: 0.002 });
  engine.onSignals([background], t0 + min, shopTopology);
  // …and a real fault one hop away, an hour later.
  const fault = signalOf('error-rate', { service: 'payment-service', route: 'POST /pay' }, t0 + 60 * min, { observed: 0.2, baseline: 0.001 });
  const updates = engine.onSignals([fault], t0 + 61 * min, shopTopology);
  assert.equal(updates[0]?.event, 'opened', updates.map((u) => `${u.event} ${u.incident.id}`).join(', '));
  assert.equal(engine.list({ status: 'all' }).length, 2);
  // A symptom of the new fault a few minutes later joins the new incident, not the old one.
  const follow = signalOf('error-rate', { service: 'frontend', route: 'POST /checkout' }, t0 + 63 * min, { observed: 0.1, baseline: 0.002 });
  const joined = engine.onSignals([follow], t0 + 64 * min, shopTopology);
  assert.equal(joined[0]?.incident.id, updates[0]?.incident.id);
});

void test('after an all-clear a different fault nearby opens a new incident; the same symptom reopens', () => {
  const engine = new IncidentEngine();
  const first = signalOf('error-rate', { service: 'payment-service', route: 'POST /pay' }, t0, { observed: 0.2, baseline: 0.001 });
  engine.onSignals([first], t0 + min, shopTopology);
  engine.onSignals([recoveredOf(first, t0 + 10 * min)], t0 + 10 * min, shopTopology);
  const clear = engine.tick(t0 + 21 * min);
  assert.equal(clear[0]?.event, 'all-clear');
  const other = signalOf('latency', { service: 'checkout', route: 'POST /checkout' }, t0 + 30 * min, { unit: 'ms', observed: 900, baseline: 120 });
  const opened = engine.onSignals([other], t0 + 31 * min, shopTopology);
  assert.equal(opened[0]?.event, 'opened', 'a new fault, not the old one flaring up');
  const again = signalOf('error-rate', { service: 'payment-service', route: 'POST /pay' }, t0 + 32 * min, { observed: 0.2, baseline: 0.001 });
  const reopened = engine.onSignals([again], t0 + 33 * min, shopTopology);
  assert.equal(reopened[0]?.event, 'reopened');
  assert.equal(reopened[0]?.incident.id, '1');
});

void test('the title names only the change the root-cause ranking blames', () => {
  const engine = new IncidentEngine();
  const mailer = changeOf({ service: 'inventory', timeMs: t0 - 2 * min, version: '0.9.13' });
  const payment = changeOf({ service: 'payment-service', timeMs: t0 - 6 * min, version: 'v2.3' });
  engine.onChange(payment, t0 - 6 * min, shopTopology);
  engine.onChange(mailer, t0 - 2 * min, shopTopology);
  const symptom = signalOf('error-rate', { service: 'checkout', route: 'POST /checkout' }, t0, { observed: 0.1, baseline: 0.002 });
  engine.onSignals([symptom], t0 + min, shopTopology);
  const opened = engine.get('1')!;
  assert.equal(opened.title, 'Errors in checkout POST /checkout', 'no ranking yet: a nearby deploy of another service is not named');
  engine.setRootCauses(
    '1',
    [{ service: 'payment-service', kind: 'bad-deploy', score: 0.9, explanation: 'deploy v2.3 2 min before the onset', evidence: [], nextSteps: [] }],
    t0 + min,
  );
  assert.equal(engine.get('1')!.title, 'Errors in checkout POST /checkout after payment-service v2.3 deploy');
  engine.setRootCauses(
    '1',
    [{ service: 'payment-db', kind: 'saturation', score: 0.9, explanation: 'pool at 100%', evidence: [], nextSteps: [] }],
    t0 + 2 * min,
  );
  assert.equal(engine.get('1')!.title, 'Errors in checkout POST /checkout', 'the title follows the current top cause');
});

// 10 minutes: within the 30 min cool-down, where only the change-aware rule keeps it apart; 40: past it.
for (const afterMin of [10, 40]) {
  void test(`the same config change repeated ${afterMin} minutes after an all-clear opens a new incident with the new change, not the resolved one with its old cause`, () => {
    const engine = new IncidentEngine();
    const flag = (timeMs: number): ReturnType<typeof changeOf> =>
      changeOf({ service: 'payment-service', timeMs, kind: 'config', description: 'payments.retry.max: 3 → 0' });
    const first = flag(t0 - 2 * min);
    engine.onChange(first, t0 - 2 * min, shopTopology);
    const symptom = signalOf('error-rate', { service: 'payment-service', route: 'POST /pay' }, t0, { observed: 0.2, baseline: 0.001 });
    engine.onSignals([{ ...symptom, change: { changeId: first.id, kind: 'config', version: '', timeMs: first.timeMs } }], t0 + min, shopTopology);
    engine.setRootCauses(
      '1',
      [{ service: 'payment-service', kind: 'config-change', score: 0.9, explanation: 'payments.retry.max: 3 → 0', evidence: [], nextSteps: [] }],
      t0 + min,
    );
    engine.onSignals([recoveredOf(symptom, t0 + 10 * min)], t0 + 10 * min, shopTopology);
    assert.equal(engine.tick(t0 + 21 * min)[0]?.event, 'all-clear');
    const resolvedAt = engine.get('1')!.resolvedAtMs!;

    // The same flag flipped again after the all-clear, and the same symptom follows.
    const repeat = flag(resolvedAt + afterMin * min);
    engine.onChange(repeat, repeat.timeMs, shopTopology);
    const again = signalOf('error-rate', { service: 'payment-service', route: 'POST /pay' }, repeat.timeMs + 2 * min, { observed: 0.2, baseline: 0.001 });
    const updates = engine.onSignals(
      [{ ...again, change: { changeId: repeat.id, kind: 'config', version: '', timeMs: repeat.timeMs } }],
      repeat.timeMs + 3 * min,
      shopTopology,
    );
    assert.equal(updates[0]?.event, 'opened', updates.map((u) => `${u.event} ${u.incident.id}`).join(', '));
    const opened = updates[0]?.incident;
    assert.ok(opened);
    assert.notEqual(opened.id, '1');
    // Its changes may list the first flip too (a change of the same service within the look-back),
    // but the new one is there and no cause is carried over.
    assert.ok(
      opened.changes.some((c) => c.id === repeat.id),
      'the new incident names the new change',
    );
    assert.deepEqual(opened.rootCauses, [], 'no cause carried over from the resolved incident');
    assert.equal(engine.get('1')?.status ?? 'resolved', 'resolved', 'the old incident stays resolved');
  });
}

void test('the same symptom with no new change behind it, within the cool-down, reopens the resolved incident', () => {
  const engine = new IncidentEngine();
  const deploy = changeOf({ service: 'payment-service', timeMs: t0 - 2 * min, version: 'v2.3' });
  engine.onChange(deploy, deploy.timeMs, shopTopology);
  const link = { changeId: deploy.id, kind: 'deploy' as const, version: 'v2.3', timeMs: deploy.timeMs };
  const symptom = signalOf('error-rate', { service: 'payment-service', route: 'POST /pay' }, t0, { observed: 0.2, baseline: 0.001 });
  engine.onSignals([{ ...symptom, change: link }], t0 + min, shopTopology);
  engine.onSignals([recoveredOf(symptom, t0 + 10 * min)], t0 + 10 * min, shopTopology);
  assert.equal(engine.tick(t0 + 21 * min)[0]?.event, 'all-clear');
  // v2.3 still serves and fails again: the same problem, not a new one.
  const again = signalOf('error-rate', { service: 'payment-service', route: 'POST /pay' }, t0 + 30 * min, { observed: 0.2, baseline: 0.001 });
  const updates = engine.onSignals([{ ...again, change: link }], t0 + 31 * min, shopTopology);
  assert.equal(updates[0]?.event, 'reopened');
  assert.equal(updates[0]?.incident.id, '1');
});

void test('background noise starting 20 minutes into an incident does not join it nor hold back its all-clear', () => {
  const engine = new IncidentEngine();
  const fault = signalOf('error-rate', { service: 'payment-service', route: 'POST /pay' }, t0, { observed: 0.2, baseline: 0.001 });
  engine.onSignals([fault], t0 + min, shopTopology);
  // While the fault still fires, a small shift one hop away begins, and lasts another 15 minutes.
  const noise = signalOf('change-point', { service: 'checkout', route: 'POST /checkout', metric: 'latency' }, t0 + 20 * min, {
    observed: 0.14,
    baseline: 0.1,
    score: 0.3,
  });
  const updates = engine.onSignals([noise], t0 + 21 * min, shopTopology);
  assert.ok(!updates.some((u) => u.incident.id === '1' && u.event === 'signal-added'), updates.map((u) => `${u.event} ${u.incident.id}`).join(', '));
  engine.onSignals([recoveredOf(fault, t0 + 25 * min)], t0 + 25 * min, shopTopology);
  const clear = engine.tick(t0 + 35 * min).find((u) => u.incident.id === '1');
  assert.equal(clear?.event, 'all-clear', 'ten stable minutes after its own signal recovered');
});

void test('failed releases dated at their deploys, judged when a config change breaks their services, join the config change’s incident', () => {
  const engine = new IncidentEngine();
  const config = changeOf({ service: 'checkout', timeMs: t0, kind: 'config', description: 'payments.client.timeout_ms: 4000 → 40' });
  const harmless = changeOf({ service: 'checkout', timeMs: t0 - 38 * min, version: '6.4.1' });
  const callerDeploy = changeOf({ service: 'frontend', timeMs: t0 - 18 * min, version: '2.7.1' });
  for (const c of [harmless, callerDeploy, config]) engine.onChange(c, c.timeMs, shopTopology);
  const linkOf = (c: typeof config): NonNullable<Parameters<typeof signalOf>[3]>['change'] => ({
    changeId: c.id,
    kind: c.kind,
    version: c.version,
    timeMs: c.timeMs,
  });
  // A failed release's onset is its deploy, whenever the regression that failed it began.
  const failedRelease = (deploy: typeof config, kind: 'new-exception' | 'error-rate', detectedAtMs: number): ReturnType<typeof signalOf> =>
    signalOf(kind, { service: deploy.service, version: deploy.version }, deploy.timeMs, { detectedAtMs, score: 0.9, change: linkOf(deploy) });

  // In the tick after the config change: its new exception, and the harmless deploy failing on it.
  const exception = signalOf('new-exception', { service: 'checkout', fingerprint: 'TimeoutError' }, t0, { detectedAtMs: t0 + 10_000, change: linkOf(config) });
  const opened = engine.onSignals([exception, failedRelease(harmless, 'new-exception', t0 + 10_000)], t0 + 10_000, shopTopology);
  assert.deepEqual([...new Set(opened.map((u) => u.incident.id))], ['1'], opened.map((u) => `${u.event} ${u.incident.id} ${u.incident.title}`).join(', '));
  // A minute later the caller's routine deploy fails on the same errors.
  const caller = engine.onSignals([failedRelease(callerDeploy, 'error-rate', t0 + 90_000)], t0 + 90_000, shopTopology);
  assert.equal(caller[0]?.event, 'signal-added', caller.map((u) => `${u.event} ${u.incident.id} ${u.incident.title}`).join(', '));
  assert.equal(caller[0]?.incident.id, '1');
  assert.equal(engine.list({ status: 'all' }).length, 1);
  assert.equal(engine.get('1')?.startedAtMs, t0, 'the incident starts at the config change, not at a deploy 38 minutes before');
  engine.setRootCauses(
    '1',
    [{ service: 'checkout', kind: 'config-change', score: 0.9, explanation: 'timeout 4000 → 40', evidence: [], nextSteps: [] }],
    t0 + 90_000,
  );
  assert.equal(
    engine.get('1')?.title,
    'Errors in frontend after checkout config change (+1 service)',
    'named by a symptom as it showed, after the change it followed',
  );

  // Such a signal with no link to the incident still opens its own.
  const search = changeOf({ service: 'search-api', timeMs: t0 - 30 * min, version: '3.3.1' });
  const apart = engine.onSignals([failedRelease(search, 'error-rate', t0 + 2 * min)], t0 + 2 * min, shopTopology);
  assert.equal(apart[0]?.event, 'opened');
});

void test('a failed release the root cause does not blame does not hold back the all-clear; one it blames does', () => {
  for (const blamed of [false, true]) {
    const engine = new IncidentEngine();
    const deploy = changeOf({ service: 'frontend', timeMs: t0 - 40_000, version: '4.2.2' });
    engine.onChange(deploy, deploy.timeMs, shopTopology);
    const symptom = signalOf('error-rate', { service: 'checkout', route: 'POST /checkout' }, t0, { observed: 0.3, baseline: 0.002 });
    // The routine frontend deploy fails its watch on the checkout errors; its verdict stands after they end.
    const verdict = signalOf('error-rate', { service: 'frontend', version: '4.2.2' }, deploy.timeMs, {
      detectedAtMs: t0 + 30_000,
      evidence: { deploymentId: deploy.id, verdict: 'fail' },
      change: { changeId: deploy.id, kind: 'deploy', version: '4.2.2', timeMs: deploy.timeMs },
    });
    engine.onSignals([symptom, verdict], t0 + 30_000, shopTopology);
    const cause = blamed
      ? { service: 'frontend', kind: 'bad-deploy' as const, score: 0.9, explanation: '4.2.2 fails', evidence: [], nextSteps: [] }
      : { service: 'checkout', kind: 'config-change' as const, score: 0.9, explanation: 'timeout 4000 → 40', evidence: [], nextSteps: [] };
    engine.setRootCauses('1', [cause], t0 + 30_000);
    engine.onSignals([recoveredOf(symptom, t0 + 15 * min)], t0 + 15 * min, shopTopology);
    const clear = engine.tick(t0 + 26 * min);
    if (blamed) {
      assert.deepEqual(clear, [], 'the blamed deploy’s failed verdict is the problem itself');
      assert.equal(engine.get('1')?.status, 'triggered');
    } else {
      assert.equal(clear[0]?.event, 'all-clear');
      assert.match(clear[0]?.newTimeline[0]?.text ?? '', /1 symptom recovered and stable for 11 min \(the failed release of frontend 4\.2\.2 still stands/);
    }
  }
});

void test('the title names the very deploy the ranking blames, even when a symptom is dated at an earlier deploy of that service', () => {
  const engine = new IncidentEngine();
  const older = changeOf({ service: 'payment-service', timeMs: t0 - 30 * min, version: '2.9.3' });
  const blamed = changeOf({ service: 'payment-service', timeMs: t0 - min, version: '2.10.0' });
  engine.onChange(older, older.timeMs, shopTopology);
  engine.onChange(blamed, blamed.timeMs, shopTopology);
  // A failed-release verdict is dated at its deploy, so the incident's first symptom seems older than the blamed deploy.
  const verdict = signalOf('error-rate', { service: 'payment-service', route: 'POST /pay' }, older.timeMs + 2 * min, { observed: 0.2, baseline: 0.001 });
  engine.onSignals([verdict], t0 + min, shopTopology);
  const cause = {
    service: 'payment-service',
    kind: 'bad-deploy' as const,
    score: 0.9,
    explanation: 'Bad deploy of payment-service 2.10.0',
    evidence: [],
    nextSteps: [],
  };
  engine.setRootCauses('1', [{ ...cause, changeId: blamed.id }], t0 + 2 * min);
  assert.equal(engine.get('1')!.title, 'Errors in payment-service POST /pay after 2.10.0 deploy');
  engine.setRootCauses('1', [cause], t0 + 3 * min);
  assert.equal(engine.get('1')!.title, 'Errors in payment-service POST /pay after 2.9.3 deploy', 'without the blamed id: the latest deploy before the symptom');
});
