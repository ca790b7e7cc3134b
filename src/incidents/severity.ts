// Severity from customer impact (share of entry requests failing or slow, users affected,
// critical journeys hit, duration), or from the signals alone before impact is measured; each
// verdict comes with the one-line reason shown beside it.
//
// Slowness is judged per entry endpoint against its own usual latency (its p95 in the 30 min before
// the onset), never against the slowest endpoint's, and in two strengths:
// - slow: a successful request beyond twice its endpoint's usual p95; graded at every level by
//   `slowRatio` (default 5% medium, 20% high, 50% critical), as failures are by `failedRatio`;
// - slowed: the requests of an endpoint whose typical request now exceeds its usual p95 (half or
//   more of them beyond it, where 1 in 20 was before): everyone there waits longer, though each
//   still gets an answer. At least `medium.slowRatio` of entry requests slowed is medium, never
//   more on its own; lasting `longDurationMs` raises it to high like any other felt impact.
// An entry endpoint failing for 10% or more of its own requests beyond the usual is at least high
// (`withBrokenEntryRoutes`), however small its share of all entry traffic.
// Entry requests that stopped arriving (a firing throughput drop at an entry) count one level below
// the same share slow, high at most (`withMissingTraffic`).
// Nothing failing beyond the usual share and nothing slow or slowed stays low however long it lasts
// ("0.0% failing" is never high); a slow dependency the entry requests do not show is low.
import type { Severity, Signal } from '../model/index.js';
import type { IncidentConfig } from './config.js';
import { count, duration, percent } from './format.js';
import type { ImpactFacts } from './types.js';

export interface SeverityVerdict {
  severity: Severity;
  reason: string;
}

const order: Severity[] = ['low', 'medium', 'high', 'critical'];
export const severityRank = (s: Severity): number => order.indexOf(s);
const raise = (s: Severity): Severity => order[Math.min(order.length - 1, severityRank(s) + 1)] ?? s;
const maxSeverity = (a: Severity, b: Severity): Severity => (severityRank(a) >= severityRank(b) ? a : b);

type Level = IncidentConfig['severity']['high'];

/** What the entry requests show beyond the usual: the failing share above the usual one, and who felt it. */
interface Felt {
  failed: number;
  slow: number;
  slowed: number;
  users: number;
  usersShare: number;
}

function felt(impact: ImpactFacts): Felt {
  const requests = impact.entryRequests;
  if (requests <= 0) {
    const usersShare = impact.totalUsers > 0 ? impact.affectedUsers / impact.totalUsers : 0;
    return { failed: 0, slow: 0, slowed: 0, users: impact.affectedUsers, usersShare };
  }
  const failed = Math.max(0, impact.entryFailed / requests - (impact.usualFailedRatio ?? 0));
  const slow = impact.entrySlow / requests;
  const slowed = (impact.entrySlowed ?? 0) / requests;
  // Users are counted behind failures, and only as many as the entry requests that failed beyond
  // the usual share: users behind an internal failure the entry absorbed (a retry, a fallback) felt
  // nothing, and slow requests are graded by their own share, not again as users behind failures.
  const users = Math.min(impact.affectedUsers, Math.round(failed * requests));
  return { failed, slow, slowed, users, usersShare: impact.totalUsers > 0 ? users / impact.totalUsers : 0 };
}

function meetsRequests(level: Level, f: Felt): boolean {
  return f.failed >= level.failedRatio || f.slow >= level.slowRatio;
}

function meetsUsers(level: Level, f: Felt): boolean {
  return (f.users > 0 && f.usersShare >= level.usersRatio) || f.users >= level.users;
}

function grade(meets: (level: Level) => boolean, levels: IncidentConfig['severity']): Severity {
  return meets(levels.critical) ? 'critical' : meets(levels.high) ? 'high' : meets(levels.medium) ? 'medium' : 'low';
}

export function severityFromImpact(impact: ImpactFacts, config: IncidentConfig): SeverityVerdict {
  const levels = config.severity;
  const f = felt(impact);
  let severity = maxSeverity(
    grade((l) => meetsRequests(l, f), levels),
    grade((l) => meetsUsers(l, f), levels),
  );
  if (f.slowed >= levels.medium.slowRatio) severity = maxSeverity(severity, 'medium');
  const critical = new Set(config.criticalJourneys.map((j) => j.name));
  const journeys = impact.journeysHit.filter((j) => critical.size === 0 || critical.has(j));
  // A broken critical journey is at least high, and one level worse when requests fail too.
  if (journeys.length > 0) severity = severityRank(severity) >= severityRank('high') ? 'critical' : 'high';
  let long = false;
  // Only an impact someone feels grows with time; nothing failing stays low however long it lasts.
  if (impact.durationMs >= config.longDurationMs && severity !== 'low' && severityRank(severity) < severityRank('high')) {
    severity = raise(severity);
    long = true;
  }
  return { severity, reason: impactReason(impact, journeys, long, f) };
}

