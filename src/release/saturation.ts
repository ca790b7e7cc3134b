// Saturation compared between versions: CPU, memory, connection-pool and queue gauges, attributed to
// a version by the metric's own service.version or by the version its service.instance.id serves in
// the spans, else kept at service level ("not attributable to version": evidence, never a fail,
// since a service-wide rise after a deploy may as well be load). Each series gets anytime-valid
// sign tests on minute means: side by side, "the new version's minute is higher than the old one's
// by more than the tolerance" has probability at most 1/2 when the versions behave alike; against
// the previous version's hour before (or the service's), the exceedance rate of its minute values
// over their median plus tolerance is the one-arm reference, as for latency. A one-arm minute is
// judged per unit of the service's traffic for load-driven families (CPU, pools, queues): a surge
// that doubles CPU is load, not a regression (side by side, both arms see the same load). Pure JSON state.
import type { MetricPoint, Span } from '../model/index.js';
import { anytimePValue, changeOnsetMs, harmGrid, markLow, newMixture, rejects, updateOneArm, upperRateBound, type MixtureState } from './sequential.js';
import type { ReleaseConfig } from './config.js';
import type { DeploymentRef, Evidence } from './types.js';

export type SaturationFamily = 'cpu' | 'memory' | 'pool' | 'queue';

/** OpenTelemetry-style names of gauges that measure how full a resource is; a new family is a new row. */
const families: ReadonlyArray<readonly [SaturationFamily, RegExp]> = [
  ['cpu', /(^|\.)cpu\.(utilization|usage|recent_utilization)$/],
  ['memory', /(^|\.)memory\.(usage|utilization|used|rss|working_set)$/],
  ['pool', /(^|\.)(connection|connections|pool)\.(count|usage|used|utilization|active)$/],
  ['queue', /(^|\.)(queue|backlog)(\.(size|depth|length|usage))?$|(^|\.)consumer\.lag$/],
];

export const gaugeBucketMs = 60_000;
/** Series judged per deploy (the first seen); more are rare and would thin the false-fail budget. */
const maxSeries = 20;
/** Minutes of history a one-arm reference needs. */
const minReferenceMinutes = 10;
/** The instance → version map is bounded (oldest learned forgotten first). */
const maxInstances = 5000;
/** Version key of the service-level series (every point, attributed or not). */
export const serviceLevel = '*';

export function saturationFamily(p: MetricPoint): SaturationFamily | undefined {
  const gaugeLike = p.type === 'gauge' || (p.type === 'sum' && !p.isMonotonic);
  if (!gaugeLike || !Number.isFinite(p.value)) return undefined;
  // Idle connections and free memory are the opposite of saturation.
  for (const k in p.attributes) if ((k === 'state' || k.endsWith('.state')) && !['used', 'active', 'busy'].includes(p.attributes[k] ?? '')) return undefined;
  return families.find(([, re]) => re.test(p.name))?.[0];
}

/** minute start → [sum, points] */
export type MinuteMeans = Record<string, [number, number]>;

export interface GaugeMemory {
  /** service \0 metric \0 version ('*' = service level) → recent minutes. */
  minutes: Record<string, MinuteMeans>;
  /** service \0 service.instance.id → the version it served in its latest span. */
  instances: Record<string, string>;
  /** service → minute start → its entry spans (the load its gauges answer to). */
  requests?: Record<string, Record<string, number>>;
}

export const emptyGaugeMemory = (): GaugeMemory => ({ minutes: {}, instances: {} });
export const gaugeKey = (service: string, metric: string, version: string): string => `${service}\u0000${metric}\u0000${version}`;

export function learnInstances(m: GaugeMemory, spans: readonly Span[]): void {
  for (const s of spans) {
    const instance = s.resourceAttributes['service.instance.id'];
    if (!instance || !s.serviceVersion) continue;
    const key = `${s.service}\u0000${instance}`;
    if (m.instances[key] === s.serviceVersion) continue;
    delete m.instances[key];
    m.instances[key] = s.serviceVersion;
    const keys = Object.keys(m.instances);
    if (keys.length > maxInstances) delete m.instances[keys[0]!];
  }
}

/** Counts each service's entry spans per minute, the load a one-arm saturation minute is judged against. */
export function countRequests(m: GaugeMemory, entrySpans: readonly Span[], keepFromMs: number): void {
  const requests = (m.requests ??= {});
  for (const s of entrySpans) {
    const minutes = (requests[s.service] ??= {});
    const minute = Math.floor(s.startTimeMs / gaugeBucketMs) * gaugeBucketMs;
    minutes[minute] = (minutes[minute] ?? 0) + 1;
  }
  for (const minutes of Object.values(requests)) for (const t of Object.keys(minutes)) if (Number(t) < keepFromMs) delete minutes[t];
}

