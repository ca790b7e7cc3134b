// The release engine's lifecycle on simulated traffic: regressions fail fast with a signal naming
// the deploy, clean deploys pass, missing baselines are inconclusive, findings from detectors and
// smoke checks count, decided verdicts never change, and the state survives a JSON round trip.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Signal } from '../model/index.js';
import { defaultReleaseConfig } from './config.js';
import { bucketMs, ReleaseEngine, type ReleaseSnapshot } from './engine.js';
import { decide, exitCodeOf, IllegalVerdictTransition, watching } from './lifecycle.js';
import { recheckMinMs } from './recheck.js';
import { releaseReportMarkdown } from './report.js';
import { deployAtMs, runDeploy } from './testing/deploy-run.js';
import { defaultRoutes, TrafficSimulator, type TrafficProfile } from './testing/traffic.js';

const config = defaultReleaseConfig();
const base = { requestsPerSecond: 20, routes: defaultRoutes, sigma: 0.5, previous: { errorRate: 0.002, latencyFactor: 1 } };
const profile = (candidate: { errorRate: number; latencyFactor: number }, candidateShare: number): TrafficProfile => ({ ...base, candidate, candidateShare });

function signal(kind: Signal['kind'], over: Partial<Signal>): Signal {
  return {
    id: `${kind}@1`,
    key: kind,
    kind,
    status: 'firing',
    subject: { service: 'shop' },
    startedAtMs: deployAtMs,
    detectedAtMs: deployAtMs + 60_000,
    window: { fromMs: deployAtMs, toMs: deployAtMs },
    observed: 1,
    baseline: 0,
    unit: 'count',
    pValue: NaN,
    score: 0.9,
    summary: 'x',
    evidence: {},
    ...over,
  };
}

/** An engine with `minutes` of the previous version before the deploy, the deploy recorded. */
function primed(minutes = 20): { engine: ReleaseEngine; sim: TrafficSimulator } {
  const sim = new TrafficSimulator(profile({ errorRate: 0.002, latencyFactor: 1 }, 1), 3);
  const engine = new ReleaseEngine(config);
  for (let m = minutes; m > 0; m--)
    for (const r of defaultRoutes) engine.observe('shop', r.route, 'v1', deployAtMs - m * 60_000, sim.aggregate(r, sim.profile.previous, 1, 60).agg);
  engine.observeDeploy({ id: 'd1', service: 'shop', version: 'v2', previousVersion: 'v1', timeMs: deployAtMs }, deployAtMs);
  return { engine, sim };
}

function feedCandidate(engine: ReleaseEngine, sim: TrafficSimulator, fromMs: number, buckets: number): void {
  for (let b = 0; b < buckets; b++) {
    const at = fromMs + b * bucketMs;
    for (const r of defaultRoutes) engine.observe('shop', r.route, 'v2', at, sim.aggregate(r, sim.profile.previous, 1, bucketMs / 1000).agg);
    engine.advance(at + bucketMs);
  }
}

