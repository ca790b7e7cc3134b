// Context assembly: runs the bounded telemetry queries around an incident's onset and turns the
// answers into what the developer on call reads first. Only decisions live here; I/O is behind
// ContextQueries, so the same code runs over ClickHouse and over in-memory arrays.
import type {
  AffectedEndpoint,
  ContextLogLine,
  ContextQueries,
  ContextSubject,
  EndpointStats,
  ErrorGroup,
  ExampleTrace,
  IncidentContext,
  LogTemplateStats,
  TimeRange,
  UsualLatency,
} from './types.js';
import { count, percent } from '../format/index.js';

export interface ContextLimits {
  endpoints: number;
  errorGroups: number;
  failingTraces: number;
  slowTraces: number;
  healthyTraces: number;
  logs: number;
  changes: number;
  userSample: number;
  /** Rows fetched per endpoint query (before the affected ones are picked). */
  endpointRows: number;
}

export interface ContextOptions {
  nowMs: number;
  /** Customer-facing services impact is measured at; default: the incident's own services. */
  entryServices?: readonly string[];
  userAttribute?: string;
  /** How far before the onset "normal" is measured. */
  baselineMs?: number;
  /** The after-onset range is capped at this length. */
  maxAfterMs?: number;
  changeLookbackMs?: number;
  /** A log template is spiking when its rate after the onset is this many times the rate before. */
  spikeFactor?: number;
  /**
   * Entry requests of an endpoint with no usual latency of its own count as slow beyond this; default
   * twice the highest entry p95 before the onset (other endpoints: twice their own p95).
   */
  slowMs?: number;
  /** Prefix of deep links (the API root). */
  apiBase?: string;
  limits?: Partial<ContextLimits>;
}

export const defaultContextLimits: ContextLimits = {
  endpoints: 8,
  errorGroups: 8,
  failingTraces: 2,
  slowTraces: 2,
  healthyTraces: 1,
  logs: 30,
  changes: 10,
  userSample: 10,
  endpointRows: 200,
};

const warnSeverity = 13;

