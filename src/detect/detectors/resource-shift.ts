// Resource shift: a service's CPU, memory, threads, GC, connection pools or queue depth breaking
// upward from its own recent level, with no limit needed (most Prometheus users have none). The
// test is the robust z-score of the BARO / N-Sigma family: the recent median against the median
// and MAD of the preceding window, so GC sawtooth and single spikes do not count. Counters
// (CPU seconds, GC time) are judged as rates. Fires `metric-anomaly` signals naming the resource.
import type { Detector, Evaluation, EvaluationState, MetricSample } from '../detector.js';
import { isIdlePart, resourceClassOf, resourceOwner, type ResourceClass } from '../resources.js';
import { count, duration } from '../format.js';
import { recentPoints, windowsFor } from './point-spacing.js';
import { habitual, type ExcursionMemory } from './habits.js';

/** Parameters, each with its reason (few, and none fitted to one data set). */
export const resourceShiftParams = {
  /** Robust z needed: far past N-Sigma's 3, since a page must be rare on noisy real resources. */
  minZ: 8,
  /** And a rise of at least this share of the usual level: a flat series' tiny MAD is no news. */
  minRelativeRise: 0.3,
  /** The recent level is the median of this window: a 15 s scrape gives 4+ points, one spike cannot move it (a sparse series widens it: point-spacing.ts). */
  recentMs: 2 * 60_000,
  /** The baseline is the window before it, up to this long … */
  baselineMs: 30 * 60_000,
  /** … and at least this long: 10 min of history is enough to judge (short histories), less is not. */
  minBaselineMs: 10 * 60_000,
  minBaselinePoints: 8,
};

interface ResourceSeries extends ExcursionMemory {
  service: string;
  metric: string;
  resource: ResourceClass;
  unit: string;
  version: string;
  /** [timeMs, value, inBaseline 1|0], oldest first, one per bucket at most. */
  points: Array<[number, number, number]>;
  /** For counters: the last cumulative reading, to turn totals into rates. */
  lastTotal?: [number, number];
}

export interface ResourceShiftState {
  series: Record<string, ResourceSeries>;
  /** Per service: [bucket end, events] of its spans and logs, to tell load from a fault. */
  load?: Record<string, Array<[number, number]>>;
}

/**
 * How many times its usual traffic the service carried in the recent window, or undefined when it
 * has no traffic history (a service known only from metrics is judged on its resources alone).
 */
function loadRatio(points: ReadonlyArray<readonly [number, number]> | undefined, nowMs: number, p = resourceShiftParams): number | undefined {
  if (!points) return undefined;
  const recentFrom = nowMs - p.recentMs;
  const recent = points.filter((x) => x[0] > recentFrom).map((x) => x[1]);
  const base = points.filter((x) => x[0] <= recentFrom && x[0] > recentFrom - p.baselineMs).map((x) => x[1]);
  if (recent.length < 2 || base.length < p.minBaselinePoints) return undefined;
  const usual = median(base);
  // The recent traffic's upper quartile, not its median: when a surge begins, the resource's median
  // (more than half its points) must not flip before the traffic's figure does.
  const sorted = recent.sort((a, b) => a - b);
  const upper = sorted[Math.floor(0.75 * (sorted.length - 1))]!;
  return usual > 0 ? upper / usual : undefined;
}

/**
 * A rise that the service's own traffic explains is load, not a fault: CPU, threads, pools and
 * queues grow with requests, so a 3x surge that triples CPU is no news while CPU per request holds.
 * What counts is the rise per unit of traffic; a leak under steady traffic keeps its whole rise.
 */
function riseBeyondLoad(v: ShiftVerdict, ratio: number | undefined): number {
  return ratio !== undefined && ratio > 1 ? (1 + v.rise) / ratio - 1 : v.rise;
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? v[(n - 1) / 2]! : (v[n / 2 - 1]! + v[n / 2]!) / 2;
}

function attrsKey(a: Readonly<Record<string, string>>): string {
  return Object.keys(a)
    .sort()
    .map((k) => `${k}=${a[k] ?? ''}`)
    .join(',');
}

function seriesFor(state: ResourceShiftState, m: MetricSample): [string, ResourceSeries] | undefined {
  const resource = resourceClassOf(m.name);
  if (!resource || isIdlePart(m.attributes) || !Number.isFinite(m.value)) return undefined;
  const service = resourceOwner(m.service, m.attributes);
  const id = `${service}|${m.name}|${attrsKey(m.attributes)}`;
  const s = (state.series[id] ??= { service, metric: m.name, resource, unit: m.unit, version: m.serviceVersion, points: [] });
  s.version = m.serviceVersion || s.version;
  return [id, s];
}

