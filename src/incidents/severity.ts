// Severity from customer impact (share of entry requests failing or slow, users affected,
// critical journeys hit, duration), or from the signals alone before impact is measured; each
// verdict comes with the one-line reason shown beside it.
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

function meets(level: Level, impact: ImpactFacts): boolean {
  const requests = impact.entryRequests;
  const failed = requests > 0 ? impact.entryFailed / requests : 0;
  const slow = requests > 0 ? impact.entrySlow / requests : 0;
  const users = impact.totalUsers > 0 ? impact.affectedUsers / impact.totalUsers : 0;
  return (
    failed >= level.failedRatio ||
    slow >= level.slowRatio ||
    (impact.affectedUsers > 0 && users >= level.usersRatio) ||
    impact.affectedUsers >= level.users
  );
}

export function severityFromImpact(impact: ImpactFacts, config: IncidentConfig): SeverityVerdict {
  const levels = config.severity;
  let severity: Severity = meets(levels.critical, impact) ? 'critical' : meets(levels.high, impact) ? 'high' : meets(levels.medium, impact) ? 'medium' : 'low';
  const critical = new Set(config.criticalJourneys.map((j) => j.name));
  const journeys = impact.journeysHit.filter((j) => critical.size === 0 || critical.has(j));
  // A broken critical journey is at least high, and one level worse when requests fail too.
  if (journeys.length > 0) severity = severityRank(severity) >= severityRank('high') ? 'critical' : 'high';
  let long = false;
  if (impact.durationMs >= config.longDurationMs && severityRank(severity) < severityRank('high')) {
    severity = raise(severity);
    long = true;
  }
  return { severity, reason: impactReason(impact, journeys, long) };
}

function impactReason(impact: ImpactFacts, journeys: string[], long: boolean): string {
  const parts: string[] = [];
  const of = impact.entryServices?.length ? `${impact.entryServices.join(', ')} requests` : 'entry requests';
  if (impact.entryRequests > 0) {
    parts.push(`${percent(impact.entryFailed / impact.entryRequests)} of ${of} failing (${count(impact.entryFailed)} of ${count(impact.entryRequests)})`);
    if (impact.entrySlow > 0) parts.push(`${percent(impact.entrySlow / impact.entryRequests)} slow`);
  } else parts.push(`no ${of} measured`);
  if (impact.totalUsers > 0) parts.push(`${count(impact.affectedUsers)} of ${count(impact.totalUsers)} users affected`);
  else if (impact.affectedUsers > 0) parts.push(`${count(impact.affectedUsers)} users affected`);
  for (const j of journeys) parts.push(`journey '${j}' hit`);
  if (long) parts.push(`ongoing for ${duration(impact.durationMs)}`);
  return parts.join('; ');
}

/** Signals customers can see directly when they happen at an entry service. */
const visibleKinds = new Set<string>(['error-rate', 'latency', 'throughput-drop', 'slo-burn', 'synthetic-failure', 'silence']);

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
  if (entry && signal.kind === 'error-rate' && signal.unit === 'ratio') {
    if (signal.observed >= config.severity.critical.failedRatio) severity = 'critical';
    else if (signal.observed >= config.severity.high.failedRatio) severity = maxSeverity(severity, 'high');
  }
  const journey = signal.subject.route ?? '';
  if (signal.kind === 'synthetic-failure' && (journeys.has(journey) || journeys.has(signal.subject.service))) severity = maxSeverity(severity, 'high');
  return severity;
}