/** The version a point measures, '' when neither its resource nor its instance says. */
export function versionOf(m: GaugeMemory, p: MetricPoint): string {
  if (p.serviceVersion) return p.serviceVersion;
  const instance = p.resourceAttributes['service.instance.id'];
  return instance ? (m.instances[`${p.service}\u0000${instance}`] ?? '') : '';
}

export function remember(m: GaugeMemory, key: string, minuteMs: number, value: number, keepFromMs: number): void {
  const minutes = (m.minutes[key] ??= {});
  const slot = (minutes[minuteMs] ??= [0, 0]);
  slot[0] += value;
  slot[1]++;
  for (const t of Object.keys(minutes)) if (Number(t) < keepFromMs) delete minutes[t];
}

export function forgetBefore(m: GaugeMemory, keepFromMs: number): void {
  for (const [key, minutes] of Object.entries(m.minutes)) {
    for (const t of Object.keys(minutes)) if (Number(t) < keepFromMs) delete minutes[t];
    if (!Object.keys(minutes).length) delete m.minutes[key];
  }
}

export interface SaturationTest {
  family: SaturationFamily;
  metric: string;
  /** Whether the candidate arm is the new version's own points (else the service's, after the deploy). */
  attributed: boolean;
  alpha: number;
  /** The one-arm line (reference median plus tolerance) and the rate at which reference minutes cross it. */
  threshold?: number;
  reference?: { mean: number; minutes: number; exceedance: number };
  /** The service's mean entry spans per minute over the reference minutes (load-driven families only). */
  referenceLoad?: number;
  /** minute start → the arms' [sum, points] (closed when the minute has ended). */
  pending: Record<string, { candidate?: [number, number]; baseline?: [number, number] }>;
  candidate: [number, number];
  baseline: [number, number];
  paired: MixtureState;
  oneArm: MixtureState;
}

/** A test fixed from the reference minutes before the deploy (none: side by side only). */
export function newSaturationTest(
  family: SaturationFamily,
  metric: string,
  attributed: boolean,
  alpha: number,
  reference: MinuteMeans | undefined,
  deployMs: number,
  lookbackMs: number,
  tolerance: number,
  referenceRequests?: Record<string, number>,
): SaturationTest {
  const t: SaturationTest = {
    family,
    metric,
    attributed,
    alpha,
    pending: {},
    candidate: [0, 0],
    baseline: [0, 0],
    paired: newMixture(harmGrid),
    oneArm: newMixture(harmGrid),
  };
  const values = Object.entries(reference ?? {})
    .filter(([at]) => Number(at) < deployMs && Number(at) >= deployMs - lookbackMs)
    .map(([, [sum, n]]) => sum / n)
    .sort((a, b) => a - b);
  if (values.length >= minReferenceMinutes) {
    const median = values[Math.floor(values.length / 2)]!;
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    t.threshold = median + tolerance * Math.max(Math.abs(median), Math.abs(mean));
    const above = values.filter((v) => v > t.threshold!).length;
    t.reference = { mean, minutes: values.length, exceedance: upperRateBound(above, values.length) };
    const load = Object.entries(referenceRequests ?? {})
      .filter(([at]) => Number(at) < deployMs && Number(at) >= deployMs - lookbackMs)
      .map(([, n]) => n);
    // Memory does not follow load minute by minute; the other families do.
    if (family !== 'memory' && load.length >= minReferenceMinutes) t.referenceLoad = load.reduce((a, b) => a + b, 0) / load.length;
  }
  return t;
}

export function addPoint(t: SaturationTest, arm: 'candidate' | 'baseline', minuteMs: number, value: number): void {
  const slot = ((t.pending[minuteMs] ??= {})[arm] ??= [0, 0]);
  slot[0] += value;
  slot[1]++;
}

