// Severity from customer impact and from signals, with the one-line reasons people read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveIncidentConfig } from './config.js';
import { severityFromImpact, severityFromSignals, withCriticalChecks } from './severity.js';
import { signalOf } from './testing/scenarios.js';
import type { ImpactFacts } from './types.js';

const config = resolveIncidentConfig({ criticalJourneys: [{ name: 'checkout' }] });
const base: ImpactFacts = { entryRequests: 10_000, entryFailed: 0, entrySlow: 0, affectedUsers: 0, totalUsers: 5_000, journeysHit: [], durationMs: 5 * 60_000 };

void test('grades impact by the share of failing entry requests and users affected', () => {
  assert.equal(severityFromImpact({ ...base, entryFailed: 5 }, config).severity, 'low');
  assert.equal(severityFromImpact({ ...base, entryFailed: 50, affectedUsers: 3 }, config).severity, 'medium');
  assert.equal(severityFromImpact({ ...base, entryFailed: 300, affectedUsers: 40 }, config).severity, 'high');
  assert.equal(severityFromImpact({ ...base, entryFailed: 1_520, affectedUsers: 600 }, config).severity, 'critical');
  // Users count only as far as entry requests failed: 10 failing requests hurt at most 10 users,
  // whatever number of users sat behind internal failures the entry absorbed.
  assert.equal(severityFromImpact({ ...base, entryFailed: 10, affectedUsers: 600 }, config).severity, 'medium');
  assert.equal(severityFromImpact({ ...base, entrySlow: 2_500 }, config).severity, 'high');
});

void test('a hit critical journey is at least high, and critical when requests fail badly too', () => {
  assert.equal(severityFromImpact({ ...base, journeysHit: ['checkout'] }, config).severity, 'high');
  assert.equal(severityFromImpact({ ...base, entryFailed: 300, journeysHit: ['checkout'] }, config).severity, 'critical');
  assert.equal(severityFromImpact({ ...base, journeysHit: ['browse'] }, config).severity, 'low', 'not a configured critical journey');
});

void test('a long incident with a small impact is raised one level', () => {
  const v = severityFromImpact({ ...base, entryFailed: 50, durationMs: 45 * 60_000 }, config);
  assert.equal(v.severity, 'high');
  assert.match(v.reason, /ongoing for 45 min$/);
});

void test('explains the verdict in one line with counts and percentages', () => {
  const v = severityFromImpact(
    { ...base, entryRequests: 9_800, entryFailed: 1_490, affectedUsers: 1_204, totalUsers: 9_800, journeysHit: ['checkout'], entryServices: ['frontend'] },
    config,
  );
  assert.equal(v.reason, "15.2% of frontend requests failing (1,490 of 9,800); 1,204 of 9,800 users affected; journey 'checkout' hit");
  assert.equal(severityFromImpact({ ...base, entryRequests: 0 }, config).reason, 'no entry requests measured; 0 of 5,000 users affected');
});

void test('before impact is known, entry-service symptoms weigh more than internal ones', () => {
  const isEntry = (s: string): boolean => s === 'frontend';
  const internal = signalOf('error-rate', { service: 'payment-service', route: 'POST /pay' }, 0, { observed: 0.15, score: 0.95 });
  const entry = signalOf('error-rate', { service: 'frontend', route: 'POST /checkout' }, 0, { observed: 0.12, score: 0.9 });
  assert.equal(severityFromSignals({ signals: [internal], isEntry, config }).severity, 'medium');
  const v = severityFromSignals({ signals: [internal, entry], isEntry, config });
  assert.equal(v.severity, 'critical');
  assert.equal(v.reason, 'from signals, impact not measured yet: error-rate on entry service frontend POST /checkout at 12.0% (score 0.90)');
  assert.equal(severityFromSignals({ signals: [{ ...entry, status: 'recovered' }], isEntry, config }).severity, 'low');
});

void test('"0% failing" is never high: users behind absorbed failures and the usual error share do not count', () => {
  const edge = { ...base, entryRequests: 39_501, totalUsers: 3_683, entryServices: ['edge-proxy'] };
  const nothing = severityFromImpact({ ...edge, entryFailed: 0, affectedUsers: 205, durationMs: 3 * 3_600_000 }, config);
  assert.equal(nothing.severity, 'low', nothing.reason);
  assert.match(nothing.reason, /^0% of edge-proxy requests failing \(0 of 39,501\); 0 of 3,683 users hurt at the entry \(205 behind failures\)$/);
  // 0.5% failing where 0.5% is usual is the background, not the incident's impact.
  const background = severityFromImpact({ ...edge, entryFailed: 198, affectedUsers: 150, usualFailedRatio: 0.005 }, config);
  assert.equal(background.severity, 'low', background.reason);
  // 5.5% failing against 0.5% usual is high.
  assert.equal(severityFromImpact({ ...edge, entryFailed: 2_170, affectedUsers: 1_900, usualFailedRatio: 0.005 }, config).severity, 'critical');
  assert.equal(severityFromImpact({ ...edge, entryFailed: 1_200, affectedUsers: 90, usualFailedRatio: 0.005 }, config).severity, 'high');
});

