// Request metrics: a service's latency and failed requests that arrive as metric points, not spans —
// a load balancer's or gateway's figures, Prometheus users without tracing, CloudWatch exports. The
// span detectors never see them, so without this a service known only from such metrics could be
// slow or failing unnoticed. The test is resource-shift's robust shift (windows sized from the
// series' own spacing) with the effect sizes the span latency and error-rate detectors demand, from
// their own `detect:` sections. Fires `metric-anomaly` signals carrying the robust z the ranking reads.
import type { Detector, DetectorContext, Evaluation, MetricSample } from '../detector.js';
import { resourceClassOf } from '../resources.js';
import { count, duration } from '../format.js';
import { addPoint, resourceShiftParams, robustShift, type ShiftVerdict } from './resource-shift.js';
import { pointSpacing, recentPoints, windowsFor } from './point-spacing.js';
import { breaksCleanRecord, CLEAN_RECORD_MS } from './error-rate.js';
import { watched } from './metric-anomaly.js';

/** What a request-level metric measures: the latency of a point's requests, how many failed, or how many there were. */
export type RequestMeasure = 'latency' | 'failures' | 'requests';

const LATENCY = /(^|[._])(duration|latency|response[._]?time)([._]|$)/i;
const FAILURES = /(^|[._])(errors?|failures?|failed|faults?)([._]|$)/i;
const REQUESTS = /(^|[._])(requests?|calls|hits)([._]|$)/i;
/** Parts of a histogram or summary are not the figure itself. */
const PART = /(_bucket|_count|_sum|_max|_min|[._]p\d+)$/i;

/** The measure a gauge's name gives (semantic-convention and Prometheus names alike), or undefined for any other metric. */
export function requestMeasureOf(name: string): RequestMeasure | undefined {
  if (resourceClassOf(name) || PART.test(name)) return undefined;
  if (LATENCY.test(name)) return 'latency';
  if (FAILURES.test(name)) return 'failures';
  return REQUESTS.test(name) ? 'requests' : undefined;
}

/** Milliseconds per unit of a latency gauge: semantic conventions report seconds. */
function msPerUnit(unit: string, name: string): number {
  if (unit === 'ms' || /(_ms|milliseconds)$/i.test(name)) return 1;
  if (unit === 'us' || /microseconds$/i.test(name)) return 0.001;
  return 1000;
}

interface RequestSeries {
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
}

export interface RequestMetricsState {
  series: Record<string, RequestSeries>;
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
  const group = `${m.service}|${attrsKey(m.attributes)}`;
  const s = (state.series[`${group}|${m.name}`] ??= {
    service: m.service,
    metric: m.name,
    measure,
    unit: m.unit,
    version: m.serviceVersion,
    group,
    points: [],
  });
  s.version = m.serviceVersion || s.version;
  if (measure === 'failures') {
    s.firstMs ??= m.timeMs;
    if (m.value > 0 && s.failedAtMs?.[s.failedAtMs.length - 1] !== m.timeMs) (s.failedAtMs ??= []).push(m.timeMs);
  }
  return s;
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
}

/**
 * The error-rate detector's clean-record rule for failures that arrive as metrics: a series that
 * failed nothing for a day now fails at least two requests and `minIncrease` of them (see
 * `breaksCleanRecord`). Its robust z cannot say so: a near-zero baseline puts a handful of failures
 * under the Poisson floor. The window is one export interval, or the span detector's window when
 * exports are denser; the requests are the group's count series over the same points. Once broken,
 * the page holds while the window still fails `minIncrease` of its requests.
 */
function cleanRecordBroken(ctx: DetectorContext, s: RequestSeries, requests: RequestSeries | undefined): CleanRecordVerdict | undefined {
  if (s.measure !== 'failures' || s.firstMs === undefined) return undefined;
  const c = ctx.config.errorRate;
  const fromMs = ctx.nowMs - Math.max(c.windowMs, pointSpacing(s.points) ?? 0);
  const failed = s.failedAtMs ?? [];
  // Of the failures before the window only the newest is needed: it ends the clean record.
  const older = failed.filter((t) => t <= fromMs).length;
  if (older > 1) failed.splice(0, older - 1);
  if (!requests) return undefined;
  const lastBefore = failed[0] !== undefined && failed[0] <= fromMs ? failed[0] : undefined;
  const cleanForMs = fromMs - (lastBefore ?? s.firstMs);
  // Most series have no day-long clean record: they are done here, before any sum (this runs every tick).
  if (!s.recordBroken && cleanForMs < CLEAN_RECORD_MS) return undefined;
  const v: CleanRecordVerdict = { errors: sumIn(s.points, fromMs, ctx.nowMs), requests: sumIn(requests.points, fromMs, ctx.nowMs), cleanForMs, fromMs };
  const holding = s.recordBroken === true && v.requests > 0 && v.errors / v.requests >= c.minIncrease;
  if (holding || breaksCleanRecord(v.errors, v.requests, v.cleanForMs, c)) {
    s.recordBroken = true;
    return v;
  }
  delete s.recordBroken;
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
  if (v.recent < c.minErrors) return false;
  if (!traffic || traffic.recent <= 0) return true;
  const ratio = v.recent / traffic.recent;
  const usualRatio = traffic.usual > 0 ? Math.max(0, v.usual) / traffic.usual : 0;
  return ratio >= c.minRatio * usualRatio && ratio - usualRatio >= c.minIncrease;
}

/** The shift's robust z; failures are counts, so their noise is never below Poisson's √usual. */
function shiftZ(s: RequestSeries, v: ShiftVerdict): number {
  if (s.measure !== 'failures' || v.z <= 0) return v.z;
  const scale = Math.max((v.recent - v.usual) / v.z, Math.sqrt(Math.max(v.usual, 1)));
  return (v.recent - v.usual) / scale;
}

function describe(s: RequestSeries, value: number): string {
  if (s.measure === 'latency') return `${count(Math.round(value * msPerUnit(s.unit, s.metric)))} ms`;
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
  const onset = s.failedAtMs?.find((t) => t > clean.fromMs) ?? ctx.nowMs;
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
        `the first failures after ${duration(clean.cleanForMs)} without one`,
      evidence: {
        request: s.measure,
        robustZ: Math.round(z * 10) / 10,
        value: clean.errors,
        usual,
        errors: clean.errors,
        requests: clean.requests,
        cleanRecordMs: clean.cleanForMs,
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
      if (s.measure === 'requests') continue;
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
      const anomalous = v !== undefined && passes(ctx, s, v, load, z);
      // Half the robust z is a move worth remembering, not paging on: weak evidence for the ranking.
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
          },
        };
      }
      out.push(e);
    }
    return out;
  },
};