/** Appends a reading; one point per bucket (shared with the request-metrics detector). */
export function addPoint(s: Pick<ResourceSeries, 'points'>, timeMs: number, value: number, bucketMs: number): void {
  const last = s.points[s.points.length - 1];
  if (last && timeMs < last[0]) return;
  // One point per bucket: the newest reading of the bucket stands for it.
  if (last && Math.floor(last[0] / bucketMs) === Math.floor(timeMs / bucketMs)) {
    last[0] = timeMs;
    last[1] = value;
  } else s.points.push([timeMs, value, 1]);
}

export interface ShiftVerdict {
  z: number;
  recent: number;
  usual: number;
  rise: number;
  fromMs: number;
}

/** The robust shift of the recent window over the baseline window, or undefined when history is too short. */
export function robustShift(points: ReadonlyArray<readonly [number, number, number]>, nowMs: number, p = resourceShiftParams): ShiftVerdict | undefined {
  const recentFrom = nowMs - p.recentMs;
  const recent = points.filter((x) => x[0] > recentFrom).map((x) => x[1]);
  const base = points.filter((x) => x[0] <= recentFrom && x[0] > recentFrom - p.baselineMs && x[2] === 1);
  if (recent.length < 2 || base.length < p.minBaselinePoints) return undefined;
  if (recentFrom - base[0]![0] < p.minBaselineMs) return undefined;
  const values = base.map((x) => x[1]);
  const usual = median(values);
  const mad = median(values.map((v) => Math.abs(v - usual)));
  const meanAd = values.reduce((a, v) => a + Math.abs(v - usual), 0) / values.length;
  // A flat or mostly-zero series has MAD 0: the mean deviation, then a twentieth of the level, is its noise.
  const scale = Math.max(1.4826 * mad, 1.2533 * meanAd, 0.05 * Math.abs(usual), 1e-3);
  const level = median(recent);
  // The recent level must also leave the range the baseline itself spanned (its 99th percentile):
  // a queue that sometimes holds one message is not shifted when it holds one for a while.
  const sorted = [...values].sort((a, b) => a - b);
  const top = sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))]!;
  const z = level > top ? (level - usual) / scale : Math.min((level - usual) / scale, 0);
  return { z, recent: level, usual, rise: usual !== 0 ? (level - usual) / Math.abs(usual) : Infinity, fromMs: base[0]![0] };
}

/** A shift pages past minZ and minRelativeRise; past half of both it is elevated: never fires, weak evidence for the ranking. */
export function shiftState(z: number, rise: number, p = resourceShiftParams): EvaluationState {
  if (z >= p.minZ && rise >= p.minRelativeRise) return 'anomalous';
  return z >= p.minZ / 2 && rise >= p.minRelativeRise / 2 ? 'elevated' : 'normal';
}

function describe(s: ResourceSeries, v: number): string {
  if (s.unit === 'By' || /bytes|memory|heap|rss|working_set/i.test(s.metric)) return `${count(v / 1_048_576)} MB`;
  if (s.unit === '1' || /utilization|ratio/.test(s.metric)) return `${Math.round(v * 1000) / 10}%`;
  return Math.abs(v) >= 10 ? count(v) : String(Math.round(v * 1000) / 1000);
}

