// The incident-context queries over ClickHouse (context's ContextQueries port): each is one bounded
// SQL statement over the spans, logs and changes tables, restricted to the incident's services and window.
import type {
  ContextQueries,
  EndpointStats,
  EntryTrafficCounts,
  EntryTrafficQuery,
  ErrorGroup,
  ExampleKind,
  LogTemplateStats,
  ServicesRange,
  TimeRange,
} from '../../context/index.js';
import type { ChangeEvent } from '../../model/index.js';
import type { StoreClient } from '../client.js';
import { listChanges } from './changes.js';
import { failedSpanSql } from './span-outcome.js';

const us = (ms: number): number => Math.round(ms * 1000);

/** The masks of context/logTemplate.ts in SQL, so stored and in-memory templates agree. */
export function templateSql(column: string): string {
  const masks: Array<[string, string]> = [
    ['(?i)\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b', '<uuid>'],
    ['(?i)\\b[0-9a-f]{16,}\\b', '<hex>'],
    ['\\b\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d+)?\\b', '<ip>'],
    ['"[^"]*"|\'[^\']*\'', '<str>'],
    ['\\b[\\w.+-]+@[\\w-]+\\.[\\w.-]+\\b', '<email>'],
    ['\\b[A-Za-z]+[_-][0-9A-Za-z]*[0-9][0-9A-Za-z]*\\b', '<id>'],
    ['\\b\\d+(?:\\.\\d+)?\\b', '<num>'],
  ];
  let expr = `substring(${column}, 1, 500)`;
  for (const [re, token] of masks) expr = `replaceRegexpAll(${expr}, ${quote(re)}, '${token}')`;
  return `trimBoth(replaceRegexpAll(${expr}, '\\\\s+', ' '))`;
}

const quote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const errorCond = failedSpanSql;
const rangeCond = (col: string): string => `${col} >= fromUnixTimestamp64Micro({from:Int64}) AND ${col} < fromUnixTimestamp64Micro({to:Int64})`;

/** What a failing span says, in the precedence of the in-memory reference's errorMessage. */
const failureMessage = `if(exception_type != '' OR exception_message != '', if(exception_message != '', exception_message, exception_type),
  if(status_message != '', status_message, if(http_status_code != 0, concat('HTTP ', toString(http_status_code)), concat(name, ' failed'))))`;

type Example = Awaited<ReturnType<ContextQueries['exampleTraces']>>[number];
interface ExampleRow {
  trace_id: string;
  span_id: string;
  service: string;
  endpoint: string;
  duration_ms: number;
  start_us: number;
  detail: string;
}
const exampleColumns = `trace_id, span_id, service, if(http_method != '', concat(http_method, ' ', if(http_route != '', http_route, name)), name) AS endpoint,
  duration_ms, toUnixTimestamp64Micro(start_time) AS start_us`;
const example = (r: ExampleRow, kind: ExampleKind): Example => ({
  traceId: r.trace_id,
  kind,
  service: r.service,
  endpoint: r.endpoint,
  durationMs: Number(r.duration_ms),
  startTimeMs: Number(r.start_us) / 1000,
  detail: r.detail,
});

// Healthy candidates are read in pages sized to what is still missing (each candidate costs a
// trace_index lookup, and random trace ids hit a granule each), growing when traces keep failing;
// the caps bound the work when nearly every trace fails.
const healthyPageRows = 500;
const healthyPages = 8;
const healthyPageSize = (missing: number, page: number): number => Math.min(healthyPageRows, Math.max(10, 2 * missing) * 4 ** page);

export class ClickHouseContextQueries implements ContextQueries {
  constructor(private readonly store: StoreClient) {}

  private async rows<T>(query: string, params: Record<string, unknown>): Promise<T[]> {
    const rs = await this.store.ch.query({ query, query_params: params, format: 'JSONEachRow' });
    return rs.json<T>();
  }

