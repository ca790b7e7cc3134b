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
 * The fields a report reads, as one typed extraction: the body is parsed once per row (a JSON
 * function per field would parse it again for each, which was most of a year's report). Both
 * stored shapes: typed records hold `detectedAtMs` and a resolution object, bodies written before
 * them the API's ISO `detectedAt` and a resolution string. A String field takes an object's raw
 * JSON text (the signature, a typed resolution).
 */
const factsType = `Tuple(title String, severity String, services Array(String),
  detectedAtMs Nullable(Float64), acknowledgedAtMs Nullable(Float64), mitigatedAtMs Nullable(Float64), resolvedAtMs Nullable(Float64),
  detectedAt String, acknowledgedAt String, mitigatedAt String, resolvedAt String,
  resolution String, signature String, rootCauses Array(Tuple(service String, kind String)),
  context Tuple(affectedEndpoints Array(Tuple(service String, endpoint String)), errorGroups Array(Tuple(message String)), affectedUsers Tuple(sample Array(String))))`;

/** A time in epoch ms from whichever shape the row was written in; -1 when never reached. */
const timeMs = (field: string): string =>
  `multiIf(isNotNull(tupleElement(f, '${field}AtMs')), toInt64(assumeNotNull(tupleElement(f, '${field}AtMs'))),
    tupleElement(f, '${field}At') != '', toUnixTimestamp64Milli(parseDateTime64BestEffortOrZero(tupleElement(f, '${field}At'), 3, 'UTC')), -1)`;

/** Incidents whose onset lies in [fromMs, toMs), oldest first. */
export async function listIncidentHistory(store: StoreClient, q: { fromMs: number; toMs: number }): Promise<IncidentHistoryRow[]> {
  const rs = await store.ch.query({
    query: `SELECT id, tupleElement(f, 'title') AS title, status, tupleElement(f, 'severity') AS severity, tupleElement(f, 'services') AS services,
        toUnixTimestamp64Milli(started_at) AS startedAtMs,
        ${timeMs('detected')} AS detectedAtMs,
        ${timeMs('acknowledged')} AS acknowledgedAtMs,
        ${timeMs('mitigated')} AS mitigatedAtMs,
        ${timeMs('resolved')} AS resolvedAtMs,
        if(startsWith(tupleElement(f, 'resolution'), '{'), JSONExtractString(tupleElement(f, 'resolution'), 'text'), tupleElement(f, 'resolution')) AS resolution,
        tupleElement(f, 'signature') AS signature,
        tupleElement(tupleElement(f, 'rootCauses')[1], 'service') AS topCauseService,
        tupleElement(tupleElement(f, 'rootCauses')[1], 'kind') AS topCauseKind,
        arrayMap(e -> (tupleElement(e, 'service'), tupleElement(e, 'endpoint')), tupleElement(tupleElement(f, 'context'), 'affectedEndpoints')) AS endpoints,
        arrayMap(g -> tupleElement(g, 'message'), tupleElement(tupleElement(f, 'context'), 'errorGroups')) AS errorMessages,
        tupleElement(tupleElement(tupleElement(f, 'context'), 'affectedUsers'), 'sample') AS userSample
      FROM (
        SELECT id, status, started_at, JSONExtract(body, '${factsType.replace(/\s+/g, ' ')}') AS f
        FROM ${store.database}.incidents FINAL
        WHERE started_at >= fromUnixTimestamp64Milli({f:Int64}) AND started_at < fromUnixTimestamp64Milli({t:Int64})
      )
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
export async function firstRootCauseTimes(
  store: StoreClient,
  q: { fromMs: number; toMs: number },
): Promise<Array<{ incidentId: string; service: string; kind: string; atMs: number }>> {
  const rs = await store.ch.query({
    query: `SELECT incident_id, JSONExtractString(data, 'service') AS service, JSONExtractString(data, 'rootCauseKind') AS cause_kind, toUnixTimestamp64Milli(min(at)) AS first_at
      FROM ${store.database}.incident_timeline
      WHERE kind = 'root-cause' AND at >= fromUnixTimestamp64Milli({f:Int64}) AND at < fromUnixTimestamp64Milli({t:Int64})
      GROUP BY incident_id, service, cause_kind`,
    query_params: { f: Math.floor(q.fromMs), t: Math.ceil(q.toMs) },
    format: 'JSONEachRow',
  });
  return (await rs.json<{ incident_id: string; service: string; cause_kind: string; first_at: string | number }>()).map((r) => ({
    incidentId: r.incident_id,
    service: r.service,
    kind: r.cause_kind,
    atMs: Number(r.first_at),
  }));
}
