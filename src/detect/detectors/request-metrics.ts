// Request metrics: a service's latency and failed requests that arrive as metric points, not spans —
// a load balancer's or gateway's figures, Prometheus users without tracing, CloudWatch exports. The
// span detectors never see them, so without this a service known only from such metrics could be
// slow or failing unnoticed. The test is resource-shift's robust shift (windows sized from the
// series' own spacing) with the effect sizes the span latency and error-rate detectors demand, from
// their own `detect:` sections. Fires `metric-anomaly` signals carrying the robust z the ranking reads.
import type { CounterSample, Detector, DetectorContext, Evaluation, HistogramSample, MetricSample } from '../detector.js';
import { byName, metricWords, resourceClassOf } from '../resources.js';
import { count, duration } from '../format.js';
import { addPoint, resourceShiftParams, robustShift, type ShiftVerdict } from './resource-shift.js';
import { pointSpacing, recentPoints, windowsFor } from './point-spacing.js';
import { breaksCleanRecord, breaksYoungRecord, CLEAN_RECORD_MS } from './error-rate.js';
import { watched } from './metric-anomaly.js';
import { habitual, type ExcursionMemory } from './habits.js';

/** What a request-level metric measures: the latency of a point's requests, how many failed (or what share), or how many there were. */
export type RequestMeasure = 'latency' | 'failures' | 'failureRatio' | 'requests';

// Read on metricWords' form: lower-case words joined by `_`.
const LATENCY = /(^|_)(duration|latency|response_?time)(_|$)/;
const FAILURES = /(^|_)(errors?|failures?|failed|faults?)(_|$)/;
const REQUESTS = /(^|_)(requests?|calls|hits)(_|$)/;
/** A failure figure that is a share of the requests (an error rate in a recording rule or an export), not a count. */
const SHARE = /(^|_)(rate|ratio|percent|percentage|pct|share)(_|$)/;
/** CPU or memory requests are a container's reservation, not traffic. */
const RESOURCE_WORD = /(^|_)(cpu|memory|mem)(_|$)/;
/**
 * Parts of a histogram are not the figure itself. A percentile gauge (`latency_p99`, `latency-90`)
 * is: where a system exports only percentiles, they are all there is to judge.
 */
const PART = /_(bucket|count|sum|max|min)$/i;

/** The measure a gauge's name gives (semantic-convention, Prometheus and camelCase names alike), or undefined for any other metric. */
export const requestMeasureOf = byName((metric: string): RequestMeasure | undefined => {
  const name = metricWords(metric);
  // Prometheus's `_count` suffix marks a histogram's part; OpenTelemetry's `.count` is a count of its own.
  if (resourceClassOf(name) || PART.test(metric) || RESOURCE_WORD.test(name)) return undefined;
  if (LATENCY.test(name)) return 'latency';
  if (FAILURES.test(name)) return SHARE.test(name) ? 'failureRatio' : 'failures';
  return REQUESTS.test(name) ? 'requests' : undefined;
});

/** Milliseconds per unit of a latency gauge: semantic conventions report seconds. */
function msPerUnit(unit: string, name: string): number {
  const words = metricWords(name);
  if (unit === 'ms' || /_(ms|milliseconds)$/.test(words)) return 1;
  if (unit === 'us' || /_(us|microseconds)$/.test(words)) return 0.001;
  return 1000;
}

interface RequestSeries extends ExcursionMemory {
  service: string;
  metric: string;
  measure: RequestMeasure;
  unit: string;
  version: string;
  /** Series of the same service and attributes: failures and latency are judged per request of it. */
  group: string;
  /** [timeMs, value, inBaseline 1|0], oldest first, one per bucket at most. */
  points: Array<[number, number, number]>;
  /** Failures: when the series was first seen, and its failing points (the judged window's and the newest before it). */
  firstMs?: number;
  failedAtMs?: number[];
  /** Failures: paging because a clean record broke (held while failures go on). */
  recordBroken?: true;
  /** The break a held page reports: when its failures began and the record they broke. */
  breakage?: { onsetMs: number; cleanForMs: number; quietRequests?: number };
  /** Failures: when the first was seen. Before it, the requests of the group counted since the series was first seen, up to `quietToMs`. */
  firstFailedMs?: number;
  quietRequests?: number;
  quietToMs?: number;
  /** Worked out from a request histogram's or counter's totals: judged only while the service sends no spans (their detectors judge it then). */
  derived?: true;
}