  private params(q: TimeRange & { services?: readonly string[]; limit?: number }): Record<string, unknown> {
    return { from: us(q.fromMs), to: us(q.toMs), services: [...(q.services ?? [])], limit: q.limit ?? 100 };
  }

  async endpointStats(q: ServicesRange): Promise<EndpointStats[]> {
    const db = this.store.database;
    const rows = await this.rows<{ service: string; method: string; route: string; requests: number; errors: number; p95: number }>(
      `SELECT service, http_method AS method, if(http_route != '', http_route, name) AS route, count() AS requests,
         countIf(${errorCond}) AS errors, quantile(0.95)(duration_ms) AS p95
       FROM ${db}.spans WHERE kind IN ('server', 'consumer') AND service IN {services:Array(String)} AND ${rangeCond('start_time')}
       GROUP BY service, method, route ORDER BY requests DESC LIMIT {limit:UInt32}`,
      this.params(q),
    );
    return rows.map((r) => ({
      service: r.service,
      method: r.method,
      route: r.route,
      requests: Number(r.requests),
      errors: Number(r.errors),
      p95Ms: Number(r.p95),
    }));
  }

  async errorGroups(q: ServicesRange): Promise<ErrorGroup[]> {
    const db = this.store.database;
    // One group per service and message template: the server span and the client span that threw
    // share it, and the exception type of any typed span names the group.
    const rows = await this.rows<{
      service: string;
      template: string;
      type: string;
      message: string;
      n: number;
      trace: string;
      version: string;
      first_us: number;
    }>(
      `SELECT service, template, argMinIf(exception_type, start_time, exception_type != '') AS type,
         if(type != '', argMinIf(msg, start_time, exception_type != ''), argMin(msg, start_time)) AS message,
         uniqExact(trace_id) AS n, argMin(trace_id, start_time) AS trace, argMin(service_version, start_time) AS version,
         toUnixTimestamp64Micro(min(start_time)) AS first_us
       FROM (SELECT service, start_time, trace_id, service_version, exception_type, ${failureMessage} AS msg, ${templateSql('msg')} AS template
             FROM ${db}.spans WHERE status_code = 'error' AND service IN {services:Array(String)} AND ${rangeCond('start_time')})
       GROUP BY service, template ORDER BY n DESC, first_us LIMIT {limit:UInt32}`,
      this.params(q),
    );
    return rows.map((r) => ({
      service: r.service,
      fingerprint: r.type ? `${r.type}: ${r.template}` : r.template,
      exceptionType: r.type,
      message: r.message,
      count: Number(r.n),
      sampleTraceId: r.trace,
      firstSeenVersion: r.version,
      firstSeenMs: Number(r.first_us) / 1000,
    }));
  }

  async exampleTraces(q: ServicesRange & { kind: ExampleKind; minDurationMs?: number; maxDurationMs?: number }): Promise<Example[]> {
    if (q.kind === 'healthy') return this.healthyTraces(q, q.maxDurationMs ?? 1e12);
    // Failing: a trace's failing server span shows the whole request, so those traces come first.
    // Slow: the trace's slowest successful server span; a failing one is a failing example.
    const [where, order] =
      q.kind === 'failing'
        ? [errorCond, `kind = 'server' DESC, start_time, span_id`]
        : [`kind = 'server' AND duration_ms >= {min:Float64} AND NOT ${errorCond}`, 'duration_ms DESC, start_time, span_id'];
    const rows = await this.rows<ExampleRow>(
      `SELECT ${exampleColumns}, ${q.kind === 'failing' ? failureMessage : "''"} AS detail
       FROM ${this.store.database}.spans WHERE service IN {services:Array(String)} AND ${rangeCond('start_time')} AND ${where}
       ORDER BY ${order} LIMIT 1 BY trace_id LIMIT {limit:UInt32}`,
      { ...this.params(q), min: q.minDurationMs ?? 0 },
    );
    return rows.map((r) => example(r, q.kind));
  }

