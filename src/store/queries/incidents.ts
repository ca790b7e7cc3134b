// Incidents in the store: the typed IncidentRecord of each (latest revision wins) and the
// append-only incident timeline. Rows written before records were typed hold the API's JSON view
// instead; they are read through incident-legacy.ts, so both shapes load.
import type { IncidentRecord, TimelineEntry } from '../../model/index.js';
import type { StoreClient } from '../client.js';
import { toMicros } from '../rows.js';
import { isLegacyIncidentView, recordFromLegacyView } from './incident-legacy.js';
import { insertRows } from './insert.js';

export interface StoredIncident {
  record: IncidentRecord;
  /** Monotonic per incident: a later write replaces an earlier one. */
  revision: number;
}

export async function saveIncidentRecords(store: StoreClient, incidents: readonly StoredIncident[]): Promise<void> {
  await insertRows(
    store,
    'incidents',
    incidents.map(({ record, revision }) => ({
      id: record.id,
      revision,
      status: record.status,
      started_at: toMicros(record.startedAtMs),
      body: JSON.stringify(record),
    })),
  );
}

/** Newest first (by numeric id); `beforeId` pages on from the last id of the previous page. */
export async function listIncidentRecords(store: StoreClient, q: { openOnly: boolean; limit: number; beforeId?: number }): Promise<IncidentRecord[]> {
  const rs = await store.ch.query({
    query: `SELECT body FROM ${store.database}.incidents FINAL
      WHERE ({open:UInt8} = 0 OR status != 'resolved') AND ({before:UInt64} = 0 OR toUInt64OrZero(id) < {before:UInt64})
      ORDER BY toUInt64OrZero(id) DESC LIMIT {l:UInt32}`,
    query_params: { open: q.openOnly ? 1 : 0, before: q.beforeId ?? 0, l: q.limit },
    format: 'JSONEachRow',
  });
  return (await rs.json<{ body: string }>()).map((r) => recordOf(r.body));
}

export async function getIncidentRecord(store: StoreClient, id: string): Promise<IncidentRecord | undefined> {
  const rs = await store.ch.query({
    query: `SELECT argMax(body, revision) AS body FROM ${store.database}.incidents WHERE id = {id:String} GROUP BY id`,
    query_params: { id },
    format: 'JSONEachRow',
  });
  const [row] = await rs.json<{ body: string }>();
  return row ? recordOf(row.body) : undefined;
}

/** A stored body as a typed record, whichever shape it was written in. */
export function recordOf(json: string): IncidentRecord {
  const body = JSON.parse(json) as Record<string, unknown>;
  if (isLegacyIncidentView(body)) return recordFromLegacyView(body);
  const record = body as unknown as IncidentRecord;
  // JSON turns NaN (a signal without a p-value) into null; give it its number type back.
  for (const s of record.signals) if (typeof s.pValue !== 'number') s.pValue = Number.NaN;
  return record;
}

export async function appendTimeline(store: StoreClient, incidentId: string, firstSeq: number, entries: readonly TimelineEntry[]): Promise<void> {
  await insertRows(
    store,
    'incident_timeline',
    entries.map((e, i) => ({
      incident_id: incidentId,
      at: toMicros(e.atMs),
      seq: firstSeq + i,
      kind: e.kind,
      text: e.text,
      actor: e.actor ?? '',
      data: e.data ? JSON.stringify(e.data) : '',
    })),
  );
}

export async function readTimeline(store: StoreClient, incidentId: string): Promise<TimelineEntry[]> {
  const rs = await store.ch.query({
    query: `SELECT toUnixTimestamp64Micro(at) AS at_us, kind, text, actor, data FROM ${store.database}.incident_timeline FINAL
      WHERE incident_id = {id:String} ORDER BY seq`,
    query_params: { id: incidentId },
    format: 'JSONEachRow',
  });
  return (await rs.json<{ at_us: number; kind: string; text: string; actor: string; data: string }>()).map((r) => ({
    atMs: Number(r.at_us) / 1000,
    kind: r.kind as TimelineEntry['kind'],
    text: r.text,
    ...(r.actor ? { actor: r.actor } : {}),
    ...(r.data ? { data: JSON.parse(r.data) as Record<string, unknown> } : {}),
  }));
}
