// Durable state of the engines: their snapshots, the signals they emitted, incidents (latest
// revision wins) and the append-only incident timeline.
import type { Signal, TimelineEntry } from '../../model/index.js';
import type { StoreClient } from '../client.js';
import { toMicros } from '../rows.js';

export async function saveSnapshot(store: StoreClient, name: string, body: unknown, savedAt: number): Promise<void> {
  await saveSnapshotJson(store, name, JSON.stringify(body), savedAt);
}

/** For states that serialise themselves (large ones skip building an object copy first). */
export async function saveSnapshotJson(store: StoreClient, name: string, json: string, savedAt: number): Promise<void> {
  await store.ch.insert({
    table: `${store.database}.engine_state`,
    values: [{ name, saved_at: Math.floor(savedAt), body: json }],
    format: 'JSONEachRow',
  });
}

export async function loadSnapshot<T>(store: StoreClient, name: string): Promise<T | undefined> {
  const rs = await store.ch.query({
    query: `SELECT argMax(body, saved_at) AS body FROM ${store.database}.engine_state WHERE name = {n:String} GROUP BY name`,
    query_params: { n: name },
    format: 'JSONEachRow',
  });
  const [row] = await rs.json<{ body: string }>();
  return row ? (JSON.parse(row.body) as T) : undefined;
}

export async function saveSignals(store: StoreClient, signals: readonly Signal[], nowMs: number): Promise<void> {
  if (!signals.length) return;
  await store.ch.insert({
    table: `${store.database}.signals`,
    values: signals.map((s) => ({
      id: s.id,
      key: s.key,
      kind: s.kind,
      status: s.status,
      service: s.subject.service,
      started_at: toMicros(s.startedAtMs),
      updated_at: toMicros(Math.max(nowMs, s.endedAtMs ?? 0, s.detectedAtMs)),
      body: JSON.stringify(s),
    })),
    format: 'JSONEachRow',
  });
}

export interface StoredIncident {
  id: string;
  status: string;
  startedAtMs: number;
  /** Monotonic per incident: a later write replaces an earlier one. */
  revision: number;
  body: unknown;
}

export async function saveIncidents(store: StoreClient, incidents: readonly StoredIncident[]): Promise<void> {
  if (!incidents.length) return;
  await store.ch.insert({
    table: `${store.database}.incidents`,
    values: incidents.map((i) => ({ id: i.id, revision: i.revision, status: i.status, started_at: toMicros(i.startedAtMs), body: JSON.stringify(i.body) })),
    format: 'JSONEachRow',
  });
}

export async function listIncidentBodies(store: StoreClient, q: { openOnly: boolean; limit: number; beforeId?: number }): Promise<unknown[]> {
  const rs = await store.ch.query({
    query: `SELECT body FROM ${store.database}.incidents FINAL
      WHERE ({open:UInt8} = 0 OR status != 'resolved') AND ({before:UInt64} = 0 OR toUInt64OrZero(id) < {before:UInt64})
      ORDER BY toUInt64OrZero(id) DESC LIMIT {l:UInt32}`,
    query_params: { open: q.openOnly ? 1 : 0, before: q.beforeId ?? 0, l: q.limit },
    format: 'JSONEachRow',
  });
  return (await rs.json<{ body: string }>()).map((r) => JSON.parse(r.body) as unknown);
}

export async function getIncidentBody(store: StoreClient, id: string): Promise<unknown> {
  const rs = await store.ch.query({
    query: `SELECT argMax(body, revision) AS body FROM ${store.database}.incidents WHERE id = {id:String} GROUP BY id`,
    query_params: { id },
    format: 'JSONEachRow',
  });
  const [row] = await rs.json<{ body: string }>();
  return row ? (JSON.parse(row.body) as unknown) : undefined;
}

export async function appendTimeline(store: StoreClient, incidentId: string, firstSeq: number, entries: readonly TimelineEntry[]): Promise<void> {
  if (!entries.length) return;
  await store.ch.insert({
    table: `${store.database}.incident_timeline`,
    values: entries.map((e, i) => ({
      incident_id: incidentId,
      at: toMicros(e.atMs),
      seq: firstSeq + i,
      kind: e.kind,
      text: e.text,
      actor: e.actor ?? '',
      data: e.data ? JSON.stringify(e.data) : '',
    })),
    format: 'JSONEachRow',
  });
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