  /**
   * Healthy: the earliest successful server spans of traces with no error span anywhere (any
   * service, any time). Candidates come in pages in start order and their whole traces are checked
   * through trace_index, so a run of failing traces costs another page rather than a missed answer.
   */
  private async healthyTraces(q: ServicesRange, maxDurationMs: number): Promise<Example[]> {
    const db = this.store.database;
    const out: Example[] = [];
    const seen = new Set<string>();
    let cursor = { startUs: 0, spanId: '' };
    for (let page = 0; page < healthyPages && out.length < q.limit; page += 1) {
      const size = healthyPageSize(q.limit - out.length, page);
      const rows = await this.rows<ExampleRow>(
        `SELECT ${exampleColumns}, '' AS detail
         FROM ${db}.spans WHERE service IN {services:Array(String)} AND kind = 'server' AND ${rangeCond('start_time')}
           AND duration_ms <= {max:Float64} AND NOT ${errorCond}
           AND start_time >= fromUnixTimestamp64Micro({afterUs:Int64})
           AND (start_time > fromUnixTimestamp64Micro({afterUs:Int64}) OR span_id > {afterSpan:String})
         ORDER BY start_time, span_id LIMIT 1 BY trace_id LIMIT {page:UInt32}`,
        { ...this.params(q), max: maxDurationMs, afterUs: cursor.startUs, afterSpan: cursor.spanId, page: size },
      );
      const last = rows.at(-1);
      if (!last) break;
      cursor = { startUs: Number(last.start_us), spanId: last.span_id };
      const fresh = rows.filter((r) => !seen.has(r.trace_id));
      const failing = await this.failingTraces(fresh.map((r) => r.trace_id));
      for (const r of fresh) {
        seen.add(r.trace_id);
        if (!failing.has(r.trace_id) && out.length < q.limit) out.push(example(r, 'healthy'));
      }
      if (rows.length < size) break;
    }
    return out;
  }

  /** Which of the traces have an error span: trace_index bounds the scan to the traces' time span. */
  private async failingTraces(traceIds: readonly string[]): Promise<Set<string>> {
    if (traceIds.length === 0) return new Set();
    const db = this.store.database;
    const rows = await this.rows<{ trace_id: string }>(
      `WITH (SELECT (minMerge(start), maxMerge(end)) FROM ${db}.trace_index WHERE trace_id IN {ids:Array(String)}) AS bounds
       SELECT DISTINCT trace_id FROM ${db}.spans
       WHERE trace_id IN {ids:Array(String)} AND ${errorCond} AND start_time >= bounds.1 AND start_time <= bounds.2`,
      { ids: [...traceIds] },
    );
    return new Set(rows.map((r) => r.trace_id));
  }

  async affectedUsers(q: ServicesRange & { userAttribute: string }): Promise<{ affected: number; total: number; sample: string[] }> {
    const db = this.store.database;
    const user = q.userAttribute === 'enduser.id' ? 'user_id' : `attributes[{ua:String}]`;
    // IN (subquery) builds one hash set per subquery; has() over an array would scan it per row.
    const through = `SELECT trace_id FROM ${db}.spans WHERE service IN {services:Array(String)} AND ${rangeCond('start_time')}`;
    const failing = `SELECT trace_id FROM ${db}.spans WHERE ${errorCond} AND service IN {services:Array(String)} AND ${rangeCond('start_time')}`;
    const [r] = await this.rows<{ affected: number; total: number; sample: string[] }>(
      `SELECT uniqExactIf(${user}, trace_id IN (${failing})) AS affected, uniqExact(${user}) AS total,
         groupUniqArrayIf(10)(${user}, trace_id IN (${failing})) AS sample
       FROM ${db}.spans WHERE ${rangeCond('start_time')} AND ${user} != '' AND trace_id IN (${through})`,
      { ...this.params(q), ua: q.userAttribute },
    );
    return { affected: Number(r?.affected ?? 0), total: Number(r?.total ?? 0), sample: r?.sample ?? [] };
  }