function impactReason(impact: ImpactFacts, journeys: string[], long: boolean, f: Felt): string {
  const parts: string[] = [];
  const of = impact.entryServices?.length ? `${impact.entryServices.join(', ')} requests` : 'entry requests';
  if (impact.entryRequests > 0) {
    const usual = impact.usualFailedRatio ? `, ${percent(impact.usualFailedRatio)} usual` : '';
    parts.push(
      `${percent(impact.entryFailed / impact.entryRequests)} of ${of} failing (${count(impact.entryFailed)} of ${count(impact.entryRequests)}${usual})`,
    );
    if (impact.entrySlow > 0) parts.push(`${percent(impact.entrySlow / impact.entryRequests)} slow`);
    if (f.slowed > 0) parts.push(`${percent(f.slowed)} slower than usual (${listed(impact.slowedEndpoints ?? [])})`);
  } else parts.push(`no ${of} measured`);
  const users =
    f.users < impact.affectedUsers
      ? `${count(f.users)} users hurt at the entry (${count(impact.affectedUsers)} behind failures)`
      : `${count(impact.affectedUsers)} users affected`;
  if (impact.totalUsers > 0) parts.push(`${users.replace(/ users/, ` of ${count(impact.totalUsers)} users`)}`);
  else if (impact.affectedUsers > 0) parts.push(users);
  for (const j of journeys) parts.push(`journey '${j}' hit`);
  if (long) parts.push(`ongoing for ${duration(impact.durationMs)}`);
  return parts.join('; ');
}

/** "GET /, GET /cart and 2 more": the busiest few named, the rest counted. */
function listed(names: readonly string[], shown = 3): string {
  const more = names.length - shown;
  return more > 0 ? `${names.slice(0, shown).join(', ')} and ${more} more` : names.join(', ');
}

/** Signals customers can see directly when they happen at an entry service. */
const visibleKinds = new Set<string>(['error-rate', 'latency', 'throughput-drop', 'slo-burn', 'synthetic-failure', 'synthetic-latency', 'silence']);

/**
 * The least severity a synthetic check of a critical journey sets, whatever the traffic shows (checks
 * run where customers have not arrived yet, e.g. right after a deploy): broken is at least high,
 * slower than usual at least medium (a journey that still works but drags).
 */
const criticalCheckFloors: Partial<Record<Signal['kind'], { severity: Severity; what: string }>> = {
  'synthetic-failure': { severity: 'high', what: 'failing' },
  'synthetic-latency': { severity: 'medium', what: 'slower than usual' },
};

/** A check of a critical journey: named in incidents.criticalJourneys, or marked `critical: true` by its owners. */
function isCriticalCheck(signal: Signal, journeys: ReadonlySet<string>): boolean {
  return journeys.has(signal.subject.route ?? '') || journeys.has(signal.subject.service) || signal.evidence.critical === 'yes';
}

function criticalCheckFloor(signal: Signal, journeys: ReadonlySet<string>): { severity: Severity; what: string } | undefined {
  const floor = criticalCheckFloors[signal.kind];
  return floor && isCriticalCheck(signal, journeys) ? floor : undefined;
}

/**
 * Raises an impact verdict to the floor the firing critical-journey checks set, naming the check in
 * the reason ("critical check 'checkout' failing"). A verdict already at or above the floor is kept.
 */
export function withCriticalChecks(verdict: SeverityVerdict, signals: readonly Signal[], config: IncidentConfig): SeverityVerdict {
  const journeys = new Set(config.criticalJourneys.map((j) => j.name));
  let worst: { severity: Severity; what: string; signal: Signal } | undefined;
  for (const signal of signals) {
    if (signal.status !== 'firing') continue;
    const floor = criticalCheckFloor(signal, journeys);
    if (floor && (!worst || severityRank(floor.severity) > severityRank(worst.severity))) worst = { ...floor, signal };
  }
  if (!worst || severityRank(verdict.severity) >= severityRank(worst.severity)) return verdict;
  return {
    severity: worst.severity,
    reason: `${verdict.reason}; critical check '${worst.signal.subject.route ?? worst.signal.subject.service}' ${worst.what}`,
  };
}

/**
 * Requests that stopped arriving at an entry service are customers who could not reach it (a DNS,
 * CDN or load-balancer fault upstream shows no failure or delay here, only absence). A drop can also
 * be fewer visitors, so the missing share counts one level below the same share slow and never sets
 * critical alone: at least `high.slowRatio` of the expected entry requests missing is medium, at
 * least `critical.slowRatio` high. Only firing throughput drops at entry services count.
 */
