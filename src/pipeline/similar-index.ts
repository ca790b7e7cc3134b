// The similar-incident index: resolved incidents (from the store at start, then as they resolve)
// with what fixed them, and the similar past incidents found for each open one.
import type { Incident } from '../incidents/index.js';
import type { IncidentRecord, SimilarIncident } from '../model/index.js';
import { findSimilarIncidents, incidentSignature, type PastIncident } from '../rca/index.js';
import { listIncidentRecords, type StoreClient } from '../store/index.js';

/** How many stored incidents the index starts from. */
const loadLimit = 1000;

export class SimilarIncidentIndex {
  private readonly similar = new Map<string, SimilarIncident[]>();

  private constructor(private readonly past: PastIncident[]) {}

  static async load(store: StoreClient): Promise<SimilarIncidentIndex> {
    const records = await listIncidentRecords(store, { openOnly: false, limit: loadLimit });
    return new SimilarIncidentIndex(records.filter((r) => r.status === 'resolved').map(pastIncidentOf));
  }

  /** Finds (and remembers) the past incidents most like this one, itself excluded. */
  find(incident: Incident, k = 3): SimilarIncident[] {
    const found = findSimilarIncidents(
      incidentSignature(incident),
      this.past.filter((p) => p.incidentId !== incident.id),
      k,
    );
    this.similar.set(incident.id, found);
    return found;
  }

  /** The similar incidents found last for the incident ([] before any). */
  similarTo(id: string): SimilarIncident[] {
    return this.similar.get(id) ?? [];
  }

  /** A resolved incident joins the index; later records of it (a resolution said afterwards) replace its entry. */
  remember(record: IncidentRecord): void {
    if (record.status !== 'resolved') return;
    const i = this.past.findIndex((p) => p.incidentId === record.id);
    if (i >= 0) this.past[i] = pastIncidentOf(record);
    else this.past.push(pastIncidentOf(record));
  }
}

function pastIncidentOf(record: IncidentRecord): PastIncident {
  return {
    incidentId: record.id,
    title: record.title,
    startedAtMs: record.startedAtMs,
    signature: record.signature,
    resolution: record.resolution?.text ?? '',
    openActionItems: [],
  };
}
