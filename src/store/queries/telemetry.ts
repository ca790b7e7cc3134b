// Reading telemetry back: a trace by id, span search and log search. Searches are newest first
// and paged with keyset cursors, so a page never silently drops rows.
import type { LogRecord, Span, SpanEvent, SpanLink } from '../../model/index.js';
import type { StoreClient } from '../client.js';
import { fromMicros, toMicros } from '../rows.js';
import { addAttributeFilters, keysetPage, SqlFilter, type Page } from './filters.js';

interface SpanRowOut {
  start_us: number;
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  name: string;
  kind: string;
  duration_ms: number;
  status_code: string;
  status_message: string;
  scope_name: string;
  service: string;
  service_version: string;
  environment: string;
  http_method: string;
  http_route: string;
  http_status_code: number;
  db_system: string;
  db_namespace: string;
  db_operation: string;
  peer_service: string;
  user_id: string;
  exception_type: string;
  exception_message: string;
  exception_stacktrace: string;
  resource_attributes: Record<string, string>;
  attributes: Record<string, string>;
  events: string;
  links: string;
}

const spanColumns = `toUnixTimestamp64Micro(start_time) AS start_us, trace_id, span_id, parent_span_id, name, kind,
  duration_ms, status_code, status_message, scope_name, service, service_version, environment, http_method, http_route,
  http_status_code, db_system, db_namespace, db_operation, peer_service, user_id, exception_type, exception_message,
  exception_stacktrace, resource_attributes, attributes, events, links`;

function spanFromRow(r: SpanRowOut): Span {
  return {
    traceId: r.trace_id,
    spanId: r.span_id,
    parentSpanId: r.parent_span_id,
    name: r.name,
    kind: r.kind as Span['kind'],
    startTimeMs: fromMicros(r.start_us),
    durationMs: Number(r.duration_ms),
    statusCode: r.status_code as Span['statusCode'],
    statusMessage: r.status_message,
    scopeName: r.scope_name,
    service: r.service,
    serviceVersion: r.service_version,
    environment: r.environment,
    httpMethod: r.http_method,
    httpRoute: r.http_route,
    httpStatusCode: Number(r.http_status_code),
    dbSystem: r.db_system,
    dbNamespace: r.db_namespace,
    dbOperation: r.db_operation,
    peerService: r.peer_service,
    userId: r.user_id,
    exceptionType: r.exception_type,
    exceptionMessage: r.exception_message,
    exceptionStacktrace: r.exception_stacktrace,
    resourceAttributes: r.resource_attributes,
    attributes: r.attributes,
    events: r.events ? (JSON.parse(r.events) as SpanEvent[]) : [],
    links: r.links ? (JSON.parse(r.links) as SpanLink[]) : [],
  };
}

export async function getTrace(store: StoreClient, traceId: string): Promise<Span[]> {
  const { ch, database: db } = store;
  // One round trip: the scalar subqueries over the index table run first and become constants, so
  // the trace's time range prunes partitions before the trace-id bloom filter does the rest.
  const range = (fn: 'minMerge(start)' | 'maxMerge(end)'): string => `(SELECT ${fn} FROM ${db}.trace_index WHERE trace_id = {t:String} GROUP BY trace_id)`;
  const rs = await ch.query({
    query: `SELECT ${spanColumns} FROM ${db}.spans
      WHERE trace_id = {t:String} AND start_time >= ${range('minMerge(start)')} AND start_time <= ${range('maxMerge(end)')}
      ORDER BY start_time LIMIT 1 BY span_id LIMIT 10000`,
    query_params: { t: traceId },
    format: 'JSONEachRow',
  });
  return (await rs.json<SpanRowOut>()).map(spanFromRow);
}

export interface SpanQuery {
  fromMs: number;
  toMs: number;
  service?: string;
  route?: string;
  name?: string;
  kind?: string;
  status?: 'error' | 'ok' | 'unset';
  version?: string;
  traceId?: string;
  userId?: string;
  minDurationMs?: number;
  maxDurationMs?: number;
  attributes?: Record<string, string>;
  limit: number;
  cursor?: string;
}

export async function searchSpans(store: StoreClient, q: SpanQuery): Promise<Page<Span>> {
  const f = new SqlFilter()
    .add('start_time >= fromUnixTimestamp64Micro(?) AND start_time < fromUnixTimestamp64Micro(?)', [
      { type: 'Int64', value: toMicros(q.fromMs) },
      { type: 'Int64', value: toMicros(q.toMs) },
    ])
    .eq('service', q.service)
    .eq('http_route', q.route)
    .eq('name', q.name)
    .eq('kind', q.kind)
    .eq('status_code', q.status)
    .eq('service_version', q.version)
    .eq('trace_id', q.traceId)
    .eq('user_id', q.userId);
  if (q.minDurationMs !== undefined) f.add('duration_ms >= ?', [{ type: 'Float64', value: q.minDurationMs }]);
  if (q.maxDurationMs !== undefined) f.add('duration_ms <= ?', [{ type: 'Float64', value: q.maxDurationMs }]);
  addAttributeFilters(f, 'attributes', q.attributes);
  return keysetPage(store, f, q, {
    key: { sql: '(toUnixTimestamp64Micro(start_time), span_id)', parts: ['int', 'text'] },
    select: (where) => `SELECT ${spanColumns} FROM ${store.database}.spans ${where}
      ORDER BY start_time DESC, span_id DESC LIMIT {limit:UInt32}`,
    item: spanFromRow,
    cursorOf: (r: SpanRowOut) => [Number(r.start_us), r.span_id],
  });
}

