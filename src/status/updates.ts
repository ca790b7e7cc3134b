// Stakeholder updates: on each incident state change, a plain-language summary for people outside
// the on-call team — what is affected, for whom, since when, what is being done and when the next
// update comes — written from public component names and measured impact only. Pure.
import type { ImpactFacts, IncidentStatus, Severity } from '../model/index.js';
import type { StatusComponent } from './config.js';
import { componentsOf, impactOf, listOf, type StatusIncidentFact } from './page.js';

/** The incident events stakeholders hear about; signal churn and root-cause updates are for responders. */
export const stakeholderEvents = ['opened', 'reopened', 'acknowledged', 'mitigated', 'resolved', 'all-clear', 'severity-changed'] as const;
export type StakeholderEvent = (typeof stakeholderEvents)[number];

/** What stakeholders were last told an incident's state was: its status and severity. */
export interface SpokenState {
  status: IncidentStatus;
  severity: Severity;
}

/**
 * The update an incident's state calls for, given what its last update spoke for: a new status
 * (a reopening included) or, at the same status, a new severity; undefined when nothing stakeholders
 * care about changed (a signal joined, a root cause was ranked, a note was added).
 */
export function stakeholderEventFor(last: SpokenState | undefined, now: SpokenState): StakeholderEvent | undefined {
  if (last === undefined) return now.status === 'resolved' ? 'resolved' : 'opened';
  if (last.status === 'resolved' && now.status !== 'resolved') return 'reopened';
  if (last.status !== now.status) return now.status === 'triggered' ? 'opened' : now.status;
  if (last.severity !== now.severity && now.status !== 'resolved') return 'severity-changed';
  return undefined;
}

const severityRank: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export interface UpdateFacts {
  incident: StatusIncidentFact & {
    impact?: Pick<ImpactFacts, 'entryRequests' | 'entryFailed' | 'entrySlow' | 'affectedUsers' | 'usualFailedRatio'> | null;
  };
  event: StakeholderEvent;
  /** The severity the last update spoke for (severity changes say which way the impact moved). */
  previousSeverity?: Severity;
  components: readonly StatusComponent[];
  nowMs: number;
  nextUpdateMinutes: number;
}

const doing: Record<IncidentStatus, string> = {
  triggered: 'We are investigating the cause.',
  acknowledged: 'Our engineers are on it and working on a fix.',
  mitigated: 'A fix is in place and we are watching to make sure it holds.',
  resolved: 'The problem is resolved and the service is working normally.',
};

/** The summary text, or undefined when the incident touches no public component (nothing to tell). */
export function composeUpdate(f: UpdateFacts): string | undefined {
  const touched = componentsOf(f.incident.services, f.components);
  if (!touched.length) return undefined;
  const names = listOf(touched.map((c) => c.name));
  const audience = [...new Set(touched.map((c) => c.audience).filter((a): a is string => Boolean(a)))];
  const since = clock(f.incident.startedAtMs);
  const sentences: string[] = [];
  if (f.incident.status === 'resolved') {
    sentences.push(`${names} ${touched.length > 1 ? 'were' : 'was'} affected from ${since} until ${clock(f.incident.resolvedAtMs ?? f.nowMs)}.`);
    sentences.push(doing.resolved);
    return sentences.join(' ');
  }
  const impact = impactOf(f.incident);
  const state = impact === 'outage' ? 'unavailable or failing for many requests' : 'slower or failing for some requests';
  sentences.push(`${lead(f)}${names} ${touched.length > 1 ? 'are' : 'is'} ${state} since ${since}.`);
  const who = audience.length ? listOf(audience) : 'users';
  const share = failingShare(f.incident.impact);
  sentences.push(share ? `This affects ${who}: ${share}.` : `This may affect ${who}.`);
  sentences.push(doing[f.incident.status]);
  sentences.push(`Next update by ${clock(f.nowMs + f.nextUpdateMinutes * 60_000)}.`);
  return sentences.join(' ');
}

/** How the first sentence starts when it reports a turn rather than the news itself. */
function lead(f: UpdateFacts): string {
  if (f.event === 'reopened') return 'The problem is back: ';
  if (f.event !== 'severity-changed' || !f.previousSeverity) return '';
  return severityRank[f.incident.severity] > severityRank[f.previousSeverity] ? 'The impact has grown: ' : 'The impact has lessened: ';
}

/** "about 12% of requests fail", "about 340 people are affected" — rounded, public numbers only. */
function failingShare(impact: UpdateFacts['incident']['impact']): string | undefined {
  if (!impact || impact.entryRequests <= 0) return undefined;
  const failed = Math.max(0, impact.entryFailed / impact.entryRequests - (impact.usualFailedRatio ?? 0));
  const slow = impact.entrySlow / impact.entryRequests;
  const parts: string[] = [];
  if (failed >= 0.005) parts.push(`about ${percent(failed)} of requests fail`);
  if (slow >= 0.05) parts.push(`about ${percent(slow)} are slow`);
  if (impact.affectedUsers > 0)
    parts.push(`about ${impact.affectedUsers.toLocaleString('en-US')} ${impact.affectedUsers === 1 ? 'person is' : 'people are'} affected`);
  return parts.length ? parts.join(', ') : undefined;
}

const percent = (x: number): string => `${x >= 0.1 ? Math.round(x * 100) : Math.round(x * 1000) / 10}%`;

/** "14:02 UTC" (with the date when it is not the same day as the update would read ambiguously). */
function clock(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