export interface RequestMetricsState {
  series: Record<string, RequestSeries>;
  /** A request histogram's or counter's last running count and sum, per attribute set: each export's increments are the difference. */
  totals?: Record<string, [timeMs: number, count: number, sum: number]>;
  /** When each service's request histogram or counter was first read: an attribute set that appears later (a first 500) started after it. */
  firstRead?: Record<string, number>;
}

function attrsKey(a: Readonly<Record<string, string>>): string {
  return Object.keys(a)
    .sort()
    .map((k) => `${k}=${a[k] ?? ''}`)
    .join(',');
}

function seriesFor(state: RequestMetricsState, m: MetricSample, kpis: readonly string[]): RequestSeries | undefined {
  const measure = requestMeasureOf(m.name);
  // Business KPIs (kpi.orders.failed …) are the metric-anomaly scorer's, judged by their own cycle.
  if (!measure || !Number.isFinite(m.value) || watched(m.name, kpis)) return undefined;
  return noteSeries(state, `${m.service}|${attrsKey(m.attributes)}`, m, m.name, measure);
}

function noteSeries(
  state: RequestMetricsState,
  group: string,
  m: Pick<MetricSample, 'service' | 'serviceVersion' | 'unit' | 'timeMs' | 'value'>,
  metric: string,
  measure: RequestMeasure,
): RequestSeries {
  const s = (state.series[`${group}|${metric}`] ??= { service: m.service, metric, measure, unit: m.unit, version: m.serviceVersion, group, points: [] });
  s.version = m.serviceVersion || s.version;
  if (measure === 'failures') {
    s.firstMs ??= m.timeMs;
    if (m.value > 0 && s.failedAtMs?.[s.failedAtMs.length - 1] !== m.timeMs) (s.failedAtMs ??= []).push(m.timeMs);
    // A snapshot from before `firstFailedMs` was kept knows earlier failures only by `failedAtMs`.
    if (m.value > 0) s.firstFailedMs = Math.min(s.firstFailedMs ?? s.failedAtMs?.[0] ?? m.timeMs, m.timeMs);
  }
  return s;
}

/**
 * Whether a request histogram's or counter's attribute set counts failed requests: a server-side
 * 5xx, a gRPC status that is the server's fault, a Micrometer SERVER_ERROR outcome, or an
 * `error.type` (semantic conventions set it on a failed server request). Client mistakes (4xx) are not.
 */
export function failedRequest(attributes: Readonly<Record<string, string>>): boolean {
  for (const key of ['http.response.status_code', 'http.status_code', 'status_code', 'code', 'status', 'http_status']) {
    if (/^5(\d\d|xx)$/i.test(String(attributes[key] ?? ''))) return true;
  }
  const grpc = String(attributes['rpc.grpc.status_code'] ?? attributes['grpc_code'] ?? attributes['grpc.code'] ?? '');
  if (/^(2|4|12|13|14|15|unknown|deadline_?exceeded|unimplemented|internal|unavailable|data_?loss)$/i.test(grpc)) return true;
  if (/^(server_error|error|failure|failed)$/i.test(String(attributes['outcome'] ?? attributes['result'] ?? ''))) return true;
  return Boolean(attributes['error.type']);
}

/**
 * A running total's increment since its last reading. The metric's very first reading has none (its
 * total holds an unknown past); an attribute set first seen in a later export (the first 500 of a
 * route) began after the one before, so all of it is new; a total that went down restarted from zero.
 */