export function withMissingTraffic(
  verdict: SeverityVerdict,
  signals: readonly Signal[],
  isEntry: (service: string) => boolean,
  config: IncidentConfig,
): SeverityVerdict {
  let worst: { share: number; signal: Signal } | undefined;
  for (const signal of signals) {
    if (signal.status !== 'firing' || signal.kind !== 'throughput-drop' || !isEntry(signal.subject.service)) continue;
    if (!(signal.baseline > 0) || !Number.isFinite(signal.observed)) continue;
    const share = Math.max(0, 1 - signal.observed / signal.baseline);
    if (!worst || share > worst.share) worst = { share, signal };
  }
  if (!worst) return verdict;
  const levels = config.severity;
  const floor: Severity = worst.share >= levels.critical.slowRatio ? 'high' : worst.share >= levels.high.slowRatio ? 'medium' : 'low';
  if (severityRank(verdict.severity) >= severityRank(floor)) return verdict;
  const route = worst.signal.subject.route ? ` ${worst.signal.subject.route}` : '';
  return { severity: floor, reason: `${verdict.reason}; ${percent(worst.share)} of the usual ${worst.signal.subject.service}${route} requests not arriving` };
}

/** Requests an endpoint's failing window must hold before its share is read as broken (5 of 6 is not a share). */
const BROKEN_ROUTE_MIN_REQUESTS = 20;

/**
 * An entry endpoint failing well beyond its usual share is broken for everyone who uses it, however
 * small its part of all entry traffic: payments failing for every buyer are 1% of a shop's requests
 * and its worst outage. A firing entry error signal of at least 20 requests whose excess reaches
 * `critical.failedRatio` (10%) sets the floor at high, one level below what the same share of all
 * entry requests would be.
 */
export function withBrokenEntryRoutes(
  verdict: SeverityVerdict,
  signals: readonly Signal[],
  isEntry: (service: string) => boolean,
  config: IncidentConfig,
): SeverityVerdict {
  if (severityRank(verdict.severity) >= severityRank('high')) return verdict;
  let worst: { excess: number; signal: Signal } | undefined;
  for (const signal of signals) {
    if (signal.status !== 'firing' || signal.kind !== 'error-rate' || signal.unit !== 'ratio' || !isEntry(signal.subject.service)) continue;
    if (!(Number(signal.evidence.requests) >= BROKEN_ROUTE_MIN_REQUESTS)) continue;
    const excess = signal.observed - (Number.isFinite(signal.baseline) ? signal.baseline : 0);
    if (excess >= config.severity.critical.failedRatio && (!worst || excess > worst.excess)) worst = { excess, signal };
  }
  if (!worst) return verdict;
  const { service, route } = worst.signal.subject;
  return { severity: 'high', reason: `${verdict.reason}; ${service}${route ? ` ${route}` : ''} failing ${percent(worst.signal.observed)} of its requests` };
}

export interface SignalSeverityInput {
  signals: readonly Signal[];
  isEntry: (service: string) => boolean;
  config: IncidentConfig;
}

/** Before impact is measured: the worst firing signal decides, weighted by where it is. */
export function severityFromSignals({ signals, isEntry, config }: SignalSeverityInput): SeverityVerdict {
  let best: { severity: Severity; signal: Signal; entry: boolean } | undefined;
  const journeys = new Set(config.criticalJourneys.map((j) => j.name));
  for (const signal of signals) {
    if (signal.status !== 'firing') continue;
    const entry = isEntry(signal.subject.service);
    const severity = signalSeverity(signal, entry, journeys, config);
    if (!best || severityRank(severity) > severityRank(best.severity) || (severity === best.severity && signal.score > best.signal.score)) {
      best = { severity, signal, entry };
    }
  }
  if (!best) return { severity: 'low', reason: 'no firing signal' };
  const where = best.entry ? `entry service ${best.signal.subject.service}` : best.signal.subject.service;
  const route = best.signal.subject.route ? ` ${best.signal.subject.route}` : '';
  const observed = best.signal.unit === 'ratio' ? ` at ${percent(best.signal.observed)}` : '';
  return {
    severity: best.severity,
    reason: `from signals, impact not measured yet: ${best.signal.kind} on ${where}${route}${observed} (score ${best.signal.score.toFixed(2)})`,
  };
}

function signalSeverity(signal: Signal, entry: boolean, journeys: Set<string>, config: IncidentConfig): Severity {
  const visible = visibleKinds.has(signal.kind);
  let severity: Severity = 'low';
  if (entry && visible) severity = signal.score >= 0.8 ? 'high' : 'medium';
  else if (visible || signal.kind === 'saturation') severity = signal.score >= 0.8 ? 'medium' : 'low';
  if (entry && (signal.kind === 'error-rate' || (signal.kind === 'change-point' && signal.subject.metric === 'error_rate')) && signal.unit === 'ratio') {
    // Errors at the entry are graded by how far they exceed the usual, like measured impact.
    const excess = signal.observed - (Number.isFinite(signal.baseline) ? signal.baseline : 0);
    const levels = config.severity;
    severity =
      excess >= levels.critical.failedRatio ? 'critical' : excess >= levels.high.failedRatio ? 'high' : excess >= levels.medium.failedRatio ? 'medium' : 'low';
  }
  // A broken critical journey is at least high, a slow one at least medium.
  const floor = criticalCheckFloor(signal, journeys);
  if (floor) severity = maxSeverity(severity, floor.severity);
  return severity;
}
