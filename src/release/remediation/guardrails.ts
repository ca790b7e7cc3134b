// When a remediation may run without a human: only on a failed release, at most one automatic
// action per deploy, only within the configured hours. Pure: the history and the time come in.
import type { RemediationAction, RemediationConfig } from './config.js';

/** An action suggested for an incident, beside the root cause it answers; `id` runs it on approval. */
export type RemediationSuggestion = {
  id: string;
  name: string;
  service: string;
  kind: 'rollback' | 'scale' | 'restart' | 'flag';
  auto: boolean;
  besideRootCause?: { service: string; kind: string; score: number };
  run: { method: 'POST'; path: string };
};

export interface RemediationRun {
  id: string;
  action: string;
  kind: RemediationAction['kind'];
  service: string;
  deploymentId?: string;
  incidentId?: string;
  trigger: 'automatic' | 'approval';
  actor: string;
  startedAtMs: number;
  attempts: number;
  outcome: 'running' | 'succeeded' | 'failed';
  /** The receiver's last HTTP status, or the transport error. */
  lastResult: string;
  verification?: 'recovered' | 'not-recovered';
}

/** Actions configured for a service (the suggestions beside a root cause that blames it). */
export function actionsFor(config: RemediationConfig, service: string): RemediationAction[] {
  return config.actions.filter((a) => a.service === service);
}

const minuteOfDay = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `atMs` (UTC) falls within `from`–`to`; a span across midnight (22:00–06:00) works too. */
export function withinHours(hours: RemediationConfig['autoHours'], atMs: number): boolean {
  if (!hours) return true;
  const day = 86_400_000;
  const minute = Math.floor((((atMs % day) + day) % day) / 60_000);
  const from = minuteOfDay(hours.from);
  const to = minuteOfDay(hours.to);
  return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
}

export type AutomaticDecision = { run: RemediationAction } | { skip: string };

/** The automatic action for a failed deploy, or why none runs. */
export function automaticAction(
  config: RemediationConfig,
  service: string,
  deploymentId: string,
  history: readonly RemediationRun[],
  atMs: number,
): AutomaticDecision {
  const auto = actionsFor(config, service).filter((a) => a.auto);
  if (!auto.length) return { skip: `no automatic action is configured for ${service}` };
  if (history.some((r) => r.deploymentId === deploymentId && r.trigger === 'automatic'))
    return { skip: `an automatic action already ran for deploy ${deploymentId}` };
  if (!withinHours(config.autoHours, atMs))
    return { skip: `outside the hours automatic actions may run (${config.autoHours?.from}–${config.autoHours?.to} UTC)` };
  // Rollback first: it undoes the change the verdict blames; the rest treat symptoms.
  const order = ['rollback', 'flag', 'restart', 'scale'];
  return { run: [...auto].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))[0]! };
}