function increment(
  state: RequestMetricsState,
  metric: string,
  attributes: string,
  x: Pick<HistogramSample, 'timeMs' | 'cumulative'>,
  count: number,
  sum: number,
): [number, number] | undefined {
  if (!x.cumulative) return [count, sum];
  const totals = (state.totals ??= {});
  const firstRead = ((state.firstRead ??= {})[metric] ??= x.timeMs);
  const key = `${metric}\u0000${attributes}`;
  const last = totals[key];
  // A reading no newer than the last (a retried or late export) is no news and must not become the reference.
  if (last && x.timeMs <= last[0]) return undefined;
  totals[key] = [x.timeMs, count, sum];
  if (!last) return firstRead < x.timeMs ? [count, sum] : undefined;
  return count >= last[1] ? [count - last[1], sum - last[2]] : [count, sum];
}

/** Totals not read for this long are forgotten: exporters repeat every attribute set each interval, so one missing that long is gone. */
const TOTALS_KEPT_MS = 60 * 60_000;

function forgetTotals(state: RequestMetricsState, nowMs: number): void {
  const totals = state.totals;
  if (!totals) return;
  const live = new Set<string>();
  for (const key of Object.keys(totals)) {
    if (totals[key]![0] < nowMs - TOTALS_KEPT_MS) delete totals[key];
    else live.add(key.slice(0, key.indexOf('\u0000')));
  }
  for (const metric of Object.keys(state.firstRead ?? {})) if (!live.has(metric)) delete state.firstRead![metric];
}

/** A client's view of its calls (`http.client.request.duration`): its callees' figures, not its own requests. */
const clientSide = byName((name: string): boolean => /(^|_)client(_|$)/.test(metricWords(name)));

/** One metric's export of one service, all its attribute sets added up. */
interface ExportTotals {
  service: string;
  serviceVersion: string;
  metric: string;
  unit: string;
  timeMs: number;
  requests: number;
  failed: number;
  sum: number;
  latency: boolean;
  failures: boolean;
  /** Whether any attribute set gave an increment (not only first readings). */
  known: boolean;
}

/**
 * Requests, failed requests and the mean duration of each export, from the request-duration
 * histograms and request / error counters of services known from metrics (OpenTelemetry SDKs
 * export `http.server.request.duration` as a histogram, Prometheus `http_requests_total{code}`).
 * Every attribute set (route, method, status) of one metric and export adds up to one point.
 */
function noteTotals(state: RequestMetricsState, histograms: readonly HistogramSample[], counters: readonly CounterSample[], nowMs: number): void {
  forgetTotals(state, nowMs);
  const exports = new Map<string, ExportTotals>();
  const add = (x: HistogramSample | CounterSample, measure: RequestMeasure, count: number, sum: number): void => {
    const d = increment(state, `${x.service}|${x.name}`, attrsKey(x.attributes), x, count, sum);
    const key = `${x.service}|${x.name}|${x.timeMs}`;
    const e = exports.get(key) ?? {
      service: x.service,
      serviceVersion: x.serviceVersion,
      metric: x.name,
      unit: x.unit,
      timeMs: x.timeMs,
      requests: 0,
      failed: 0,
      sum: 0,
      latency: false,
      failures: false,
      known: false,
    };
    exports.set(key, e);
    e.latency ||= measure === 'latency';
    e.failures ||= measure === 'failures';
    if (!d || !(d[0] >= 0)) return;
    e.known = true;
    if (measure !== 'failures') e.requests += d[0];
    if (measure === 'failures' || failedRequest(x.attributes)) e.failed += d[0];
    e.sum += d[1];
  };
  for (const h of histograms)
    if (requestMeasureOf(h.name) === 'latency' && !clientSide(h.name) && Number.isFinite(h.count) && Number.isFinite(h.sum)) add(h, 'latency', h.count, h.sum);
  for (const c of counters) {
    const measure = clientSide(c.name) ? undefined : requestMeasureOf(c.name);
    if ((measure === 'requests' || measure === 'failures') && Number.isFinite(c.value)) add(c, measure, c.value, 0);
  }
  for (const e of exports.values()) {
    if (!e.known) continue; // the first reading: no increment yet
    const group = `${e.service}|totals:${e.metric}`;
    const point = (metric: string, measure: RequestMeasure, value: number): void => {
      const s = noteSeries(state, group, { ...e, unit: measure === 'latency' ? e.unit : '{request}', value }, metric, measure);
      s.derived = true;
      addPoint(s, e.timeMs, value, 1);
    };
    if (!e.failures) point(`${e.metric} requests`, 'requests', e.requests);
    point(`${e.metric} failed`, 'failures', e.failed);
    if (e.latency && e.requests > 0) point(`${e.metric} mean`, 'latency', e.sum / e.requests);
  }
}