interface LogRowOut {
  time_us: number;
  observed_us: number;
  row_key: string;
  service: string;
  service_version: string;
  environment: string;
  severity_number: number;
  severity_text: string;
  body: string;
  trace_id: string;
  span_id: string;
  scope_name: string;
  user_id: string;
  exception_type: string;
  exception_message: string;
  exception_stacktrace: string;
  resource_attributes: Record<string, string>;
  attributes: Record<string, string>;
}

function logFromRow(r: LogRowOut): LogRecord {
  return {
    timeMs: fromMicros(r.time_us),
    observedTimeMs: fromMicros(r.observed_us),
    service: r.service,
    serviceVersion: r.service_version,
    environment: r.environment,
    severityNumber: Number(r.severity_number),
    severityText: r.severity_text,
    body: r.body,
    traceId: r.trace_id,
    spanId: r.span_id,
    scopeName: r.scope_name,
    userId: r.user_id,
    exceptionType: r.exception_type,
    exceptionMessage: r.exception_message,
    exceptionStacktrace: r.exception_stacktrace,
    resourceAttributes: r.resource_attributes,
    attributes: r.attributes,
  };
}

export interface LogQuery {
  fromMs: number;
  toMs: number;
  /** Free text: every word must appear (case-insensitive); "quoted phrases" must appear as is. */
  text?: string;
  service?: string;
  minSeverity?: number;
  traceId?: string;
  spanId?: string;
  version?: string;
  attributes?: Record<string, string>;
  limit: number;
  cursor?: string;
}

/** Splits free text into phrases and tokens; tokens use the token index, phrases a substring match. */
export function parseLogText(text: string): { tokens: string[]; phrases: string[] } {
  const phrases: string[] = [];
  const rest = text.replace(/"([^"]*)"/g, (_m, p: string) => {
    if (p.trim()) phrases.push(p.toLowerCase());
    return ' ';
  });
  const tokens: string[] = [];
  for (const word of rest.toLowerCase().split(/\s+/)) {
    if (!word) continue;
    // hasToken needs alphanumeric tokens; other words fall back to a substring match.
    if (/^[a-z0-9_]+$/.test(word)) tokens.push(word);
    else phrases.push(word);
  }
  return { tokens, phrases };
}

/** The WHERE of a log search (shared by the search and its histogram). A service list "a,b" matches any of them. */
export function logFilter(q: Omit<LogQuery, 'limit' | 'cursor'>): SqlFilter {
  const services = q.service?.includes(',')
    ? q.service
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
  const f = new SqlFilter()
    .add('time >= fromUnixTimestamp64Micro(?) AND time < fromUnixTimestamp64Micro(?)', [
      { type: 'Int64', value: toMicros(q.fromMs) },
      { type: 'Int64', value: toMicros(q.toMs) },
    ])
    .eq('service', services ? undefined : q.service)
    .eq('trace_id', q.traceId)
    .eq('span_id', q.spanId)
    .eq('service_version', q.version);
  if (services?.length) f.add('has(?, service)', [{ type: 'Array(String)', value: services }]);
  if (q.minSeverity !== undefined) f.add('severity_number >= ?', [{ type: 'UInt8', value: q.minSeverity }]);
  if (q.text) {
    const { tokens, phrases } = parseLogText(q.text);
    for (const t of tokens) f.add('hasToken(lower(body), ?)', [{ type: 'String', value: t }]);
    for (const p of phrases) f.add('positionCaseInsensitiveUTF8(body, ?) > 0', [{ type: 'String', value: p }]);
  }
  addAttributeFilters(f, 'attributes', q.attributes);
  return f;
}

export async function searchLogs(store: StoreClient, q: LogQuery): Promise<Page<LogRecord>> {
  return keysetPage(store, logFilter(q), q, {
    key: { sql: '(toUnixTimestamp64Micro(time), sipHash64(body, span_id, observed_time))', parts: ['int', 'uint64'] },
    select: (where) => `SELECT toUnixTimestamp64Micro(time) AS time_us, toUnixTimestamp64Micro(observed_time) AS observed_us,
        toString(sipHash64(body, span_id, observed_time)) AS row_key, service, service_version, environment,
        severity_number, severity_text, body, trace_id, span_id, scope_name, user_id, exception_type,
        exception_message, exception_stacktrace, resource_attributes, attributes
      FROM ${store.database}.logs ${where}
      ORDER BY time DESC, sipHash64(body, span_id, observed_time) DESC LIMIT {limit:UInt32}`,
    item: logFromRow,
    cursorOf: (r: LogRowOut) => [Number(r.time_us), r.row_key],
  });
}

/** Matching log lines per time step and severity class (the log view's histogram); empty steps are left out. */
export async function logHistogram(
  store: StoreClient,
  q: Omit<LogQuery, 'limit' | 'cursor'> & { stepMs: number },
): Promise<Array<{ timeMs: number; count: number; errors: number }>> {
  const f = logFilter(q);
  const rs = await store.ch.query({
    query: `SELECT intDiv(toUnixTimestamp64Milli(time), {step:UInt64}) * {step:UInt64} AS t, count() AS n, countIf(severity_number >= 17) AS e
      FROM ${store.database}.logs ${f.where()} GROUP BY t ORDER BY t LIMIT 2000`,
    query_params: { ...f.params, step: q.stepMs },
    format: 'JSONEachRow',
  });
  return (await rs.json<{ t: string | number; n: string | number; e: string | number }>()).map((r) => ({
    timeMs: Number(r.t),
    count: Number(r.n),
    errors: Number(r.e),
  }));
}
