// ContextQueries over plain arrays of spans, logs and changes: the reference semantics of every
// query (the ClickHouse implementation must answer the same), used by tests and small replays.
import type { ChangeEvent, LogRecord, Span } from '../model/index.js';
import { messageTemplate } from './logTemplate.js';
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
} from './types.js';

export interface ContextData {
  spans: readonly Span[];
  logs: readonly LogRecord[];
  changes: readonly ChangeEvent[];
}

type Example = Awaited<ReturnType<ContextQueries['exampleTraces']>>[number];

const inRange = (t: number, r: TimeRange): boolean => t >= r.fromMs && t < r.toMs;
export const isFailed = (s: Span): boolean => s.statusCode === 'error' || s.httpStatusCode >= 500;
const endpointOf = (s: Span): { method: string; route: string } => ({ method: s.httpMethod, route: s.httpRoute || s.name });
const endpointLabel = (s: Span): string => (s.httpMethod ? `${s.httpMethod} ${s.httpRoute || s.name}` : s.name);

function p95(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? 0;
}

/** The message an error span carries: its exception, else its status message, else its HTTP status. */
function errorMessage(s: Span): { type: string; message: string } {
  if (s.exceptionType || s.exceptionMessage) return { type: s.exceptionType, message: s.exceptionMessage || s.exceptionType };
  if (s.statusMessage) return { type: '', message: s.statusMessage };
  return { type: '', message: s.httpStatusCode ? `HTTP ${s.httpStatusCode}` : `${s.name} failed` };
}

export class InMemoryContextQueries implements ContextQueries {
  private readonly byTrace = new Map<string, Span[]>();

  constructor(private readonly data: ContextData) {
    for (const s of data.spans) {
      const list = this.byTrace.get(s.traceId);
      if (list) list.push(s);
      else this.byTrace.set(s.traceId, [s]);
    }
  }

  private spansOf(q: { services: readonly string[] } & TimeRange): Span[] {
    const services = new Set(q.services);
    return this.data.spans.filter((s) => services.has(s.service) && inRange(s.startTimeMs, q));
  }

