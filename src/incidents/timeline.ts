// Timeline entries written as things happen, in words a post-incident review can quote as is.
import type { ChangeEvent, RootCause, Severity, Signal, TimelineEntry } from '../model/index.js';

export function changeEntry(change: ChangeEvent): TimelineEntry {
  const desc = change.description ? `: ${change.description}` : '';
  let text: string;
  if (change.kind === 'deploy') {
    const from = change.previousVersion ? ` (from ${change.previousVersion})` : '';
    text = `Deploy of ${change.service}${change.version ? ` ${change.version}` : ''}${from}${desc}`;
  } else text = `${change.kind === 'flag' ? 'Feature flag' : change.kind === 'infra' ? 'Infrastructure' : 'Config'} change on ${change.service}${desc}`;
  return {
    atMs: change.timeMs,
    kind: 'change',
    text,
    data: { changeId: change.id, service: change.service, changeKind: change.kind, version: change.version, source: change.source },
  };
}

export function signalEntry(signal: Signal, atMs: number, reason?: string): TimelineEntry {
  // A signal that names the trace it saw (a synthetic check's run) links it, so the entry leads to
  // the backend spans that request caused.
  const traceId = typeof signal.evidence.traceId === 'string' && signal.evidence.traceId ? signal.evidence.traceId : undefined;
  return {
    atMs,
    kind: 'signal',
    text: `${signal.summary}${reason ? ` (joined: ${reason})` : ''}`,
    data: {
      signalId: signal.id,
      signalKind: signal.kind,
      service: signal.subject.service,
      startedAtMs: signal.startedAtMs,
      score: signal.score,
      ...(traceId ? { traceId } : {}),
    },
  };
}

export function recoveredEntry(signal: Signal, atMs: number, firing: number): TimelineEntry {
  const rest = firing === 0 ? 'all signals recovered' : `${firing} still firing`;
  return {
    atMs,
    kind: 'signal-recovered',
    text: `Recovered: ${signal.kind} on ${signal.subject.service}${signal.subject.route ? ` ${signal.subject.route}` : ''} (${rest})`,
    data: { signalId: signal.id, signalKind: signal.kind, service: signal.subject.service },
  };
}

export function stateEntry(atMs: number, text: string, actor?: string, data?: Record<string, unknown>): TimelineEntry {
  return { atMs, kind: 'state', text, ...(actor ? { actor } : {}), ...(data ? { data } : {}) };
}

export function severityEntry(atMs: number, from: Severity, to: Severity, reason: string): TimelineEntry {
  return { atMs, kind: 'severity', text: `Severity ${from} → ${to}: ${reason}`, data: { from, to, reason } };
}

export function rootCauseEntry(atMs: number, top: RootCause): TimelineEntry {
  return {
    atMs,
    kind: 'root-cause',
    text: `Suspected root cause: ${top.kind} of ${top.service} (score ${top.score.toFixed(2)}): ${top.explanation}`,
    data: { service: top.service, rootCauseKind: top.kind, score: top.score },
  };
}
