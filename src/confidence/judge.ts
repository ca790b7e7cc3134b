// Production confidence: "is it safe to stop watching?" as one level with a score and its reasons.
// A score starts at 100 and each concern takes points; a few concerns are blockers that make the
// level low whatever the score (a page-worthy fault is not outweighed by good coverage). Pure.
import type { ChangeFact, Confidence, ConfidenceLevel, IncidentFact, ServiceFacts } from './types.js';

const hourMs = 3_600_000;

/**
 * Points each concern costs. Blockers cost enough to reach "low" from a perfect score on their own;
 * "young" concerns (a change in the last hour, a release still watched) keep a service at medium at
 * best: nothing that changed an hour ago has proved itself yet. Gaps in coverage cost least: they
 * say Vigil might not see a problem, not that there is one.
 */
export const penalties = {
  sloBreaching: 50,
  sloWarning: 15,
  verdictFail: 55,
  verdictWatching: 20,
  verdictInconclusive: 10,
  incident: { critical: 60, high: 55, medium: 30, low: 10 },
  deployLastHour: 20,
  changeLastHour: 10,
  noTraces: 25,
  noChecks: 5,
  noSlo: 10,
} as const;

/** Score from which a level starts (blockers and young changes cap it below). */
const levelFloors: Array<[ConfidenceLevel, number]> = [
  ['high', 80],
  ['medium', 50],
];

export function judgeConfidence(facts: ServiceFacts, nowMs: number): Confidence {
  const factors: Confidence['factors'] = [];
  const good: string[] = [];
  let blocker = false;
  let young = false;
  const take = (factor: string, points: number, detail: string): void => void factors.push({ factor, points: -points, detail });

  // SLOs: breaching is a blocker, warning a concern, no SLO a coverage gap.
  if (!facts.slos.length) take('coverage', penalties.noSlo, 'no SLO: nothing says what "good" is for this service');
  for (const slo of facts.slos) {
    if (slo.status === 'breaching') {
      blocker = true;
      take('slo', penalties.sloBreaching, `SLO "${slo.name}" is breaching (${budget(slo.errorBudgetRemaining)}; ${slo.forecast})`);
    } else if (slo.status === 'warning')
      take('slo', penalties.sloWarning, `SLO "${slo.name}" is at risk (${budget(slo.errorBudgetRemaining)}; ${slo.forecast})`);
  }
  const healthy = facts.slos.filter((s) => s.status === 'ok');
  if (facts.slos.length && healthy.length === facts.slos.length)
    good.push(`${facts.slos.length === 1 ? `SLO "${healthy[0]!.name}" is` : `all ${facts.slos.length} SLOs are`} within budget`);

  // The release verdict of the latest deployment.
  const v = facts.verdict;
  if (!v) good.push('no release verdict yet');
  else if (v.status === 'fail') {
    blocker = true;
    take('release', penalties.verdictFail, `release ${v.version} failed its verdict: ${v.summary}`);
  } else if (v.status === 'watching') {
    young = true;
    take('release', penalties.verdictWatching, `release ${v.version} is still being watched: ${v.summary}`);
  } else if (v.status === 'inconclusive') take('release', penalties.verdictInconclusive, `release ${v.version} is inconclusive: ${v.summary}`);
  else good.push(`release ${v.version} passed: ${v.summary}`);

  // Open incidents: high and critical ones are blockers.
  for (const incident of [...facts.openIncidents].sort(bySeverity)) {
    if (incident.severity === 'critical' || incident.severity === 'high') blocker = true;
    take('incident', penalties.incident[incident.severity], `open ${incident.severity} incident #${incident.id} (${incident.status}): ${incident.title}`);
  }
  if (!facts.openIncidents.length) good.push('no open incident');

  // Changes in the last hour: too young to have proved themselves.
  const recent = facts.changes.filter((c) => c.timeMs <= nowMs && c.timeMs > nowMs - hourMs).sort((a, b) => b.timeMs - a.timeMs);
  const deploy = recent.find((c) => c.kind === 'deploy');
  if (deploy) {
    young = true;
    take('change', penalties.deployLastHour, `deployed${deploy.version ? ` ${deploy.version}` : ''} ${ago(deploy, nowMs)}: too recent to have proved itself`);
  }
  const other = recent.filter((c) => c.kind !== 'deploy');
  if (other.length) {
    young = true;
    take(
      'change',
      penalties.changeLastHour,
      `${other.length === 1 ? `a ${other[0]!.kind} change` : `${other.length} config/flag/infra changes`} in the last hour (latest ${ago(other[0]!, nowMs)}${other[0]!.description ? `: ${other[0]!.description}` : ''})`,
    );
  }
  if (!recent.length) good.push('no change in the last hour');

  // Coverage gaps: what Vigil could miss.
  if (!facts.coverage.traces) take('coverage', penalties.noTraces, 'no traces: Vigil cannot see its requests, errors or latency');
  if (!facts.coverage.checks) take('coverage', penalties.noChecks, 'no synthetic check: nothing tests it when traffic is quiet');

  const score = Math.max(0, Math.min(100, 100 + factors.reduce((sum, f) => sum + f.points, 0)));
  let level: ConfidenceLevel = levelFloors.find(([, floor]) => score >= floor)?.[0] ?? 'low';
  if (blocker) level = 'low';
  else if (young && level === 'high') level = 'medium';
  const concerns = [...factors].sort((a, b) => a.points - b.points).map((f) => f.detail);
  return { service: facts.service, level, score, reasons: [...concerns, ...good], factors };
}

const severityRank = { critical: 0, high: 1, medium: 2, low: 3 } as const;
const bySeverity = (a: IncidentFact, b: IncidentFact): number => severityRank[a.severity] - severityRank[b.severity];

function budget(remaining: number): string {
  return remaining <= 0 ? 'budget spent' : `${Math.round(remaining * 100)}% of the budget left`;
}

function ago(change: ChangeFact, nowMs: number): string {
  const minutes = Math.max(0, Math.round((nowMs - change.timeMs) / 60_000));
  return minutes === 0 ? 'just now' : `${minutes} min ago`;
}
