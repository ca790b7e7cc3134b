// Log patterns of a search, computed where the lines are: each line reduced to its template by the
// same masks as the incident context (context/logTemplate.ts in SQL), counted per service and
// template, and compared with the same length of time just before, so a pattern that did not
// occur there is flagged new. One statement over the logs table's (service, time) key.
import type { StoreClient } from '../client.js';
import { toMicros } from '../rows.js';
import { templateSql } from './context.js';
import { logFilter, type LogQuery } from './telemetry.js';

export type LogPatternQuery = Omit<LogQuery, 'limit' | 'cursor'> & {
  /** Start of the window a pattern must be absent from to count as new (before fromMs). */
  baselineFromMs: number;
  limit: number;
};

export interface LogPattern {
  service: string;
  template: string;
  /** Lines in the range. */
  count: number;
  /** Lines in the baseline window; 0 makes the pattern new. */
  baselineCount: number;
  firstSeenMs: number;
  lastSeenMs: number;
  maxSeverity: number;
  /** The most severe line of the pattern in the range (the latest of equals). */
  sample: { timeMs: number; severityText: string; body: string; traceId: string };
}

export interface LogPatternSummary {
  patterns: LogPattern[];
  /** Patterns and lines in the range, including those past the limit. */
  totalPatterns: number;
  totalLines: number;
}

interface Row {
  service: string;
  template: string;
  n: string | number;
  before: string | number;
  first_ms: string | number;
  last_ms: string | number;
  sev: number;
  sample_ms: string | number;
  sample_sev: string;
  sample_body: string;
  sample_trace: string;
  patterns_total: string | number;
  lines_total: string | number;
}

/** New patterns first (they are what changed), then the most frequent. */
export async function logPatterns(store: StoreClient, q: LogPatternQuery): Promise<LogPatternSummary> {
  const f = logFilter({ ...q, fromMs: q.baselineFromMs });
  const inRange = `time >= fromUnixTimestamp64Micro({rangeFrom:Int64})`;
  const rs = await store.ch.query({
    query: `SELECT service, template, countIf(${inRange}) AS n, countIf(NOT ${inRange}) AS before,
        toUnixTimestamp64Milli(minIf(time, ${inRange})) AS first_ms, toUnixTimestamp64Milli(maxIf(time, ${inRange})) AS last_ms,
        maxIf(severity_number, ${inRange}) AS sev,
        toUnixTimestamp64Milli(argMaxIf(time, (severity_number, time), ${inRange})) AS sample_ms,
        argMaxIf(severity_text, (severity_number, time), ${inRange}) AS sample_sev,
        argMaxIf(body, (severity_number, time), ${inRange}) AS sample_body,
        argMaxIf(trace_id, (severity_number, time), ${inRange}) AS sample_trace,
        count() OVER () AS patterns_total, sum(n) OVER () AS lines_total
      FROM (SELECT service, time, severity_number, severity_text, body, trace_id, ${templateSql('body')} AS template
            FROM ${store.database}.logs ${f.where()})
      GROUP BY service, template HAVING n > 0
      ORDER BY before = 0 DESC, n DESC, template LIMIT {limit:UInt32}`,
    query_params: { ...f.params, rangeFrom: toMicros(q.fromMs), limit: q.limit },
    format: 'JSONEachRow',
  });
  const rows = await rs.json<Row>();
  return {
    patterns: rows.map((r) => ({
      service: r.service,
      template: r.template,
      count: Number(r.n),
      baselineCount: Number(r.before),
      firstSeenMs: Number(r.first_ms),
      lastSeenMs: Number(r.last_ms),
      maxSeverity: Number(r.sev),
      sample: { timeMs: Number(r.sample_ms), severityText: r.sample_sev, body: r.sample_body, traceId: r.sample_trace },
    })),
    totalPatterns: Number(rows[0]?.patterns_total ?? 0),
    totalLines: Number(rows[0]?.lines_total ?? 0),
  };
}
