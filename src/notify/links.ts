// Deep links from a notification into the Vigil UI with the right filters and time window, so
// the reader lands on the incident, its logs and its example traces in one click.
import type { IncidentSummary } from '../model/index.js';

export interface IncidentLinks {
  incident?: string;
  logs?: string;
  traces: Array<{ traceId: string; label: string; url: string }>;
  runbook?: string;
}

/** What links are built from (message.ts's ContextHighlights has it): example traces and the runbook. */
export interface LinkedContext {
  exampleTraces: ReadonlyArray<{ traceId: string; label: string }>;
  runbookUrl?: string;
}

/** Logs are shown from a little before the onset, where the first symptoms usually are. */
const leadInMs = 5 * 60_000;

export function buildIncidentLinks(baseUrl: string | undefined, incident: IncidentSummary, atMs: number, context: LinkedContext): IncidentLinks {
  const runbook = context.runbookUrl ? { runbook: context.runbookUrl } : {};
  if (!baseUrl) return { traces: [], ...runbook };
  const base = baseUrl.replace(/\/+$/, '');
  const toMs = Math.max(incident.resolvedAtMs ?? atMs, incident.startedAtMs);
  const logQuery = new URLSearchParams({
    service: incident.services.join(','),
    from: new Date(incident.startedAtMs - leadInMs).toISOString(),
    to: new Date(toMs).toISOString(),
  });
  return {
    incident: `${base}/incidents/${encodeURIComponent(incident.id)}`,
    logs: `${base}/logs?${logQuery.toString()}`,
    traces: context.exampleTraces.map((t) => ({ ...t, url: `${base}/traces/${encodeURIComponent(t.traceId)}` })),
    ...runbook,
  };
}