export async function assembleContext(incident: ContextSubject, queries: ContextQueries, options: ContextOptions): Promise<IncidentContext> {
  const limits = { ...defaultContextLimits, ...options.limits };
  const onsetMs = incident.startedAtMs;
  const baselineMs = options.baselineMs ?? 30 * 60_000;
  const endMs = Math.max(onsetMs + 1, Math.min(options.nowMs, incident.resolvedAtMs ?? Infinity, onsetMs + (options.maxAfterMs ?? 60 * 60_000)));
  const before: TimeRange = { fromMs: onsetMs - baselineMs, toMs: onsetMs };
  const after: TimeRange = { fromMs: onsetMs, toMs: endMs };
  const services = [...incident.services];
  const entryServices = options.entryServices?.length ? [...options.entryServices] : services;
  const apiBase = (options.apiBase ?? '/api/v1').replace(/\/+$/, '');

  const [statsBefore, statsAfter, entryBefore, errorGroups, users, templates, changes] = await Promise.all([
    queries.endpointStats({ services, ...before, limit: limits.endpointRows }),
    queries.endpointStats({ services, ...after, limit: limits.endpointRows }),
    queries.endpointStats({ services: entryServices, ...before, limit: limits.endpointRows }),
    queries.errorGroups({ services, ...after, limit: limits.errorGroups }),
    queries.affectedUsers({ services, ...after, limit: limits.userSample, userAttribute: options.userAttribute ?? 'enduser.id' }),
    queries.logTemplates({ services, fromMs: before.fromMs, toMs: after.toMs, onsetMs, limit: limits.logs * 4 }),
    queries.changes({ services, fromMs: onsetMs - (options.changeLookbackMs ?? 60 * 60_000), toMs: after.toMs, limit: limits.changes }),
  ]);
  const affectedEndpoints = compareEndpoints(statsBefore, statsAfter).slice(0, limits.endpoints);
  const slowMs = options.slowMs ?? slowThreshold(entryBefore);
  const usual = usualLatencies(entryBefore);
  const latencyRef = Math.max(1, ...affectedEndpoints.map((e) => e.before.p95Ms));
  // Failing examples come from where the top error group is, so their label shows the real error.
  const topGroup = rankErrorGroups(errorGroups)[0];
  const failingServices = topGroup ? [topGroup.service] : services;
  const [entry, failing, slow, healthy] = await Promise.all([
    queries.entryTraffic({ services: entryServices, ...after, slowMs, usual, minRequests: USUAL_MIN_REQUESTS, limit: limits.endpoints }),
    queries.exampleTraces({ services: failingServices, ...after, kind: 'failing', limit: limits.failingTraces }),
    queries.exampleTraces({ services, ...after, kind: 'slow', minDurationMs: latencyRef * 1.5, limit: limits.slowTraces }),
    queries.exampleTraces({ services, ...before, kind: 'healthy', maxDurationMs: latencyRef, limit: limits.healthyTraces }),
  ]);
  const seen = new Set<string>();
  const exampleTraces: ExampleTrace[] = [];
  for (const t of [...failing, ...slow, ...healthy]) {
    if (seen.has(t.traceId)) continue;
    seen.add(t.traceId);
    const label = `${t.kind}: ${t.service} ${t.endpoint} ${count(t.durationMs)} ms${t.detail ? `, ${t.detail}` : ''}`;
    exampleTraces.push({
      traceId: t.traceId,
      kind: t.kind,
      service: t.service,
      endpoint: t.endpoint,
      durationMs: t.durationMs,
      startTimeMs: t.startTimeMs,
      label,
      url: `${apiBase}/traces/${t.traceId}`,
    });
  }
  const percentUsers = users.total > 0 ? (100 * users.affected) / users.total : 0;
  return {
    assembledAtMs: options.nowMs,
    onsetMs,
    before,
    after,
    affectedEndpoints,
    errorGroups: rankErrorGroups(errorGroups).slice(0, limits.errorGroups),
    exampleTraces,
    logs: noteworthyLogs(templates, before, after, options.spikeFactor ?? 3).slice(0, limits.logs),
    changes: changes.slice(0, limits.changes),
    affectedUsers: {
      count: users.affected,
      total: users.total,
      percent: Math.round(percentUsers * 100) / 100,
      sample: users.sample.slice(0, limits.userSample),
    },
    entry: { services: entryServices, ...entry, slowThresholdMs: slowMs, usualFailedRatio: usualFailedRatio(entryBefore) },
    ...(incident.runbook ? { runbook: incident.runbook } : {}),
    links: deepLinks(apiBase, services, before.fromMs, after.toMs),
  };
}

/**
 * Exceptions are recorded where they are thrown, so a sizeable group that carries an exception
 * type is closer to the origin than the generic failures its callers report; it goes first.
 */
export function rankErrorGroups(groups: readonly ErrorGroup[]): ErrorGroup[] {
  const max = Math.max(0, ...groups.map((g) => g.count));
  const origin = (g: ErrorGroup): number => (g.exceptionType && g.count >= 0.1 * max ? 0 : 1);
  return [...groups].sort((a, b) => origin(a) - origin(b) || b.count - a.count || a.firstSeenMs - b.firstSeenMs);
}

const endpointKey = (s: EndpointStats): string => `${s.service}\u0000${s.method}\u0000${s.route}`;
const errorRate = (s: EndpointStats | undefined): number => (s && s.requests > 0 ? s.errors / s.requests : 0);

/** Endpoints whose error rate or latency moved after the onset, worst error change first. */
export function compareEndpoints(beforeStats: readonly EndpointStats[], afterStats: readonly EndpointStats[]): AffectedEndpoint[] {
  const prior = new Map(beforeStats.map((s) => [endpointKey(s), s]));
  const out: Array<AffectedEndpoint & { weight: number }> = [];
  for (const a of afterStats) {
    const b = prior.get(endpointKey(a));
    const rateBefore = errorRate(b);
    const rateAfter = errorRate(a);
    const p95Before = b?.p95Ms ?? 0;
    const errorsUp = rateAfter - rateBefore >= 0.01 && a.errors >= 3;
    const slower = p95Before > 0 && a.p95Ms >= 1.5 * p95Before && a.p95Ms - p95Before >= 20 && a.requests >= 5;
    if (!errorsUp && !slower) continue;
    const endpoint = a.method ? `${a.method} ${a.route}` : a.route;
    const parts: string[] = [];
    if (errorsUp) parts.push(`errors ${percent(rateBefore)} → ${percent(rateAfter)}`);
    parts.push(`p95 ${count(p95Before)} → ${count(a.p95Ms)} ms`);
    out.push({
      service: a.service,
      endpoint,
      before: { requests: b?.requests ?? 0, errorRate: rateBefore, p95Ms: p95Before },
      after: { requests: a.requests, errorRate: rateAfter, p95Ms: a.p95Ms },
      summary: `${parts.join(', ')} (${count(a.requests)} requests)`,
      // An extra percentage point of errors weighs like a doubling of p95.
      weight: (rateAfter - rateBefore) * 100 + (p95Before > 0 ? Math.log2(a.p95Ms / p95Before) : 0),
    });
  }
  out.sort((x, y) => y.weight - x.weight);
  return out.map(({ weight: _weight, ...e }) => e);
}