/** Failures and requests of a window's points: the series' own, and its group's request counts. */
function sumIn(points: ReadonlyArray<readonly [number, number, number]>, fromMs: number, toMs: number): number {
  let sum = 0;
  for (let i = points.length - 1; i >= 0 && points[i]![0] > fromMs; i--) if (points[i]![0] <= toMs) sum += points[i]![1];
  return sum;
}

interface CleanRecordVerdict {
  errors: number;
  requests: number;
  cleanForMs: number;
  fromMs: number;
  /** The series never failed before (its record is younger than a day): the requests it served clean. */
  quietRequests?: number;
  /** When the failures that broke the record began. */
  onsetMs?: number;
}

/** A series that never failed: add its group's requests up to `toMs` to those it served clean (counted once each). */
function countQuiet(s: RequestSeries, requests: RequestSeries, toMs: number): number {
  const fromMs = Math.max(s.quietToMs ?? -Infinity, (s.firstMs ?? toMs) - 1);
  // Runs every tick: only the points since the last count are read, newest first.
  s.quietRequests = (s.quietRequests ?? 0) + sumIn(requests.points, fromMs, toMs);
  s.quietToMs = Math.max(toMs, s.quietToMs ?? -Infinity);
  return s.quietRequests;
}

/**
 * The error-rate detector's clean-record rule for failures that arrive as metrics: a series that
 * failed nothing for a day now fails at least two requests and `minIncrease` of them (see
 * `breaksCleanRecord`); one that never failed since it was first seen, less than a day ago, fails
 * more than the requests it served clean allow (`breaksYoungRecord`). Its robust z cannot say so: a
 * near-zero baseline puts a handful of failures under the Poisson floor. The window is one export
 * interval, or the span detector's window when exports are denser; the requests are the group's
 * count series over the same points. Once broken, the page holds while the window still fails
 * `minIncrease` of its requests.
 */