export const resourceShiftDetector: Detector<ResourceShiftState> = {
  name: 'resource-shift',
  initialState: () => ({ series: {} }),
  evaluate(ctx, state) {
    const p = resourceShiftParams;
    const bucketMs = ctx.config.bucketMs;
    for (const m of ctx.metrics) {
      const found = seriesFor(state, m);
      if (found) addPoint(found[1], m.timeMs, m.value, bucketMs);
    }
    for (const c of ctx.counters ?? []) {
      const found = seriesFor(state, c);
      if (!found) continue;
      const s = found[1];
      let rate: number | undefined;
      if (!c.cumulative) rate = c.timeMs > c.startTimeMs && c.startTimeMs > 0 ? c.value / ((c.timeMs - c.startTimeMs) / 1000) : undefined;
      else {
        const last = s.lastTotal;
        // A total that went down is a restart: the new total starts a fresh rate.
        if (last && c.timeMs > last[0] && c.value >= last[1]) rate = (c.value - last[1]) / ((c.timeMs - last[0]) / 1000);
        s.lastTotal = [c.timeMs, c.value];
      }
      if (rate !== undefined && Number.isFinite(rate)) addPoint(s, c.timeMs, rate, bucketMs);
    }
    const out: Evaluation[] = [];
    const horizon = ctx.nowMs - p.recentMs - p.baselineMs;
    const load = (state.load ??= {});
    for (const a of ctx.services) {
      const points = (load[a.service] ??= []);
      points.push([ctx.nowMs, a.history[a.history.length - 1] ?? 0]);
      let old = 0;
      while (old < points.length && points[old]![0] <= horizon) old++;
      if (old > 0) points.splice(0, old);
    }
    for (const id of Object.keys(state.series)) {
      const s = state.series[id]!;
      // This series' own windows: the defaults, widened when its points are sparse (a 5 min export).
      const p = windowsFor(s.points, resourceShiftParams);
      const horizon = ctx.nowMs - p.recentMs - p.baselineMs;
      let drop = 0;
      while (drop < s.points.length && s.points[drop]![0] <= horizon) drop++;
      if (drop > 0) s.points.splice(0, drop);
      const key = `metric-anomaly|resource|${id}`;
      const firing = ctx.isFiring(key);
      if (s.points.length === 0) {
        // A counter's first reading gives no rate yet: keep its total unless that is stale too.
        if (!firing && (s.lastTotal === undefined || s.lastTotal[0] <= horizon)) delete state.series[id];
        else if (!firing) continue;
        else out.push({ key, kind: 'metric-anomaly', subject: { service: s.service, metric: s.metric, version: s.version }, state: 'normal' });
        continue;
      }
      const newest = s.points[s.points.length - 1]!;
      const fresh = ctx.nowMs - newest[0] <= p.recentMs;
      const v = fresh ? robustShift(s.points, ctx.nowMs, p) : undefined;
      // A missed export leaves the recent window one point short while the series still reports: a
      // firing shift holds (elevated, no draft) until the window fills again, not recovering on no evidence.
      if (fresh && v === undefined && firing && recentPoints(s.points, ctx.nowMs, p) < 2) {
        out.push({ key, kind: 'metric-anomaly', subject: { service: s.service, metric: s.metric, version: s.version }, state: 'elevated' });
        continue;
      }
      const rise = v ? riseBeyondLoad(v, loadRatio(load[s.service], ctx.nowMs, p)) : 0;
      const verdict = v ? shiftState(v.z, rise, p) : 'normal';
      // A blip it has made twice before today (an hourly job's CPU) is its habit: weak evidence, no page, until it lasts longer.
      const habit = v !== undefined && habitual(s, verdict === 'anomalous', v.recent, v.recent / (1 + p.minRelativeRise), ctx.nowMs, p.recentMs) && !firing;
      const anomalous = verdict === 'anomalous' && !habit;
      const elevated = verdict === 'elevated' || habit;
      // What is being flagged does not become the usual.
      if (anomalous || elevated) for (const x of s.points) if (x[0] > ctx.nowMs - p.recentMs) x[2] = 0;
      if (!anomalous && !elevated && !firing) continue;
      const e: Evaluation = {
        key,
        kind: 'metric-anomaly',
        subject: { service: s.service, metric: s.metric, version: s.version },
        state: anomalous ? 'anomalous' : elevated ? 'elevated' : 'normal',
      };
      // An elevated move gets its draft too: it never fires, but the engine keeps it as weak evidence for the ranking.
      if ((anomalous || elevated) && v) {
        const onset = s.points.find((x) => x[0] > ctx.nowMs - p.recentMs && (x[1] - v.usual) / Math.max(1e-9, v.recent - v.usual) >= 0.5)?.[0] ?? newest[0];
        e.draft = {
          startedAtMs: onset,
          window: { fromMs: v.fromMs, toMs: ctx.nowMs },
          observed: v.recent,
          baseline: v.usual,
          unit: s.unit || 'value',
          pValue: Number.NaN,
          score: Math.min(1, 0.5 + Math.log10(v.z / p.minZ + 1) / 2),
          summary: `${s.service} ${s.metric} rose to ${describe(s, v.recent)} from a usual ${describe(s, v.usual)} (robust z ${v.z.toFixed(0)} over the last ${duration(ctx.nowMs - v.fromMs)})`,
          evidence: { resource: s.resource, robustZ: Math.round(v.z * 10) / 10, value: v.recent, usual: v.usual, riseShare: Math.round(v.rise * 1000) / 1000 },
        };
      }
      out.push(e);
    }
    return out;
  },
};