function usualFailedRatio(entryBefore: readonly EndpointStats[]): number {
  let requests = 0;
  let errors = 0;
  for (const s of entryBefore) {
    requests += s.requests;
    errors += s.errors;
  }
  return requests > 0 ? errors / requests : 0;
}

/**
 * Each entry endpoint is judged against its own usual latency, never the slowest endpoint's: a slow
 * checkout must not hide the home page doubling. A p95 needs USUAL_MIN_REQUESTS requests before
 * the onset to be known; endpoints without one fall back to the service-wide slow threshold.
 */
const USUAL_MIN_REQUESTS = 20;

function usualLatencies(entryBefore: readonly EndpointStats[]): UsualLatency[] {
  return entryBefore
    .filter((s) => s.requests >= USUAL_MIN_REQUESTS && s.p95Ms > 0)
    .map((s) => ({ service: s.service, method: s.method, route: s.route, p95Ms: s.p95Ms }));
}

/** For endpoints with no usual latency of their own: twice the highest entry p95 before the onset. */
function slowThreshold(entryBefore: readonly EndpointStats[]): number {
  const p95 = Math.max(0, ...entryBefore.map((s) => s.p95Ms));
  return p95 > 0 ? 2 * p95 : 1000;
}

/** New templates first, then spiking ones, then warnings and errors; steady info lines are noise. */
export function noteworthyLogs(templates: readonly LogTemplateStats[], before: TimeRange, after: TimeRange, spikeFactor: number): ContextLogLine[] {
  const beforeMin = Math.max(1, (before.toMs - before.fromMs) / 60_000);
  const afterMin = Math.max(1 / 60, (after.toMs - after.fromMs) / 60_000);
  const ranked: Array<{ line: ContextLogLine; rank: number }> = [];
  for (const t of templates) {
    if (t.after === 0) continue;
    const spiking = t.before > 0 && t.after / afterMin >= (spikeFactor * t.before) / beforeMin && t.after >= 5;
    const reason: ContextLogLine['reason'] | undefined =
      t.before === 0 ? 'new-template' : spiking ? 'spiking-template' : t.maxSeverity >= warnSeverity ? 'error' : undefined;
    if (!reason) continue;
    const rank = (reason === 'new-template' ? 0 : reason === 'spiking-template' ? 1 : 2) * 2 + (t.maxSeverity >= warnSeverity ? 0 : 1);
    ranked.push({ rank, line: { ...t.sample, service: t.service, template: t.template, reason, before: t.before, after: t.after } });
  }
  ranked.sort((a, b) => a.rank - b.rank || b.line.after - a.line.after);
  return ranked.map((r) => r.line);
}

function deepLinks(apiBase: string, services: readonly string[], fromMs: number, toMs: number): IncidentContext['links'] {
  const range = `from=${encodeURIComponent(new Date(fromMs).toISOString())}&to=${encodeURIComponent(new Date(toMs).toISOString())}`;
  const svc = (s: string): string => `service=${encodeURIComponent(s)}`;
  return {
    traces: services.map((s) => `${apiBase}/spans?${svc(s)}&status=error&${range}`),
    logs: services.map((s) => `${apiBase}/logs?${svc(s)}&${range}`),
    metrics: services.map((s) => `${apiBase}/red?${svc(s)}&groupBy=route&${range}`),
  };
}