function cleanRecordBroken(ctx: DetectorContext, s: RequestSeries, requests: RequestSeries | undefined): CleanRecordVerdict | undefined {
  if (s.measure !== 'failures' || s.firstMs === undefined) return undefined;
  const c = ctx.config.errorRate;
  const spacing = pointSpacing(s.points) ?? 0;
  const fromMs = ctx.nowMs - Math.max(c.windowMs, spacing);
  // A young record is judged over the error-rate detector's long window, two exports at least: a
  // first export that fails under the minimum and a second that fails more are one break.
  const youngFromMs = ctx.nowMs - Math.max(c.longWindowMs, 2 * spacing);
  const failed = s.failedAtMs ?? [];
  // Of the failures before the window only the newest is needed: it ends the clean record.
  const older = failed.filter((t) => t <= fromMs).length;
  if (older > 1) failed.splice(0, older - 1);
  if (!requests) return undefined;
  const lastBefore = failed[0] !== undefined && failed[0] <= fromMs ? failed[0] : undefined;
  const cleanForMs = fromMs - (lastBefore ?? s.firstMs);
  // A snapshot from before `firstFailedMs` was kept still knows the series failed by `failedAtMs`.
  const firstFailed = Math.min(s.firstFailedMs ?? Infinity, failed[0] ?? Infinity);
  const young = firstFailed > youngFromMs && youngFromMs - s.firstMs < CLEAN_RECORD_MS;
  const quiet = young ? countQuiet(s, requests, youngFromMs) : undefined;
  // Most series that failed before have no day-long clean record: they are done here, before any sum (this runs every tick).
  if (!s.recordBroken && cleanForMs < CLEAN_RECORD_MS && !young) return undefined;
  const v: CleanRecordVerdict = { errors: sumIn(s.points, fromMs, ctx.nowMs), requests: sumIn(requests.points, fromMs, ctx.nowMs), cleanForMs, fromMs };
  const held = s.breakage;
  if (s.recordBroken && held && v.requests > 0 && v.errors / v.requests >= c.minIncrease) return { ...v, ...held };
  const broke = (verdict: CleanRecordVerdict): CleanRecordVerdict => {
    s.recordBroken = true;
    const onsetMs = s.failedAtMs?.find((t) => t > verdict.fromMs) ?? ctx.nowMs;
    s.breakage = { onsetMs, cleanForMs: verdict.cleanForMs, ...(verdict.quietRequests !== undefined ? { quietRequests: verdict.quietRequests } : {}) };
    return { ...verdict, onsetMs };
  };
  if (breaksCleanRecord(v.errors, v.requests, v.cleanForMs, c)) return broke(v);
  if (quiet !== undefined) {
    const alpha = ctx.alphaFor(c.alpha, s.firstMs);
    // Its first failures in one export, as the day-long rule judges them; else since they began.
    if (lastBefore === undefined && breaksYoungRecord(v.errors, v.requests, quiet, c, alpha, ctx.config.latency.minSamples))
      return broke({ ...v, quietRequests: quiet });
    // Since the first failure only: a clean export before it would lend its requests to a view that fails all of its few.
    const sinceMs = Math.max(youngFromMs, Math.min(firstFailed, ctx.nowMs) - 1);
    const since: CleanRecordVerdict = {
      errors: sumIn(s.points, sinceMs, ctx.nowMs),
      requests: sumIn(requests.points, sinceMs, ctx.nowMs),
      cleanForMs: sinceMs - s.firstMs,
      fromMs: sinceMs,
      quietRequests: quiet,
    };
    if (breaksYoungRecord(since.errors, since.requests, quiet, c, alpha, ctx.config.latency.minSamples)) return broke(since);
  }
  delete s.recordBroken;
  delete s.breakage;
  return undefined;
}

/**
 * Whether a shift is as large as the span detectors would demand of the same requests: latency at
 * least minRatio × usual and minDeltaMs slower over at least minSamples requests; failures judged
 * as counts (never below Poisson noise, so one failure against none is no news), at least
 * minErrors, and when the requests are known, a ratio minRatio × the usual and minIncrease above it.
 */
function passes(ctx: DetectorContext, s: RequestSeries, v: ShiftVerdict, traffic: ShiftVerdict | undefined, z: number): boolean {
  if (z < resourceShiftParams.minZ) return false;
  if (s.measure === 'latency') {
    const c = ctx.config.latency;
    return (
      (traffic === undefined || traffic.recent >= c.minSamples) &&
      v.recent >= c.minRatio * v.usual &&
      (v.recent - v.usual) * msPerUnit(s.unit, s.metric) >= c.minDeltaMs
    );
  }
  const c = ctx.config.errorRate;
  if (s.measure === 'failureRatio') {
    // The error-rate detector's effect sizes on the share itself; with a request count beside it, its minimum of failed requests too.
    const [ratio, usualRatio] = [v.recent / percentScale(s, v), Math.max(0, v.usual) / percentScale(s, v)];
    if (traffic && traffic.recent > 0 && ratio * traffic.recent < c.minErrors) return false;
    return ratio >= c.minRatio * usualRatio && ratio - usualRatio >= c.minIncrease;
  }
  if (v.recent < c.minErrors) return false;
  if (!traffic || traffic.recent <= 0) return true;
  const ratio = v.recent / traffic.recent;
  const usualRatio = traffic.usual > 0 ? Math.max(0, v.usual) / traffic.usual : 0;
  return ratio >= c.minRatio * usualRatio && ratio - usualRatio >= c.minIncrease;
}

/** 100 when a failure share is given in percent (its unit, its name, or a value no share can reach), else 1. */
function percentScale(s: RequestSeries, v: Pick<ShiftVerdict, 'recent' | 'usual'>): number {
  return s.unit === '%' || /%|percent|pct/i.test(s.metric) || v.recent > 1 || v.usual > 1 ? 100 : 1;
}

