// How incidents look in API responses: the stored IncidentRecord (model types, epoch ms) shaped
// into the JSON the API has always answered with — ISO-8601 times, signals and changes trimmed to
// what a responder reads, absent values as null. The only place that shapes an incident for HTTP.
import type { IncidentRecord, TimelineEntry } from '../model/index.js';
import type { SilenceMarks } from '../silences/index.js';
import type { IncidentSummaryView, IncidentView, TimelineEntryView } from './schemas/incidents.js';
import { iso } from './views.js';

/**
 * The fields of an incident list item, in order (absent times are left out). With `silence` (the
 * routes always pass it) it says whether silences suppress its notifications, and which.
 */
export function incidentSummaryView(r: IncidentRecord, silence?: SilenceMarks): IncidentSummaryView {
  const top = r.rootCauses[0];
  return {
    ...summaryFields(r, silence),
    ...(top ? { topRootCause: { service: top.service, kind: top.kind, score: top.score } } : {}),
  };
}

/** One incident: the summary fields, then everything a responder needs, then its timeline. */
export function incidentView(
  r: IncidentRecord,
  timeline: readonly TimelineEntry[],
  remediation?: IncidentView['remediation'],
  silence?: SilenceMarks,
): IncidentView {
  return {
    ...summaryFields(r, silence),
    rootCauses: r.rootCauses,
    // Suggested actions sit beside the root cause they answer (release validation's remediation).
    ...(remediation ? { remediation } : {}),
    impact: r.impact ?? null,
    context: r.context ?? null,
    changes: r.changes.map((c) => ({
      id: c.id,
      service: c.service,
      kind: c.kind,
      time: iso(c.timeMs),
      version: c.version || null,
      description: c.description,
    })),
    signals: r.signals.map((s) => ({
      id: s.id,
      kind: s.kind,
      status: s.status,
      subject: s.subject,
      startedAt: iso(s.startedAtMs),
      detectedAt: iso(s.detectedAtMs),
      ...(s.endedAtMs ? { endedAt: iso(s.endedAtMs) } : {}),
      summary: s.summary,
      observed: s.observed,
      baseline: s.baseline,
      unit: s.unit,
      score: s.score,
      ...(silence ? silencedFields(silence.bySignal.get(s.id) ?? []) : {}),
    })),
    similarIncidents: r.similarIncidents,
    runbook: r.runbook ?? null,
    signature: r.signature,
    ...(r.resolution ? { resolution: { text: r.resolution.text, actor: r.resolution.actor, at: iso(r.resolution.atMs) } } : {}),
    timeline: timeline.map(timelineEntryView),
  };
}

export function timelineEntryView(e: TimelineEntry): TimelineEntryView {
  return { at: iso(e.atMs), kind: e.kind, text: e.text, ...(e.actor ? { actor: e.actor } : {}), ...(e.data ? { data: e.data } : {}) };
}

/** `silenced` always, `silencedBy` only when it is. */
function silencedFields(by: string[]): { silenced: boolean; silencedBy?: string[] } {
  return by.length ? { silenced: true, silencedBy: by } : { silenced: false };
}

function summaryFields(r: IncidentRecord, silence?: SilenceMarks): Omit<IncidentSummaryView, 'topRootCause'> {
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    severity: r.severity,
    severityReason: r.severityReason,
    services: r.services,
    startedAt: iso(r.startedAtMs),
    detectedAt: iso(r.detectedAtMs),
    ...(r.acknowledgedAtMs !== undefined ? { acknowledgedAt: iso(r.acknowledgedAtMs) } : {}),
    ...(r.mitigatedAtMs !== undefined ? { mitigatedAt: iso(r.mitigatedAtMs) } : {}),
    ...(r.resolvedAtMs !== undefined ? { resolvedAt: iso(r.resolvedAtMs) } : {}),
    ...(silence ? silencedFields(silence.coveredBy) : {}),
  };
}