/** Folds the minutes that ended by `nowMs` into the tests; `requestsAt` is the service's load in a minute. */
export function closeMinutes(t: SaturationTest, nowMs: number, tolerance: number, requestsAt?: (minuteMs: number) => number | undefined): void {
  for (const at of Object.keys(t.pending)
    .map(Number)
    .sort((a, b) => a - b)) {
    if (at + gaugeBucketMs > nowMs) break;
    const { candidate, baseline } = t.pending[at]!;
    delete t.pending[at];
    if (!candidate) {
      if (baseline) fold(t.baseline, baseline);
      continue;
    }
    const c = candidate[0] / candidate[1];
    fold(t.candidate, candidate);
    if (baseline) {
      const b = baseline[0] / baseline[1];
      fold(t.baseline, baseline);
      const scale = Math.max(Math.abs(b), t.reference?.mean ?? 0);
      updateOneArm(t.paired, 0.5, { events: c > b + tolerance * scale ? 1 : 0, requests: 1 });
    }
    if (t.threshold !== undefined && t.reference) {
      // More load than the reference raises the line in proportion; less never lowers it.
      const requests = t.referenceLoad ? requestsAt?.(at) : undefined;
      const load = requests && t.referenceLoad ? Math.max(1, requests / t.referenceLoad) : 1;
      updateOneArm(t.oneArm, t.reference.exceedance, { events: c > t.threshold * load ? 1 : 0, requests: 1 });
    }
    for (const s of [t.paired, t.oneArm]) markLow(s, at, at + gaugeBucketMs);
  }
}

function fold(into: [number, number], from: [number, number]): void {
  into[0] += from[0];
  into[1] += from[1];
}

/** Only attributed tests can fail a release; each has two tests, half its budget each. */
export const saturationFailing = (t: SaturationTest): boolean => t.attributed && (rejects(t.paired, t.alpha / 2) || rejects(t.oneArm, t.alpha / 2));

export function saturationEvidence(t: SaturationTest): Evidence | undefined {
  if (!t.candidate[1]) return undefined;
  const sideBySide = t.paired.exposure[0] > 0;
  const baseline = sideBySide && t.baseline[1] ? t.baseline[0] / t.baseline[1] : t.reference?.mean;
  if (baseline === undefined) return undefined;
  const candidate = t.candidate[0] / t.candidate[1];
  const change = baseline !== 0 ? candidate / baseline - 1 : candidate > 0 ? 1 : 0;
  const failing = saturationFailing(t);
  const onsets = failing ? [t.paired, t.oneArm].filter((s) => rejects(s, t.alpha / 2)).map(changeOnsetMs) : [];
  const sinceMs = Math.min(...onsets.map((at) => at ?? Infinity));
  const confidence = 1 - Math.min(anytimePValue(t.paired), anytimePValue(t.oneArm));
  const against = sideBySide ? 'side by side' : 'against the hour before';
  const scope = t.attributed ? '' : ' (service level, not attributable to version: no service.version or service.instance.id on the metric)';
  const rise = confidence >= 1 - t.alpha / 2 && !t.attributed ? 'rose' : failing ? 'regressed' : 'no significant rise';
  return {
    signal: 'saturation',
    route: t.metric,
    baseline,
    candidate,
    change,
    confidence,
    unit: 'ratio',
    failing,
    ...(Number.isFinite(sinceMs) ? { sinceMs } : {}),
    summary: `${t.family} ${t.metric} ${fmt(baseline)} → ${fmt(candidate)} ${against} over ${t.candidate[1]} points: ${rise}${scope}`,
  };
}

const fmt = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(3));

/** The deploy's test of a metric (attributed or service level), created at its first point after the deploy. */
export function saturationTestOf(
  tests: SaturationTest[],
  memory: GaugeMemory,
  d: DeploymentRef,
  family: SaturationFamily,
  metric: string,
  attributed: boolean,
  config: ReleaseConfig,
): SaturationTest | undefined {
  const found = tests.find((t) => t.metric === metric && t.attributed === attributed);
  if (found || tests.length >= maxSeries) return found;
  const k = tests.filter((t) => t.attributed).length + 1;
  // Attributed test k gets α/4 · 1/(k(k+1)): together a quarter of the release's budget.
  const alpha = attributed ? config.alpha / 4 / (k * (k + 1)) : config.alpha;
  const reference = memory.minutes[gaugeKey(d.service, metric, attributed ? d.previousVersion : serviceLevel)];
  const t = newSaturationTest(
    family,
    metric,
    attributed,
    alpha,
    reference,
    d.timeMs,
    config.baselineMs,
    config.saturationTolerance,
    memory.requests?.[d.service],
  );
  tests.push(t);
  return t;
}

/** Evidence rows; a service-level row only speaks for a metric no version attribution covers. */
export function saturationRows(tests: readonly SaturationTest[]): Evidence[] {
  const out: Evidence[] = [];
  for (const t of tests) {
    if (!t.attributed && tests.some((x) => x.attributed && x.metric === t.metric)) continue;
    const e = saturationEvidence(t);
    if (e) out.push(e);
  }
  return out;
}
