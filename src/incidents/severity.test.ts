// Severity from customer impact and from signals, with the one-line reasons people read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assembleContext, impactFromContext, InMemoryContextQueries } from '../context/index.js';
import type { Span } from '../model/index.js';
import { blankSpan } from '../model/testing/records.js';
import { resolveIncidentConfig } from './config.js';
import { severityFromImpact, severityFromSignals, withBrokenEntryRoutes, withCriticalChecks, withMissingTraffic, type SeverityVerdict } from './severity.js';
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

// Impact measured from spans as the pipeline does (context assembly over the in-memory port): a shop
// whose entry service `frontend` serves a fast home page (4 in 5 requests, ~20 ms) and a slow
// checkout (~200 ms), in front of an internal `catalog`; 30 min as usual, then 10 min after the onset.
const onsetMs = 1_767_614_400_000; // 2026-01-05T12:00:00Z
const MIN = 60_000;
interface Slowdown {
  home?: number;
  catalog?: number;
}
function shopSpans(after: Slowdown): Span[] {
  const spans: Span[] = [];
  let seed = 7;
  // A fixed pseudo-random jitter (±25%): each endpoint has a real tail, 1 request in 20 beyond its p95.
  const jitter = (): number => 0.75 + ((seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647) * 0.5;
  const span = (service: string, method: string, route: string, atMs: number, ms: number): Span =>
    blankSpan({
      service,
      name: `${method} ${route}`,
      httpMethod: method,
      httpRoute: route,
      httpStatusCode: 200,
      traceId: (spans.length + 1).toString(16).padStart(32, '0'),
      spanId: (spans.length + 1).toString(16).padStart(16, '0'),
      startTimeMs: atMs,
      durationMs: ms,
    });
  for (let atMs = onsetMs - 30 * MIN; atMs < onsetMs + 10 * MIN; atMs += 2_000) {
    const factor = (f: number | undefined): number => (atMs >= onsetMs ? (f ?? 1) : 1);
    spans.push(span('catalog', 'GET', '/products', atMs, 10 * jitter() * factor(after.catalog)));
    if (atMs % 10_000 === 0) spans.push(span('frontend', 'POST', '/checkout', atMs, 200 * jitter()));
    else spans.push(span('frontend', 'GET', '/', atMs, 20 * jitter() * factor(after.home)));
  }
  return spans;
}

async function measured(after: Slowdown, entryServices?: string[]): Promise<SeverityVerdict> {
  const queries = new InMemoryContextQueries({ spans: shopSpans(after), logs: [], changes: [] });
  const subject = { id: 'inc-1', services: ['catalog', 'frontend'], startedAtMs: onsetMs };
  const context = await assembleContext(subject, queries, { nowMs: onsetMs + 10 * MIN, ...(entryServices ? { entryServices } : {}) });
  return severityFromImpact(impactFromContext(context), config);
}

void test('a latency regression on most entry requests is at least medium, though a slower endpoint sets the highest p95', async () => {
  // The home page 1.6x slower: its typical request is past its usual p95, still short of twice it.
  const slowed = await measured({ home: 1.6 }, ['frontend']);
  assert.equal(slowed.severity, 'medium', slowed.reason);
  assert.match(slowed.reason, /^0% of frontend requests failing \(0 of 300\); 80\.0% slower than usual \(GET \/\)$/);
  // 3x slower: beyond twice its own usual p95 (~48 ms), far under the checkout's (~500 ms).
  const slow = await measured({ home: 3 }, ['frontend']);
  assert.equal(slow.severity, 'critical', slow.reason);
  assert.match(slow.reason, /; 70\.7% slow; 80\.0% slower than usual \(GET \/\)$/);
});

void test('a slow dependency the entry requests do not show stays low; the configured entry services decide', async () => {
  const unfelt = await measured({ catalog: 8 }, ['frontend']);
  assert.equal(unfelt.severity, 'low', unfelt.reason);
  assert.equal(unfelt.reason, '0% of frontend requests failing (0 of 300)');
  const usual = await measured({}, ['frontend']);
  assert.equal(usual.severity, 'low', `the usual tail (1 in 20 beyond the p95) is nobody's incident: ${usual.reason}`);
  // Measured at catalog instead (no entry services configured: the incident's own), the same
  // slowdown would be taken for customers' and graded critical.
  assert.equal((await measured({ catalog: 8 })).severity, 'critical');
});

void test('slowed endpoints alone are medium at most, raised only by lasting; "0% failing" with nothing slow never rises', () => {
  const slowed = { ...base, entrySlowed: 9_000, slowedEndpoints: ['GET /', 'GET /product/{id}', 'POST /cart', 'GET /search'] };
  const v = severityFromImpact(slowed, config);
  assert.equal(v.severity, 'medium');
  assert.equal(
    v.reason,
    '0% of entry requests failing (0 of 10,000); 90.0% slower than usual (GET /, GET /product/{id}, POST /cart and 1 more); 0 of 5,000 users affected',
  );
  assert.equal(severityFromImpact({ ...slowed, entrySlowed: 400 }, config).severity, 'low', '4% slowed is under medium.slowRatio');
  assert.equal(severityFromImpact({ ...slowed, durationMs: 45 * MIN }, config).severity, 'high', 'a regression left in place for 45 min');
  assert.equal(severityFromImpact({ ...base, durationMs: 6 * 3_600_000, affectedUsers: 900 }, config).severity, 'low');
});

void test('slow requests do not stand in for users behind failures', () => {
  // 15% slow is medium; 10 requests failing beyond the usual 0.3% hurt at most 10 of the 300 users
  // seen behind failures (0.2% of users: medium), not 300 (6%: high) because 1,500 were slow.
  const v = severityFromImpact({ ...base, entryFailed: 40, usualFailedRatio: 0.003, entrySlow: 1_500, affectedUsers: 300 }, config);
  assert.equal(v.severity, 'medium', v.reason);
  assert.match(v.reason, /; 10 of 5,000 users hurt at the entry \(300 behind failures\)$/);
});

void test('entry requests that stopped arriving raise a quiet verdict: a collapse is high, a dip nothing, never critical alone', () => {
  const quiet = severityFromImpact(base, config);
  const isEntry = (s: string): boolean => s === 'frontend';
  const drop = (observed: number, service = 'frontend'): ReturnType<typeof signalOf> =>
    signalOf('throughput-drop', { service, route: 'GET /' }, 0, { observed, baseline: 1_000, score: 0.9 });
  const collapsed = withMissingTraffic(quiet, [drop(300)], isEntry, config);
  assert.deepEqual(collapsed, { severity: 'high', reason: `${quiet.reason}; 70.0% of the usual frontend GET / requests not arriving` });
  assert.equal(withMissingTraffic(quiet, [drop(700)], isEntry, config).severity, 'medium', '30% missing');
  assert.deepEqual(withMissingTraffic(quiet, [drop(900)], isEntry, config), quiet, 'a 10% dip is not impact');
  assert.equal(withMissingTraffic(quiet, [drop(0)], isEntry, config).severity, 'high', 'all of it gone is still not critical on absence alone');
  assert.deepEqual(withMissingTraffic(quiet, [drop(300, 'catalog')], isEntry, config), quiet, 'an internal service called less is not customers turned away');
  assert.deepEqual(withMissingTraffic(quiet, [{ ...drop(300), status: 'recovered' }], isEntry, config), quiet, 'a recovered drop sets no floor');
  const critical = severityFromImpact({ ...base, entryFailed: 1_520, affectedUsers: 600 }, config);
  assert.deepEqual(withMissingTraffic(critical, [drop(300)], isEntry, config), critical, 'never lowers a verdict');
});

void test('an entry endpoint broken for its own users is at least high, however small its share of all entry traffic', () => {
  // Payments failing for most buyers: 1% of all entry requests, medium by the shares alone.
  const shares = severityFromImpact({ ...base, entryFailed: 100, affectedUsers: 40 }, config);
  assert.equal(shares.severity, 'medium');
  const isEntry = (s: string): boolean => s === 'frontend';
  const failing = (observed: number, requests: number, service = 'frontend'): ReturnType<typeof signalOf> =>
    signalOf('error-rate', { service, route: 'POST /checkout' }, 0, {
      observed,
      baseline: 0.003,
      evidence: { requests, errors: Math.round(observed * requests) },
    });
  assert.deepEqual(withBrokenEntryRoutes(shares, [failing(0.6, 150)], isEntry, config), {
    severity: 'high',
    reason: `${shares.reason}; frontend POST /checkout failing 60.0% of its requests`,
  });
  assert.deepEqual(withBrokenEntryRoutes(shares, [failing(0.05, 400)], isEntry, config), shares, '5% failing: the shares decide');
  assert.deepEqual(withBrokenEntryRoutes(shares, [failing(0.6, 10)], isEntry, config), shares, '6 of 10 requests is not a share');
  assert.deepEqual(withBrokenEntryRoutes(shares, [failing(0.6, 150, 'payment')], isEntry, config), shares, 'an internal endpoint the entry may absorb');
  assert.deepEqual(withBrokenEntryRoutes(shares, [{ ...failing(0.6, 150), status: 'recovered' }], isEntry, config), shares, 'recovered');
  const critical = severityFromImpact({ ...base, entryFailed: 1_520, affectedUsers: 600 }, config);
  assert.deepEqual(withBrokenEntryRoutes(critical, [failing(0.6, 150)], isEntry, config), critical, 'never lowers a verdict');
});
