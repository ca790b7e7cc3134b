// The facts of many incidents at once, for reports: the few fields a reliability report needs,
// extracted from the stored bodies inside the store (a body with its context is tens of KB; ten
// thousand of them must not cross into Node to be counted). Latest revision per incident. Reads
// both stored shapes: the typed IncidentRecord (epoch-ms times, a resolution object) and the older
// API view (ISO times), see incidents.ts.
import type { StoreClient } from '../client.js';

export interface IncidentHistoryRow {
  id: string;
  title: string;
  status: string;
  severity: string;
  services: string[];
  /** Epoch ms; -1 when the incident never reached that state. */
  startedAtMs: number;
  detectedAtMs: number;
  acknowledgedAtMs: number;
  mitigatedAtMs: number;
  resolvedAtMs: number;
  resolution: string;
  /** The signature object as JSON text ('' when absent). */
  signature: string;
  topCauseService: string;
  topCauseKind: string;
  endpoints: Array<[string, string]>;
  errorMessages: string[];
  userSample: string[];
}

/**
 * A time of the body in epoch ms, whichever shape the row was written in: typed records hold
 * `detectedAtMs`, bodies written before them the API's ISO `detectedAt`.
 */
const timeMs = (field: string): string =>
  `multiIf(JSONHas(body, '${field}AtMs'), toInt64(JSONExtractFloat(body, '${field}AtMs')),
    JSONExtractString(body, '${field}At') != '', toUnixTimestamp64Milli(parseDateTime64BestEffortOrZero(JSONExtractString(body, '${field}At'), 3, 'UTC')), -1)`;

/** Incidents whose onset lies in [fromMs, toMs), oldest first. */
export async function listIncidentHistory(store: StoreClient, q: { fromMs: number; toMs: number }): Promise<IncidentHistoryRow[]> {
  const rs = await store.ch.query({
    query: `SELECT id,
        JSONExtractString(body, 'title') AS title, status,
        JSONExtractString(body, 'severity') AS severity,
        JSONExtract(body, 'services', 'Array(String)') AS services,
        toUnixTimestamp64Milli(started_at) AS startedAtMs,
        ${timeMs('detected')} AS detectedAtMs,
        ${timeMs('acknowledged')} AS acknowledgedAtMs,
        ${timeMs('mitigated')} AS mitigatedAtMs,
        ${timeMs('resolved')} AS resolvedAtMs,
        if(JSONType(body, 'resolution') = 'Object', JSONExtractString(body, 'resolution', 'text'), JSONExtractString(body, 'resolution')) AS resolution,
        JSONExtractRaw(body, 'signature') AS signature,
        JSONExtractString(JSONExtractRaw(body, 'rootCauses', 1), 'service') AS topCauseService,
        JSONExtractString(JSONExtractRaw(body, 'rootCauses', 1), 'kind') AS topCauseKind,
        arrayMap(e -> (JSONExtractString(e, 'service'), JSONExtractString(e, 'endpoint')), JSONExtractArrayRaw(body, 'context', 'affectedEndpoints')) AS endpoints,
        arrayMap(g -> JSONExtractString(g, 'message'), JSONExtractArrayRaw(body, 'context', 'errorGroups')) AS errorMessages,
        JSONExtract(body, 'context', 'affectedUsers', 'sample', 'Array(String)') AS userSample
      FROM ${store.database}.incidents FINAL
      WHERE started_at >= fromUnixTimestamp64Milli({f:Int64}) AND started_at < fromUnixTimestamp64Milli({t:Int64})
      ORDER BY started_at, id`,
    query_params: { f: Math.floor(q.fromMs), t: Math.ceil(q.toMs) },
    format: 'JSONEachRow',
  });
  return (await rs.json<IncidentHistoryRow>()).map((r) => ({
    ...r,
    startedAtMs: Number(r.startedAtMs),
    detectedAtMs: Number(r.detectedAtMs),
    acknowledgedAtMs: Number(r.acknowledgedAtMs),
    mitigatedAtMs: Number(r.mitigatedAtMs),
    resolvedAtMs: Number(r.resolvedAtMs),
  }));
}

/**
 * When each (incident, cause) first topped the root-cause ranking, from the timeline's root-cause
 * entries at or after `fromMs`: the report picks the one naming the incident's final top cause.
 */
export async function firstRootCauseTimes(store: StoreClient, q: { fromMs: number; toMs: number }): Promise<Array<{ incidentId: string; service: string; kind: string; atMs: number }>> {
  const rs = await store.ch.query({
    query: `SELECT incident_id, JSONExtractString(data, 'service') AS service, JSONExtractString(data, 'rootCauseKind') AS cause_kind, toUnixTimestamp64Milli(min(at)) AS first_at
      FROM ${store.database}.incident_timeline
      WHERE kind = 'root-cause' AND at >= fromUnixTimestamp64Milli({f:Int64}) AND at < fromUnixTimestamp64Milli({t:Int64})
      GROUP BY incident_id, service, cause_kind`,
    query_params: { f: Math.floor(q.fromMs), t: Math.ceil(q.toMs) },
    format: 'JSONEachRow',
  });
  return (await rs.json<{ incident_id: string; service: string; cause_kind: string; first_at: string | number }>()).map((r) => ({ incidentId: r.incident_id, service: r.service, kind: r.cause_kind, atMs: Number(r.first_at) }));
}