describe('release engine', () => {
  it('fails a 2x p95 canary within minutes, with latency evidence that names the change', () => {
    const run = runDeploy(profile({ errorRate: 0.002, latencyFactor: 2 }, 0.2), 11, config, { baselineMinutes: 30, horizonMinutes: 0 });
    assert.equal(run.verdict.status, 'fail');
    assert.ok(run.decidedAfterMs <= 180_000, `decided after ${run.decidedAfterMs} ms`);
    const latency = run.verdict.evidence.find((e) => e.signal === 'latency' && e.failing);
    assert.ok(latency, JSON.stringify(run.verdict.evidence));
    assert.ok(latency.change > 0.5 && latency.confidence > 0.99);
    // The wording: "regression in POST /pay p95 (+48%, 99% confidence) after 4 min".
    assert.match(
      run.verdict.summary,
      /^regression in (((GET|POST) \/\w+ )?p95 \(\+\d+%, 99\.\d% confidence\)(; )?)+ after \d+ (s|min) \(v2 side by side with v1\)$/,
    );
  });

  it('fails a 0.2% → 5% error rise on a full rollout against the hour before', () => {
    const run = runDeploy(profile({ errorRate: 0.05, latencyFactor: 1 }, 1), 12, config, { baselineMinutes: 30, horizonMinutes: 0 });
    assert.equal(run.verdict.status, 'fail');
    assert.ok(run.verdict.evidence.some((e) => e.signal === 'error-rate' && e.failing && e.candidate > 0.03));
  });

  it('passes a deploy without a regression, never before the minimum watch, with a stated bound', () => {
    const run = runDeploy(profile({ errorRate: 0.002, latencyFactor: 1 }, 1), 13, config, { baselineMinutes: 30, horizonMinutes: 0 });
    assert.equal(run.verdict.status, 'pass');
    assert.ok(run.decidedAfterMs >= config.minWatchMs && run.decidedAfterMs <= config.windowMs);
    assert.equal(config.windowMs, 3_600_000, 'the intensive window is 1 h by default');
    // The wording: "no regression with 2,140 requests; 95% confident p95 did not rise more than 10%".
    assert.match(
      run.verdict.summary,
      /^no regression with \d{1,3}(,\d{3})+ requests; 95% confident p95 did not rise more than (10|25|50)% and the error rate not (1\.5|2)x /,
    );
    assert.ok(run.verdict.evidence.every((e) => !e.failing));
  });

  it('is inconclusive when the previous version served nothing before or beside the new one', () => {
    const engine = new ReleaseEngine(config);
    engine.observeDeploy({ id: 'd0', service: 'quiet', version: 'v2', previousVersion: '', timeMs: deployAtMs }, deployAtMs);
    engine.observe('quiet', 'GET /', 'v2', deployAtMs, { requests: 3, errors: 0, latency: { offset: 100, counts: [3], count: 3 } });
    // A clock that jumps past the window closes every bucket and decides at once.
    const update = engine.advance(deployAtMs + config.windowMs + 5 * 60_000);
    assert.equal(update.decided.length, 1);
    assert.equal(engine.get('d0')!.verdict.status, 'inconclusive');
    assert.equal(update.signals.length, 0);
  });

  it('a new exception first seen in the new version fails it; one of another version does not', () => {
    const { engine, sim } = primed();
    engine.observeSignals([signal('new-exception', { subject: { service: 'shop', version: 'v1', fingerprint: 'old' } })]);
    feedCandidate(engine, sim, deployAtMs, 3);
    assert.equal(engine.get('d1')!.verdict.status, 'watching');
    // Readable at any moment: the watching verdict says what it has seen so far.
    assert.match(
      engine.get('d1')!.verdict.summary,
      /^watching v2 against v1: \d+ requests after 30 s, no regression so far(; 95% confident p95 did not rise more than (10|25|50)%)?$/,
    );
    engine.observeSignals([signal('new-exception', { subject: { service: 'shop', version: 'v2', fingerprint: 'abc123' }, summary: 'TypeError in checkout' })]);
    const update = engine.advance(deployAtMs + 4 * bucketMs);
    assert.equal(engine.get('d1')!.verdict.status, 'fail');
    assert.ok(engine.get('d1')!.verdict.evidence.some((e) => e.signal === 'new-exception' && e.failing && e.route === 'abc123'));
    const s = update.signals[0]!;
    assert.equal(s.kind, 'new-exception');
    assert.deepEqual(s.change, { changeId: 'd1', kind: 'deploy', version: 'v2', timeMs: deployAtMs });
    assert.match(s.summary, /Deploy shop v2 failed release validation/);
  });

  it('a new log template first seen in the new version is evidence (never a fail) and names the template; one of another version is not', () => {
    const { engine, sim } = primed();
    const template = (version: string, pattern: string) =>
      signal('new-log-pattern', { key: `new-log-pattern|shop|${pattern}`, subject: { service: 'shop', version, patternId: pattern, pattern } });
    engine.observeSignals([template('v1', 'cache miss for <*>'), template('v2', 'retrying payment <*> after timeout')]);
    feedCandidate(engine, sim, deployAtMs, 3);
    const r = engine.get('d1')!;
    const rows = r.verdict.evidence.filter((e) => e.signal === 'new-log-template');
    assert.equal(rows.length, 1, JSON.stringify(rows));
    assert.equal(rows[0]!.route, 'retrying payment <*> after timeout');
    assert.equal(rows[0]!.failing, false);
    assert.match(rows[0]!.summary, /new log template in v2: retrying payment <\*> after timeout/);
    assert.equal(r.verdict.status, 'watching', 'a new template alone does not fail a release');
    engine.advance(deployAtMs + config.windowMs + bucketMs);
    assert.equal(r.verdict.status, 'pass', r.verdict.summary);
    assert.ok(
      r.verdict.evidence.some((e) => e.signal === 'new-log-template'),
      'the decided verdict keeps it',
    );
    assert.match(releaseReportMarkdown(r), /## New errors\n\n- new log template in v2: retrying payment <\*> after timeout/);
  });

  it('a failed critical smoke check of the service fails it; a non-critical one is evidence only', () => {
    const { engine, sim } = primed();
    engine.observeSignals([signal('synthetic-failure', { evidence: { check: 'browse', reason: 'timeout' } })]);
    feedCandidate(engine, sim, deployAtMs, 2);
    assert.equal(engine.get('d1')!.verdict.status, 'watching');
    assert.ok(engine.get('d1')!.verdict.evidence.some((e) => e.signal === 'smoke' && !e.failing));
    engine.observeSignals([signal('synthetic-failure', { evidence: { check: 'checkout', reason: 'status 500', critical: 'yes' } })]);
    engine.advance(deployAtMs + 3 * bucketMs);
    assert.equal(engine.get('d1')!.verdict.status, 'fail');
    assert.match(engine.get('d1')!.verdict.summary, /critical smoke check "checkout"/);
  });

  it("a failed release's signal recovers once its version stops serving", () => {
    const { engine, sim } = primed();
    engine.observeSignals([signal('new-exception', { subject: { service: 'shop', version: 'v2', fingerprint: 'f' } })]);
    feedCandidate(engine, sim, deployAtMs, 1);
    assert.equal(engine.recovered('d1'), false);
    // Rolled back: only v1 serves from here on.
    let recovered: Signal | undefined;
    for (let b = 1; b < 20 && !recovered; b++) {
      const at = deployAtMs + b * bucketMs;
      for (const r of defaultRoutes) engine.observe('shop', r.route, 'v1', at, sim.aggregate(r, sim.profile.previous, 1, 10).agg);
      recovered = engine.advance(at + bucketMs).signals.find((s) => s.status === 'recovered');
    }
    assert.ok(recovered);
    assert.equal(engine.recovered('d1'), true);
  });

  it('a new deploy of the service ends the watch of the one before as inconclusive', () => {
    const { engine, sim } = primed();
    feedCandidate(engine, sim, deployAtMs, 3);
    const superseded = engine.observeDeploy(
      { id: 'd2', service: 'shop', version: 'v3', previousVersion: 'v2', timeMs: deployAtMs + 60_000 },
      deployAtMs + 60_000,
    );
    assert.deepEqual(
      superseded.map((r) => r.deployment.id),
      ['d1'],
    );
    assert.equal(engine.get('d1')!.verdict.status, 'inconclusive');
    assert.match(engine.get('d1')!.verdict.summary, /superseded by v3/);
    assert.deepEqual(
      engine.list('shop').map((r) => r.deployment.id),
      ['d2', 'd1'],
    );
  });

  it('picks the busiest earlier version when the deploy does not name the previous one', () => {
    const { engine } = primed();
    engine.observeDeploy({ id: 'd9', service: 'shop', version: 'v9', previousVersion: '', timeMs: deployAtMs + 1 }, deployAtMs + 1);
    assert.equal(engine.get('d9')!.deployment.previousVersion, 'v1');
  });

  it('survives a JSON round trip mid-watch and reaches the same verdict', () => {
    const a = primed();
    const b = primed();
    feedCandidate(a.engine, a.sim, deployAtMs, 6);
    feedCandidate(b.engine, b.sim, deployAtMs, 6);
    const restored = new ReleaseEngine(config, JSON.parse(JSON.stringify(b.engine.snapshot())) as ReleaseSnapshot);
    const t = deployAtMs + config.windowMs + bucketMs;
    a.engine.advance(t);
    restored.advance(t);
    assert.equal(restored.get('d1')!.verdict.status, a.engine.get('d1')!.verdict.status);
    assert.equal(restored.get('d1')!.verdict.summary, a.engine.get('d1')!.verdict.summary);
  });

  it('shows a route the new version no longer serves as throughput-share evidence', () => {
    const { engine, sim } = primed();
    for (let b = 0; b < 18; b++) {
      const at = deployAtMs + b * bucketMs;
      for (const r of defaultRoutes) {
        if (r.route !== 'POST /pay') engine.observe('shop', r.route, 'v2', at, sim.aggregate(r, sim.profile.previous, 0.5, 10).agg);
        engine.observe('shop', r.route, 'v1', at, sim.aggregate(r, sim.profile.previous, 0.5, 10).agg);
      }
      engine.advance(at + bucketMs);
    }
    const quiet = engine.get('d1')!.verdict.evidence.find((e) => e.signal === 'throughput-share' && e.route === 'POST /pay');
    assert.ok(quiet, JSON.stringify(engine.get('d1')!.verdict.evidence));
    assert.equal(quiet.candidate, 0);
    assert.equal(quiet.change, -1);
    assert.equal(quiet.failing, false);
  });

  it('decides a verdict once: a decided verdict refuses another decision', () => {
    const v = decide(watching('w'), 'pass', 5, 'ok', []);
    assert.equal(v.decidedAtMs, 5);
    assert.throws(() => decide(v, 'fail', 6, 'no', []), IllegalVerdictTransition);
    assert.deepEqual([exitCodeOf('pass'), exitCodeOf('fail'), exitCodeOf('inconclusive'), exitCodeOf('watching')], [0, 1, 2, 2]);
  });
});

describe('a failed release whose regression does not last', () => {
  const normal = { errorRate: 0.002, latencyFactor: 1 };
  const slow = { errorRate: 0.002, latencyFactor: 2 };
  /** `minutes` of v2 alone with the given behaviour, from `fromMs`; the release signals it gave. */
  const run = (engine: ReleaseEngine, sim: TrafficSimulator, fromMs: number, minutes: number, arm: typeof normal): Signal[] => {
    const out: Signal[] = [];
    for (let b = 0; b < (minutes * 60_000) / bucketMs; b++) {
      const at = fromMs + b * bucketMs;
      for (const r of defaultRoutes) engine.observe('shop', r.route, 'v2', at, sim.aggregate(r, arm, 1, bucketMs / 1000).agg);
      out.push(...engine.advance(at + bucketMs).signals);
    }
    return out;
  };

  it('recovers its signal once the version is back within bounds (an outside fault beside a harmless deploy); the verdict stays fail', () => {
    const { engine, sim } = primed(60);
    const during = run(engine, sim, deployAtMs, 10, slow);
    assert.ok(
      during.some((s) => s.status === 'firing'),
      'the slowdown failed the release',
    );
    assert.ok(!during.some((s) => s.status === 'recovered'), 'no recovery while it lasts');
    const clearedAt = deployAtMs + 10 * 60_000;
    const after = run(engine, sim, clearedAt, 20, normal);
    const recovered = after.find((s) => s.status === 'recovered');
    assert.ok(recovered, 'recovered after the slowdown ended');
    const tookMs = (recovered.endedAtMs ?? 0) - clearedAt;
    // The fresh comparison last started over in the slowdown's final buckets, and must then hold
    // for recheckMinMs: never sooner than that after the slowdown's last slow minute.
    assert.ok(tookMs >= recheckMinMs - 60_000 && tookMs <= 15 * 60_000, `recovered ${tookMs / 60_000} min after the slowdown ended`);
    assert.match(recovered.summary, /back within bounds of the previous version/);
    const record = engine.get('d1');
    assert.equal(record?.verdict.status, 'fail');
    assert.equal(record?.failure?.recoveredBecause, 'back-to-normal');
    const restored = new ReleaseEngine(config, JSON.parse(JSON.stringify(engine.snapshot())) as ReleaseSnapshot);
    assert.equal(restored.recovered('d1'), true);
  });

  it('keeps a version that stays worse failed, however long it serves', () => {
    const { engine, sim } = primed(60);
    const signals = run(engine, sim, deployAtMs, 45, slow);
    assert.ok(signals.some((s) => s.status === 'firing'));
    assert.deepEqual(
      signals.filter((s) => s.status === 'recovered').map((s) => s.summary),
      [],
    );
    assert.equal(engine.recovered('d1'), false);
  });

  it('after a new exception failed it, recovers only once that exception stopped occurring', () => {
    const { engine, sim } = primed(60);
    const thrown = signal('new-exception', { subject: { service: 'shop', version: 'v2', fingerprint: 'etimedout' }, detectedAtMs: deployAtMs + 30_000 });
    run(engine, sim, deployAtMs, 1, normal);
    engine.observeSignals([thrown]);
    const early = run(engine, sim, deployAtMs + 60_000, 10, normal);
    assert.ok(
      early.some((s) => s.status === 'firing'),
      'the new exception failed the release',
    );
    assert.ok(!early.some((s) => s.status === 'recovered'), 'not while the exception still occurs, however clean the traffic');
    engine.observeSignals([{ ...thrown, status: 'recovered', endedAtMs: deployAtMs + 11 * 60_000 }]);
    const later = run(engine, sim, deployAtMs + 11 * 60_000, 10, normal);
    assert.match(later.find((s) => s.status === 'recovered')?.summary ?? '', /back within bounds/);
  });
});