/** The shift's robust z; failures are counts, so their noise is never below Poisson's √usual. */
function shiftZ(s: RequestSeries, v: ShiftVerdict): number {
  if (s.measure !== 'failures' || v.z <= 0) return v.z;
  const scale = Math.max((v.recent - v.usual) / v.z, Math.sqrt(Math.max(v.usual, 1)));
  return (v.recent - v.usual) / scale;
}

function describe(s: RequestSeries, value: number): string {
  if (s.measure === 'latency') return `${count(Math.round(value * msPerUnit(s.unit, s.metric)))} ms`;
  if (s.measure === 'failureRatio') return `${Math.round((value / percentScale(s, { recent: value, usual: 0 })) * 1000) / 10}%`;
  return Math.abs(value) >= 10 ? count(value) : String(Math.round(value * 100) / 100);
}

function cleanRecordEvaluation(
  ctx: DetectorContext,
  key: string,
  subject: Evaluation['subject'],
  s: RequestSeries,
  clean: CleanRecordVerdict,
  z: number,
  usual: number,
): Evaluation {
  const onset = clean.onsetMs ?? s.failedAtMs?.find((t) => t > clean.fromMs) ?? ctx.nowMs;
  // The size the ranking reads: the window's failures per export over the Poisson floor (a count's
  // noise is never below it). The robust z of the median still holds the clean points before the break.
  const exports = Math.max(1, s.points.filter((x) => x[0] > clean.fromMs && x[0] <= ctx.nowMs).length);
  const size = Math.max(z, (clean.errors / exports - Math.max(0, usual)) / Math.sqrt(Math.max(usual, 1)));
  return {
    key,
    kind: 'metric-anomaly',
    subject,
    state: 'anomalous',
    draft: {
      startedAtMs: onset,
      window: { fromMs: clean.fromMs, toMs: ctx.nowMs },
      observed: clean.errors,
      baseline: usual,
      unit: s.unit || 'value',
      pValue: Number.NaN,
      // As strong as the smallest shift that pages: the evidence is the broken record, not the size.
      score: 0.5 + Math.log10(2) / 2,
      summary:
        `${s.service} ${s.metric}: ${count(clean.errors)} of ${count(clean.requests)} requests failed over the last ${duration(ctx.nowMs - clean.fromMs)}, ` +
        (clean.quietRequests !== undefined
          ? `the first failures since it was first seen ${duration(clean.cleanForMs)} before, ${count(clean.quietRequests)} requests without one`
          : `the first failures after ${duration(clean.cleanForMs)} without one`),
      evidence: {
        request: s.measure,
        robustZ: Math.round(size * 10) / 10,
        value: clean.errors,
        usual,
        errors: clean.errors,
        requests: clean.requests,
        cleanRecordMs: clean.cleanForMs,
        ...(clean.quietRequests !== undefined ? { cleanRequests: clean.quietRequests } : {}),
      },
    },
  };
}