  async entryTraffic(q: EntryTrafficQuery): Promise<EntryTrafficCounts> {
    const db = this.store.database;
    // Per endpoint first (its usual p95 looked up by key, 0 when unknown), then summed; an endpoint is
    // slowed when at least half of its successful requests (at least minRequests) exceed its usual p95.
    const [r] = await this.rows<{ requests: number; failed: number; slow: number; slowed: number; endpoints: string[] }>(
      `SELECT sum(n) AS requests, sum(n_failed) AS failed, sum(n_slow) AS slow, sumIf(n, is_slowed) AS slowed,
         arraySlice(arrayMap(x -> x.2, arraySort(x -> (-x.1, x.2), groupArrayIf((n, label), is_slowed))), 1, {limit:UInt32}) AS endpoints
       FROM (
         SELECT any(label) AS label, count() AS n, countIf(is_failed) AS n_failed,
           countIf(NOT is_failed AND duration_ms >= if(usual_ms > 0, 2 * usual_ms, {slow:Float64})) AS n_slow,
           countIf(NOT is_failed) AS ok, countIf(NOT is_failed AND usual_ms > 0 AND duration_ms > usual_ms) AS beyond,
           ok >= {minRequests:UInt32} AND 2 * beyond >= ok AS is_slowed
         FROM (
           SELECT service, http_method AS method, if(http_route != '', http_route, name) AS route, duration_ms, ${errorCond} AS is_failed,
             if(method != '', concat(method, ' ', route), name) AS label,
             transform(concat(service, '\\n', method, '\\n', route), {usualKeys:Array(String)}, {usualMs:Array(Float64)}, toFloat64(0)) AS usual_ms
           FROM ${db}.spans WHERE kind = 'server' AND service IN {services:Array(String)} AND ${rangeCond('start_time')}
         )
         GROUP BY service, method, route
       )`,
      {
        ...this.params(q),
        slow: q.slowMs,
        minRequests: q.minRequests,
        usualKeys: q.usual.map((u) => `${u.service}\n${u.method}\n${u.route}`),
        usualMs: q.usual.map((u) => u.p95Ms),
      },
    );
    return {
      requests: Number(r?.requests ?? 0),
      failed: Number(r?.failed ?? 0),
      slow: Number(r?.slow ?? 0),
      slowed: Number(r?.slowed ?? 0),
      slowedEndpoints: r?.endpoints ?? [],
    };
  }

  async logTemplates(q: ServicesRange & { onsetMs: number }): Promise<LogTemplateStats[]> {
    const db = this.store.database;
    const rows = await this.rows<{
      service: string;
      template: string;
      before: number;
      after: number;
      sev: number;
      t: number;
      st: string;
      sample_body: string;
      trace: string;
    }>(
      `SELECT service, ${templateSql('body')} AS template,
         countIf(time < fromUnixTimestamp64Micro({onset:Int64})) AS before, countIf(time >= fromUnixTimestamp64Micro({onset:Int64})) AS after,
         max(severity_number) AS sev, toUnixTimestamp64Milli(argMax(time, severity_number)) AS t, argMax(severity_text, severity_number) AS st,
         argMax(body, severity_number) AS sample_body, argMax(trace_id, severity_number) AS trace
       FROM ${db}.logs WHERE service IN {services:Array(String)} AND ${rangeCond('time')}
       GROUP BY service, template ORDER BY after DESC LIMIT {limit:UInt32}`,
      { ...this.params(q), onset: us(q.onsetMs) },
    );
    return rows.map((r) => ({
      service: r.service,
      template: r.template,
      before: Number(r.before),
      after: Number(r.after),
      maxSeverity: Number(r.sev),
      sample: { timeMs: Number(r.t), severityText: r.st, body: r.sample_body, traceId: r.trace },
    }));
  }

  async changes(q: ServicesRange): Promise<ChangeEvent[]> {
    const all = await listChanges(this.store, { fromMs: q.fromMs, toMs: q.toMs, limit: 1000 });
    return all
      .filter((c) => q.services.includes(c.service))
      .slice(0, q.limit)
      .reverse();
  }
}
