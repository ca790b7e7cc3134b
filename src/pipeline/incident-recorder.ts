// Makes incident decisions durable: the typed record of every incident an update touched (latest
// revision wins) and the new entries of its append-only timeline.
import type { Incident, IncidentUpdate } from '../incidents/index.js';
import type { IncidentContext, IncidentRecord, SimilarIncident } from '../model/index.js';
import { incidentSignature } from '../rca/index.js';
import { appendTimeline, saveIncidentRecords, type StoreClient } from '../store/index.js';

/** What the pipeline knows of an incident beyond the engine's copy. */
export interface IncidentEnrichment {
  /** The context assembled last (fresher than the copy an earlier update carried). */
  contextOf(id: string): IncidentContext | undefined;
  similarTo(id: string): SimilarIncident[];
}

export class IncidentRecorder {
  // Revisions only grow, also across restarts: microseconds of the start time, then one per write.
  private revision = Date.now() * 1000;

  constructor(private readonly store: StoreClient) {}

  /** Stores the latest state of every incident touched and appends the new timeline entries; returns the records stored. */
  async record(updates: readonly IncidentUpdate[], enrichment: IncidentEnrichment): Promise<IncidentRecord[]> {
    const latest = new Map<string, Incident>();
    for (const u of updates) latest.set(u.incident.id, u.incident);
    const records = [...latest.values()].map((incident) =>
      incidentRecord(incident, enrichment.contextOf(incident.id) ?? incident.context, enrichment.similarTo(incident.id)),
    );
    await saveIncidentRecords(
      this.store,
      records.map((record) => ({ record, revision: ++this.revision })),
    );
    for (const u of updates) {
      const firstSeq = u.incident.timeline.length - u.newTimeline.length;
      await appendTimeline(this.store, u.incident.id, firstSeq, u.newTimeline);
    }
    return records;
  }
}

/** The durable record of an engine incident: its summary and what the pipeline added to it. */
export function incidentRecord(incident: Incident, context: IncidentContext | undefined, similarIncidents: SimilarIncident[]): IncidentRecord {
  return {
    id: incident.id,
    title: incident.title,
    status: incident.status,
    severity: incident.severity,
    severityReason: incident.severityReason,
    services: incident.services,
    startedAtMs: incident.startedAtMs,
    detectedAtMs: incident.detectedAtMs,
    ...(incident.acknowledgedAtMs !== undefined ? { acknowledgedAtMs: incident.acknowledgedAtMs } : {}),
    ...(incident.mitigatedAtMs !== undefined ? { mitigatedAtMs: incident.mitigatedAtMs } : {}),
    ...(incident.resolvedAtMs !== undefined ? { resolvedAtMs: incident.resolvedAtMs } : {}),
    rootCauses: incident.rootCauses,
    ...(incident.impact ? { impact: incident.impact } : {}),
    ...(context ? { context } : {}),
    changes: incident.changes,
    signals: incident.signals,
    similarIncidents,
    ...(incident.runbook !== undefined ? { runbook: incident.runbook } : {}),
    signature: incidentSignature(incident),
    ...(incident.resolution ? { resolution: incident.resolution } : {}),
  };
}