export const requestMetricsDetector: Detector<RequestMetricsState> = {
  name: 'request-metrics',
  initialState: () => ({ series: {} }),
  evaluate(ctx, state) {
    const bucketMs = ctx.config.bucketMs;
    for (const m of ctx.metrics) {
      const s = seriesFor(state, m, ctx.config.metricAnomaly.metrics);
      if (s) addPoint(s, m.timeMs, m.value, bucketMs);
    }
    noteTotals(state, ctx.histograms ?? [], ctx.counters ?? [], ctx.nowMs);
    // Services whose spans the engine reads: their latency and failures are the span detectors' to judge.
    const traced = new Set(ctx.series.map((x) => x.service));
    const traffic = new Map<string, RequestSeries>();
    for (const s of Object.values(state.series)) if (s.measure === 'requests') traffic.set(s.group, s);
    const out: Evaluation[] = [];
    for (const id of Object.keys(state.series)) {
      const s = state.series[id]!;
      const p = windowsFor(s.points, resourceShiftParams);
      let drop = 0;
      while (drop < s.points.length && s.points[drop]![0] <= ctx.nowMs - p.recentMs - p.baselineMs) drop++;
      if (drop > 0) s.points.splice(0, drop);
      const key = `metric-anomaly|request|${id}`;
      const firing = ctx.isFiring(key);
      const subject = { service: s.service, metric: s.metric, version: s.version };
      if (s.points.length === 0) {
        if (firing) out.push({ key, kind: 'metric-anomaly', subject, state: 'normal' });
        else delete state.series[id];
        continue;
      }
      if (s.measure === 'requests' || (s.derived && traced.has(s.service) && !firing)) continue;
      const fresh = ctx.nowMs - s.points[s.points.length - 1]![0] <= p.recentMs;
      const v = fresh ? robustShift(s.points, ctx.nowMs, p) : undefined;
      // As in resource-shift: a missed export holds a firing shift until the window fills again.
      if (fresh && v === undefined && firing && recentPoints(s.points, ctx.nowMs, p) < 2) {
        out.push({ key, kind: 'metric-anomaly', subject, state: 'elevated' });
        continue;
      }
      const requests = traffic.get(s.group);
      const load = requests ? robustShift(requests.points, ctx.nowMs, windowsFor(requests.points, resourceShiftParams)) : undefined;
      const z = v ? shiftZ(s, v) : 0;
      const clean = fresh ? cleanRecordBroken(ctx, s, requests) : undefined;
      if (clean && !(v !== undefined && passes(ctx, s, v, load, z))) {
        for (const x of s.points) if (x[0] > clean.fromMs) x[2] = 0;
        out.push(cleanRecordEvaluation(ctx, key, subject, s, clean, z, v?.usual ?? 0));
        continue;
      }
      const passing = v !== undefined && passes(ctx, s, v, load, z);
      // "As high": not a rise this detector would page on over an earlier peak (its own minimum ratio).
      const minRatio = s.measure === 'latency' ? ctx.config.latency.minRatio : ctx.config.errorRate.minRatio;
      const habit = v !== undefined && habitual(s, passing, v.recent, v.recent / minRatio, ctx.nowMs, p.recentMs) && !firing;
      const anomalous = passing && !habit;
      // Half the robust z is a move worth remembering, not paging on: weak evidence for the ranking (so is a habit's).
      const elevated = !anomalous && v !== undefined && z >= resourceShiftParams.minZ / 2 && v.recent > v.usual;
      if (anomalous || elevated) for (const x of s.points) if (x[0] > ctx.nowMs - p.recentMs) x[2] = 0;
      if (!anomalous && !elevated && !firing) continue;
      const e: Evaluation = { key, kind: 'metric-anomaly', subject, state: anomalous ? 'anomalous' : elevated ? 'elevated' : 'normal' };
      if ((anomalous || elevated) && v) {
        const onset = s.points.find((x) => x[0] > ctx.nowMs - p.recentMs && (x[1] - v.usual) / Math.max(1e-9, v.recent - v.usual) >= 0.5)?.[0];
        e.draft = {
          startedAtMs: onset ?? s.points[s.points.length - 1]![0],
          window: { fromMs: v.fromMs, toMs: ctx.nowMs },
          observed: v.recent,
          baseline: v.usual,
          unit: s.unit || 'value',
          pValue: Number.NaN,
          score: Math.min(1, 0.5 + Math.log10(z / resourceShiftParams.minZ + 1) / 2),
          summary: `${s.service} ${s.metric} rose to ${describe(s, v.recent)} from a usual ${describe(s, v.usual)} (robust z ${z.toFixed(0)} over the last ${duration(ctx.nowMs - v.fromMs)})`,
          evidence: {
            request: s.measure,
            robustZ: Math.round(z * 10) / 10,
            value: v.recent,
            usual: v.usual,
            riseShare: v.usual !== 0 ? Math.round((v.recent / v.usual - 1) * 1000) / 1000 : 0,
            // What the ranking compares between a caller and its callee: time added to each request.
            ...(s.measure === 'latency' ? { riseMs: Math.round((v.recent - v.usual) * msPerUnit(s.unit, s.metric) * 10) / 10 } : {}),
          },
        };
      }
      out.push(e);
    }
    return out;
  },
};