void test('before impact is known, an entry error signal is graded by its excess over the usual ratio', () => {
  const isEntry = (s: string): boolean => s === 'edge-proxy';
  const shift = signalOf('change-point', { service: 'edge-proxy', route: '/', metric: 'error_rate' }, 0, { observed: 0.005, baseline: 0.001, score: 0.99 });
  assert.equal(severityFromSignals({ signals: [shift], isEntry, config }).severity, 'medium');
  const small = signalOf('error-rate', { service: 'edge-proxy', route: '/' }, 0, { observed: 0.004, baseline: 0.003, score: 0.99 });
  assert.equal(severityFromSignals({ signals: [small], isEntry, config }).severity, 'low');
  const real = signalOf('error-rate', { service: 'edge-proxy', route: '/' }, 0, { observed: 0.05, baseline: 0.002, score: 0.99 });
  assert.equal(severityFromSignals({ signals: [real], isEntry, config }).severity, 'high');
});

void test('a failing synthetic check marked critical is at least high, an ordinary one is not', () => {
  const isEntry = (): boolean => false;
  const check = (critical: boolean) =>
    signalOf('synthetic-failure', { service: 'payments', route: 'pay journey' }, 0, { score: 0.8, evidence: critical ? { critical: 'yes' } : {} });
  assert.equal(severityFromSignals({ signals: [check(true)], isEntry, config }).severity, 'high');
  assert.notEqual(severityFromSignals({ signals: [check(false)], isEntry, config }).severity, 'high');
});

void test('a slower critical journey is at least medium before impact is known; a broken one stays at least high', () => {
  const isEntry = (): boolean => false;
  const slow = (critical: boolean, route = 'pay journey') =>
    signalOf('synthetic-latency', { service: 'payments', route }, 0, {
      observed: 2_400,
      baseline: 600,
      score: critical ? 0.8 : 0.6,
      evidence: critical ? { critical: 'yes' } : {},
    });
  const broken = signalOf('synthetic-failure', { service: 'payments', route: 'pay journey' }, 0, { score: 0.8, evidence: { critical: 'yes' } });
  assert.equal(severityFromSignals({ signals: [slow(true)], isEntry, config }).severity, 'medium');
  assert.equal(severityFromSignals({ signals: [slow(false)], isEntry, config }).severity, 'low', 'an ordinary check slowing inside is a hint');
  assert.equal(
    severityFromSignals({ signals: [slow(false, 'checkout')], isEntry, config }).severity,
    'medium',
    'a journey named in criticalJourneys is critical',
  );
  assert.equal(severityFromSignals({ signals: [slow(false)], isEntry: () => true, config }).severity, 'medium', 'a slow check of an entry service is visible');
  const both = severityFromSignals({ signals: [slow(true), broken], isEntry, config });
  assert.equal(both.severity, 'high');
  assert.match(both.reason, /synthetic-failure on payments pay journey/);
  assert.equal(severityFromSignals({ signals: [{ ...slow(true), status: 'recovered' }], isEntry, config }).severity, 'low');
});

void test('after impact is measured, critical checks set a floor with their reason and never lower the verdict', () => {
  const quiet = severityFromImpact(base, config);
  assert.equal(quiet.severity, 'low');
  const slow = signalOf('synthetic-latency', { service: 'payments', route: 'pay journey' }, 0, {
    observed: 2_400,
    baseline: 600,
    score: 0.8,
    evidence: { critical: 'yes' },
  });
  const broken = signalOf('synthetic-failure', { service: 'payments', route: 'pay journey' }, 0, { score: 0.8, evidence: { critical: 'yes' } });
  const slowed = withCriticalChecks(quiet, [slow], config);
  assert.deepEqual(slowed, { severity: 'medium', reason: `${quiet.reason}; critical check 'pay journey' slower than usual` });
  assert.deepEqual(withCriticalChecks(quiet, [slow, broken], config), { severity: 'high', reason: `${quiet.reason}; critical check 'pay journey' failing` });
  const heavy = severityFromImpact({ ...base, entryFailed: 300, affectedUsers: 40 }, config);
  assert.equal(heavy.severity, 'high');
  assert.deepEqual(withCriticalChecks(heavy, [slow], config), heavy, 'impact already above the floor: kept, reason untouched');
  assert.deepEqual(withCriticalChecks(quiet, [{ ...slow, status: 'recovered' }], config), quiet, 'a recovered check sets no floor');
  assert.deepEqual(withCriticalChecks(quiet, [{ ...slow, evidence: {} }], config), quiet, 'an ordinary check sets no floor');
});