  endpointStats(q: ServicesRange): Promise<EndpointStats[]> {
    const groups = new Map<string, { stats: EndpointStats; durations: number[] }>();
    for (const s of this.spansOf(q)) {
      if (s.kind !== 'server') continue;
      const { method, route } = endpointOf(s);
      const key = `${s.service}\u0000${method}\u0000${route}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { stats: { service: s.service, method, route, requests: 0, errors: 0, p95Ms: 0 }, durations: [] }));
      g.stats.requests += 1;
      if (isFailed(s)) g.stats.errors += 1;
      g.durations.push(s.durationMs);
    }
    const out = [...groups.values()].map((g) => ({ ...g.stats, p95Ms: p95(g.durations) }));
    out.sort((a, b) => b.requests - a.requests || a.service.localeCompare(b.service) || a.route.localeCompare(b.route));
    return Promise.resolve(out.slice(0, q.limit));
  }

  errorGroups(q: ServicesRange): Promise<ErrorGroup[]> {
    const groups = new Map<string, { group: ErrorGroup; traces: Set<string> }>();
    const ordered = this.spansOf(q)
      .filter((s) => s.statusCode === 'error')
      .sort((a, b) => a.startTimeMs - b.startTimeMs);
    for (const s of ordered) {
      const { type, message } = errorMessage(s);
      const template = messageTemplate(message);
      // One group per service and message: a server span and the client span that threw share it.
      const key = `${s.service}\u0000${template}`;
      let g = groups.get(key);
      if (!g) {
        g = {
          group: {
            service: s.service,
            fingerprint: template,
            exceptionType: '',
            message,
            count: 0,
            sampleTraceId: s.traceId,
            firstSeenVersion: s.serviceVersion,
            firstSeenMs: s.startTimeMs,
          },
          traces: new Set(),
        };
        groups.set(key, g);
      }
      if (type && !g.group.exceptionType) Object.assign(g.group, { exceptionType: type, fingerprint: `${type}: ${template}`, message });
      g.traces.add(s.traceId);
      g.group.count = g.traces.size;
    }
    const out = [...groups.values()].map((g) => g.group).sort((a, b) => b.count - a.count || a.firstSeenMs - b.firstSeenMs);
    return Promise.resolve(out.slice(0, q.limit));
  }

  exampleTraces(q: ServicesRange & { kind: ExampleKind; minDurationMs?: number; maxDurationMs?: number }): Promise<Example[]> {
    const spans = this.spansOf(q).sort((a, b) => a.startTimeMs - b.startTimeMs || a.spanId.localeCompare(b.spanId));
    const pick = (s: Span, kind: ExampleKind, detail: string): Example => ({
      traceId: s.traceId,
      kind,
      service: s.service,
      endpoint: endpointLabel(s),
      durationMs: s.durationMs,
      startTimeMs: s.startTimeMs,
      detail,
    });
    const out: Example[] = [];
    const taken = new Set<string>();
    const take = (s: Span, detail: string): void => {
      if (out.length >= q.limit || taken.has(s.traceId)) return;
      taken.add(s.traceId);
      out.push(pick(s, q.kind, detail));
    };
    if (q.kind === 'failing') {
      // The server span of a failing request shows its whole path; fall back to any failing span.
      for (const s of spans) if (s.kind === 'server' && isFailed(s)) take(s, errorMessage(s).message);
      for (const s of spans) if (isFailed(s)) take(s, errorMessage(s).message);
    } else if (q.kind === 'slow') {
      const min = q.minDurationMs ?? 0;
      // Slow but successful: a failing request is already shown by the failing examples.
      const slow = spans.filter((s) => s.kind === 'server' && s.durationMs >= min && !isFailed(s)).sort((a, b) => b.durationMs - a.durationMs);
      for (const s of slow) take(s, '');
    } else {
      const max = q.maxDurationMs ?? Infinity;
      for (const s of spans) {
        if (s.kind !== 'server' || s.durationMs > max) continue;
        if ((this.byTrace.get(s.traceId) ?? []).some(isFailed)) continue;
        take(s, '');
      }
    }
    return Promise.resolve(out);
  }

  affectedUsers(q: ServicesRange & { userAttribute: string }): Promise<{ affected: number; total: number; sample: string[] }> {
    const userOf = (s: Span): string => s.userId || s.attributes[q.userAttribute] || '';
    const all = new Set<string>();
    const affected = new Set<string>();
    const traces = new Set(this.spansOf(q).map((s) => s.traceId));
    for (const traceId of traces) {
      const trace = this.byTrace.get(traceId) ?? [];
      const users = trace.map(userOf).filter((u) => u !== '');
      const failed = trace.some((s) => q.services.includes(s.service) && isFailed(s));
      for (const u of users) {
        all.add(u);
        if (failed) affected.add(u);
      }
    }
    return Promise.resolve({ affected: affected.size, total: all.size, sample: [...affected].sort().slice(0, q.limit) });
  }

  entryTraffic(q: EntryTrafficQuery): Promise<EntryTrafficCounts> {
    const usual = new Map(q.usual.map((u) => [`${u.service}\u0000${u.method}\u0000${u.route}`, u.p95Ms]));
    const endpoints = new Map<string, { label: string; requests: number; ok: number; beyondUsual: number }>();
    const counts: EntryTrafficCounts = { requests: 0, failed: 0, slow: 0, slowed: 0, slowedEndpoints: [] };
    for (const s of this.spansOf(q)) {
      if (s.kind !== 'server') continue;
      const { method, route } = endpointOf(s);
      const key = `${s.service}\u0000${method}\u0000${route}`;
      let e = endpoints.get(key);
      if (!e) endpoints.set(key, (e = { label: endpointLabel(s), requests: 0, ok: 0, beyondUsual: 0 }));
      e.requests += 1;
      counts.requests += 1;
      if (isFailed(s)) {
        counts.failed += 1;
        continue;
      }
      e.ok += 1;
      const p95Ms = usual.get(key);
      if (s.durationMs >= (p95Ms !== undefined ? 2 * p95Ms : q.slowMs)) counts.slow += 1;
      if (p95Ms !== undefined && s.durationMs > p95Ms) e.beyondUsual += 1;
    }
    const slowed = [...endpoints.values()].filter((e) => e.ok >= q.minRequests && 2 * e.beyondUsual >= e.ok);
    slowed.sort((a, b) => b.requests - a.requests || a.label.localeCompare(b.label));
    counts.slowed = slowed.reduce((n, e) => n + e.requests, 0);
    counts.slowedEndpoints = slowed.slice(0, q.limit).map((e) => e.label);
    return Promise.resolve(counts);
  }

  logTemplates(q: ServicesRange & { onsetMs: number }): Promise<LogTemplateStats[]> {
    const services = new Set(q.services);
    const groups = new Map<string, LogTemplateStats>();
    for (const r of this.data.logs) {
      if (!services.has(r.service) || !inRange(r.timeMs, q)) continue;
      const template = messageTemplate(r.body);
      const key = `${r.service}\u0000${template}`;
      let g = groups.get(key);
      if (!g) {
        g = {
          service: r.service,
          template,
          before: 0,
          after: 0,
          maxSeverity: 0,
          sample: { timeMs: r.timeMs, severityText: r.severityText, body: r.body, traceId: r.traceId },
        };
        groups.set(key, g);
      }
      const afterOnset = r.timeMs >= q.onsetMs;
      if (afterOnset) g.after += 1;
      else g.before += 1;
      // Show a line from after the onset when there is one: that is the moment being investigated.
      if (afterOnset && g.after === 1) g.sample = { timeMs: r.timeMs, severityText: r.severityText, body: r.body, traceId: r.traceId };
      g.maxSeverity = Math.max(g.maxSeverity, r.severityNumber);
    }
    const out = [...groups.values()].sort((a, b) => b.after - a.after || a.template.localeCompare(b.template));
    return Promise.resolve(out.slice(0, q.limit));
  }

  changes(q: ServicesRange): Promise<ChangeEvent[]> {
    const services = new Set(q.services);
    const out = this.data.changes.filter((c) => services.has(c.service) && c.timeMs >= q.fromMs && c.timeMs <= q.toMs).sort((a, b) => a.timeMs - b.timeMs);
    return Promise.resolve(out.slice(0, q.limit));
  }
}
