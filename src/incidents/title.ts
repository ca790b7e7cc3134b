// Incident titles a developer reads in one glance: what (kind), where (service, route) and what
// changed ("Errors in payment-service POST /pay after v2.3 deploy (+2 services)"), the change
// being the one the root-cause ranking blames.
import type { ChangeEvent, RootCause, Signal, SignalKind } from '../model/index.js';

const what: Record<SignalKind, string> = {
  'error-rate': 'Errors',
  latency: 'Slow responses',
  'throughput-drop': 'Traffic drop',
  'throughput-surge': 'Traffic surge',
  'change-point': 'Behaviour shift',
  saturation: 'Saturation',
  'saturation-forecast': 'Saturation ahead',
  'new-log-pattern': 'New log pattern',
  'log-pattern-spike': 'Log spike',
  'new-exception': 'New exception',
  silence: 'Telemetry silence',
  'metric-anomaly': 'Metric anomaly',
  'slo-burn': 'SLO burn',
  'synthetic-failure': 'Synthetic check failing',
  'synthetic-latency': 'Synthetic check slower',
  'slo-ticket': 'SLO budget draining',
  'user-rule': 'Alert rule',
};

/** Symptoms users feel name the incident before causes and hints do. */
const symptomRank: Partial<Record<SignalKind, number>> = {
  'error-rate': 0,
  'slo-burn': 1,
  'synthetic-failure': 1,
  latency: 2,
  'throughput-drop': 3,
  'new-exception': 4,
  saturation: 5,
};

/** The signal that names the incident: the most telling symptom, earliest onset first. */
export function primarySignal(signals: readonly Signal[]): Signal | undefined {
  let best: Signal | undefined;
  for (const s of signals) {
    if (!best) {
      best = s;
      continue;
    }
    const a = symptomRank[s.kind] ?? 9;
    const b = symptomRank[best.kind] ?? 9;
    if (a < b || (a === b && s.startedAtMs < best.startedAtMs)) best = s;
  }
  return best;
}

export function changePhrase(change: ChangeEvent, subjectService: string): string {
  const on = change.service === subjectService ? '' : `${change.service} `;
  if (change.kind === 'deploy') return change.version ? `${on}${change.version} deploy` : `${on}deploy`;
  if (change.kind === 'flag') return `${on}flag change`;
  return `${on}${change.kind} change`;
}

/** Root-cause kinds that are a change: only these put a change in the title. */
const changeCauses = new Set<RootCause['kind']>(['bad-deploy', 'config-change']);

/**
 * The change the title names: with a ranking, the latest change of the top cause's service when
 * that cause is a change (never a deploy the ranking does not blame, however close in time);
 * before any ranking, only a change of the symptom's own service.
 */
function namedChange(
  primary: Signal,
  changes: readonly ChangeEvent[],
  topCause: Pick<RootCause, 'service' | 'kind' | 'changeId'> | undefined,
): ChangeEvent | undefined {
  const before = changes.filter((c) => c.timeMs <= primary.startedAtMs).sort((a, b) => b.timeMs - a.timeMs);
  if (!topCause) return before.find((c) => c.service === primary.subject.service);
  if (!changeCauses.has(topCause.kind)) return undefined;
  // The ranking says which change it blames: name that one, whenever the symptoms say they began.
  const blamed = topCause.changeId ? changes.find((c) => c.id === topCause.changeId) : undefined;
  if (blamed) return blamed;
  const wanted = topCause.kind === 'bad-deploy' ? 'deploy' : 'config';
  const own = changes.filter((c) => c.service === topCause.service).sort((a, b) => b.timeMs - a.timeMs);
  return own.find((c) => c.kind === wanted && c.timeMs <= primary.startedAtMs) ?? own.find((c) => c.timeMs <= primary.startedAtMs) ?? own[0];
}

export function incidentTitle(
  signals: readonly Signal[],
  changes: readonly ChangeEvent[],
  services: readonly string[],
  topCause?: Pick<RootCause, 'service' | 'kind' | 'changeId'>,
): string {
  const primary = primarySignal(signals);
  if (!primary) return 'Incident';
  const subject = primary.subject;
  // An exception is named by its type, not by its fingerprint hash.
  const exceptionType = typeof primary.evidence.type === 'string' && primary.evidence.type ? primary.evidence.type : undefined;
  const detail = subject.route ?? (subject.peer ? `→ ${subject.peer}` : undefined) ?? subject.metric ?? subject.pattern ?? exceptionType ?? subject.fingerprint;
  let title = `${what[primary.kind]} in ${subject.service}${detail ? ` ${detail}` : ''}`;
  const change = namedChange(primary, changes, topCause);
  if (change) title += ` after ${changePhrase(change, subject.service)}`;
  const others = services.filter((s) => s !== subject.service).length;
  if (others > 0) title += ` (+${others} service${others === 1 ? '' : 's'})`;
  return title.length > 160 ? `${title.slice(0, 159)}…` : title;
}
