// The rule engine: user-defined threshold and anomaly rules evaluated in event time. It keeps
// 10 s buckets per rule (metric values or a counter's increases, or request counts, errors and a
// duration sample of the service's entry spans), and at each clock advance computes each rule's value over its window,
// applies the condition with its `for` hold, and returns `user-rule` signals that join incidents
// like any detector's. Pure: data and the time come in as arguments.
import type { MetricPoint, Signal, Span } from '../model/index.js';
import { CumulativeMarks, pointMatches, seriesKey, type MetricCountsSnapshot } from '../slo/index.js';
import { parseRuleDuration, type AlertRule } from './config.js';

const bucketMs = 10_000;
const minuteMs = 60_000;
/** Durations kept per bucket for p95: a stride sample keeps memory flat on busy services. */
const samplesPerBucket = 256;
/** Anomaly rules compare with one value per minute over the last day; judged after 30 of them. */
const historyMinutes = 1_440;
const minHistory = 30;

interface Bucket {
  count: number;
  sum: number;
  errors: number;
  durations: number[];
  seen: number;
}

export type RuleState = 'inactive' | 'pending' | 'firing';

export interface RuleStatus {
  name: string;
  service: string;
  state: RuleState;
  /** The value over the window now; null without data. */
  value: number | null;
  /** Anomaly rules: the usual value (median of the last day) and the robust z-score now. */
  baseline?: number;
  score?: number;
  /** Engine time the rule started firing, or (pending) since its condition has held. */
  since?: number;
}

/**
 * What a restart needs to carry on where it stopped: per rule, its definition (state is restored
 * only for an unchanged one), the window's buckets, the anomaly history, and the pending/firing
 * state with the signal that fired, so a firing rule stays firing and does not page again.
 */
export interface RuleEngineSnapshot {
  version: 1;
  rules: Array<Omit<Tracked, 'buckets' | 'windowMs' | 'forMs' | 'marks'> & { buckets: Array<[number, Bucket]>; marks?: MetricCountsSnapshot }>;
}

/** A rule with where it is defined (vigil.yaml or the API) and its state now, as listed. */
export type RuleWithStatus = AlertRule & { source: 'config' | 'api'; status: RuleStatus };

interface Tracked {
  rule: AlertRule;
  windowMs: number;
  forMs: number;
  buckets: Map<number, Bucket>;
  history: number[];
  lastSampleMinute: number;
  holdingSinceMs?: number;
  firing?: Signal;
  last?: { value: number | null; baseline?: number; score?: number };
  /** The metric is a counter (a monotonic sum): its value is the increase per second over the window. */
  counter?: boolean;
  /** Counters: each series' last cumulative reading, so the increase is what the window added. */
  marks?: CumulativeMarks;
}

export class RuleEngine {
  private tracked = new Map<string, Tracked>();

  constructor(rules: readonly AlertRule[] = []) {
    this.define(rules);
  }

  /** Replaces the rule set; a rule whose definition did not change keeps its data and state. */
  define(rules: readonly AlertRule[]): Signal[] {
    const next = new Map<string, Tracked>();
    for (const rule of rules) {
      const old = this.tracked.get(rule.name);
      if (old && JSON.stringify(old.rule) === JSON.stringify(rule)) next.set(rule.name, old);
      else
        next.set(rule.name, {
          rule,
          windowMs: parseRuleDuration(rule.window)!,
          forMs: parseRuleDuration(rule.for) ?? 0,
          buckets: new Map(),
          history: [],
          lastSampleMinute: 0,
        });
    }
    // A removed or changed rule that was firing recovers at its last evaluation.
    const recovered: Signal[] = [];
    for (const [name, old] of this.tracked) {
      if (old.firing && next.get(name) !== old)
        recovered.push({
          ...old.firing,
          status: 'recovered',
          endedAtMs: old.firing.window.toMs,
          detectedAtMs: old.firing.window.toMs,
        });
    }
    this.tracked = next;
    return recovered;
  }

  snapshot(): RuleEngineSnapshot {
    return {
      version: 1,
      rules: [...this.tracked.values()].map(({ windowMs: _w, forMs: _f, buckets, marks, ...state }) => ({
        ...structuredClone(state),
        buckets: [...buckets].map(([start, b]) => [start, { ...b, durations: thinned(b.durations) }]),
        ...(marks ? { marks: marks.snapshot() } : {}),
      })),
    };
  }

  /**
   * Takes back the state a snapshot holds for rules defined now with the same definition. A rule
   * that was firing and is gone or changed recovers (its signal is returned, as define() does).
   */
  restore(snapshot: RuleEngineSnapshot | undefined): Signal[] {
    if (snapshot?.version !== 1) return [];
    const recovered: Signal[] = [];
    for (const saved of snapshot.rules) {
      const t = this.tracked.get(saved.rule.name);
      if (t && JSON.stringify(t.rule) === JSON.stringify(saved.rule)) {
        t.buckets = new Map(saved.buckets);
        t.history = saved.history;
        t.lastSampleMinute = saved.lastSampleMinute;
        if (saved.holdingSinceMs !== undefined) t.holdingSinceMs = saved.holdingSinceMs;
        // NaN (no p-value) went through JSON as null.
        if (saved.firing) t.firing = { ...saved.firing, pValue: saved.firing.pValue ?? Number.NaN };
        if (saved.last) t.last = saved.last;
        if (saved.counter) t.counter = saved.counter;
        if (saved.marks) t.marks = new CumulativeMarks(saved.marks);
      } else if (saved.firing) {
        const at = saved.firing.window.toMs;
        recovered.push({ ...saved.firing, pValue: Number.NaN, status: 'recovered', endedAtMs: at, detectedAtMs: at });
      }
    }
    return recovered;
  }

  observeSpans(spans: readonly Span[]): void {
    if (!this.tracked.size) return;
    for (const t of this.tracked.values()) {
      if (!t.rule.red) continue;
      for (const span of spans) {
        if (span.service !== t.rule.service || (span.kind !== 'server' && span.kind !== 'consumer')) continue;
        const route = span.httpRoute || span.name;
        if (t.rule.route !== undefined && t.rule.route !== route && t.rule.route !== `${span.httpMethod} ${span.httpRoute}`) continue;
        const b = this.bucket(t, span.startTimeMs + span.durationMs);
        b.count += 1;
        if (span.statusCode === 'error' || (span.kind === 'server' && span.httpStatusCode >= 500)) b.errors += 1;
        // Only p95 rules read durations: the others keep (and snapshot) none.
        if (t.rule.red !== 'p95Ms') continue;
        b.seen += 1;
        if (b.durations.length < samplesPerBucket) b.durations.push(span.durationMs);
        else b.durations[b.seen % samplesPerBucket] = span.durationMs;
      }
    }
  }

  observeMetrics(points: readonly MetricPoint[]): void {
    if (!this.tracked.size) return;
    for (const t of this.tracked.values()) {
      if (!t.rule.metric) continue;
      for (const p of points) {
        if (p.name !== t.rule.metric || p.service !== t.rule.service || !pointMatches(t.rule.where, p)) continue;
        if (p.type === 'sum' && p.isMonotonic) {
          // A counter's running total says nothing by itself; what it gained in the window does.
          t.counter = true;
          t.marks ??= new CumulativeMarks();
          const [gained] = t.marks.increase(seriesKey(p), p, [p.value, 0]);
          t.marks.seen(p.timeMs);
          const b = this.bucket(t, p.timeMs);
          b.count += 1;
          b.sum += gained;
          continue;
        }
        // Histograms and summaries: the mean observation; gauges and up-down sums: the value.
        const value = p.count > 0 && Number.isFinite(p.sum) && p.type !== 'sum' && p.type !== 'gauge' ? p.sum / p.count : p.value;
        if (!Number.isFinite(value)) continue;
        const b = this.bucket(t, p.timeMs);
        b.count += 1;
        b.sum += value;
      }
    }
  }

  /** Judges every rule at engine time `nowMs`: new `user-rule` signals and recoveries. */
  evaluate(nowMs: number): Signal[] {
    const out: Signal[] = [];
    for (const t of this.tracked.values()) {
      const value = this.valueOf(t, nowMs);
      const judged = this.judge(t, value);
      t.last = { value, ...judged.context };
      if (judged.holds) t.holdingSinceMs ??= nowMs;
      else delete t.holdingSinceMs;
      const due = judged.holds && nowMs - t.holdingSinceMs! >= t.forMs;
      if (due && !t.firing) {
        t.firing = ruleSignal(t, value!, judged.context, nowMs);
        out.push(t.firing);
      } else if (!judged.holds && t.firing) {
        out.push({ ...t.firing, status: 'recovered', endedAtMs: nowMs, detectedAtMs: nowMs });
        delete t.firing;
      }
      // The anomaly baseline learns one value a minute, and not while the rule fires (a fault is not the new normal).
      const minute = Math.floor(nowMs / minuteMs);
      if (t.rule.kind === 'anomaly' && value !== null && minute > t.lastSampleMinute && !t.firing) {
        t.lastSampleMinute = minute;
        t.history.push(value);
        if (t.history.length > historyMinutes) t.history.shift();
      }
      for (const start of t.buckets.keys()) if (start < nowMs - t.windowMs - bucketMs) t.buckets.delete(start);
    }
    return out;
  }

  statuses(): RuleStatus[] {
    return [...this.tracked.values()].map((t) => ({
      name: t.rule.name,
      service: t.rule.service,
      state: t.firing ? 'firing' : t.holdingSinceMs !== undefined ? 'pending' : 'inactive',
      value: t.last?.value ?? null,
      ...(t.last?.baseline !== undefined ? { baseline: t.last.baseline } : {}),
      ...(t.last?.score !== undefined ? { score: t.last.score } : {}),
      ...(t.firing ? { since: t.firing.detectedAtMs } : t.holdingSinceMs !== undefined ? { since: t.holdingSinceMs } : {}),
    }));
  }

  private bucket(t: Tracked, atMs: number): Bucket {
    const start = Math.floor(atMs / bucketMs) * bucketMs;
    let b = t.buckets.get(start);
    if (!b) t.buckets.set(start, (b = { count: 0, sum: 0, errors: 0, durations: [], seen: 0 }));
    return b;
  }

  /** The value over (now − window, now]; null when the window holds no data (requests per minute: 0). */
  private valueOf(t: Tracked, nowMs: number): number | null {
    let count = 0;
    let sum = 0;
    let errors = 0;
    const durations: number[] = [];
    for (const [start, b] of t.buckets) {
      if (start + bucketMs <= nowMs - t.windowMs || start >= nowMs) continue;
      count += b.count;
      sum += b.sum;
      errors += b.errors;
      durations.push(...b.durations);
    }
    switch (t.rule.red) {
      case 'requestsPerMinute':
        return count / (t.windowMs / minuteMs);
      case 'errorRate':
        return count ? errors / count : null;
      case 'p95Ms':
        return durations.length ? quantile(durations, 0.95) : null;
      default:
        // A counter that exported nothing in the window is no verdict, as for any metric.
        if (t.counter) return count ? sum / (t.windowMs / 1000) : null;
        return count ? sum / count : null;
    }
  }

  private judge(t: Tracked, value: number | null): { holds: boolean; context: { baseline?: number; score?: number } } {
    if (value === null) return { holds: false, context: {} };
    const r = t.rule;
    if (r.kind === 'threshold')
      return {
        holds: (r.above !== undefined && value > r.above) || (r.below !== undefined && value < r.below),
        context: {},
      };
    if (t.history.length < minHistory) return { holds: false, context: {} };
    const median = quantile(t.history, 0.5);
    const mad = quantile(
      t.history.map((x) => Math.abs(x - median)),
      0.5,
    );
    // A flat history has no spread: a 1%-of-level floor keeps rounding noise from paging.
    const scale = Math.max(1.4826 * mad, Math.abs(median) * 0.01, 1e-9);
    const z = (value - median) / scale;
    const holds = r.direction === 'up' ? z >= r.sensitivity : r.direction === 'down' ? z <= -r.sensitivity : Math.abs(z) >= r.sensitivity;
    return { holds, context: { baseline: median, score: z } };
  }
}

/**
 * Durations a snapshot keeps per bucket: an even stride through the sample. A 6 h p95 window holds
 * 2,160 buckets; at the full 256 each the snapshot would be megabytes every 30 s, while 32 still
 * give a p95 from hundreds of values for the one window that follows a restart.
 */
const snapshotSamples = 32;
function thinned(durations: readonly number[]): number[] {
  if (durations.length <= snapshotSamples) return [...durations];
  const step = durations.length / snapshotSamples;
  return Array.from({ length: snapshotSamples }, (_, i) => durations[Math.floor(i * step)]!);
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const seriesName: Record<string, string> = {
  errorRate: 'error rate',
  p95Ms: 'p95 latency',
  requestsPerMinute: 'requests per minute',
};

function format(value: number, red: AlertRule['red']): string {
  if (red === 'errorRate') return `${Math.round(value * 10_000) / 100}%`;
  if (red === 'p95Ms') return `${Math.round(value)} ms`;
  return String(Math.round(value * 100) / 100);
}

function ruleSignal(t: Tracked, value: number, context: { baseline?: number; score?: number }, nowMs: number): Signal {
  const r = t.rule;
  const what = r.red
    ? `${seriesName[r.red]} of ${r.service}${r.route ? ` ${r.route}` : ''}`
    : `${t.counter ? 'increase per second of ' : ''}${r.metric}${whereText(r.where)} of ${r.service}`;
  const condition =
    r.kind === 'threshold'
      ? r.above !== undefined && value > r.above
        ? `above ${format(r.above, r.red)}`
        : `below ${format(r.below!, r.red)}`
      : `${context.score! >= 0 ? 'above' : 'below'} its usual ${format(context.baseline!, r.red)} (robust z ${Math.round(context.score! * 10) / 10})`;
  const held = t.forMs ? ` for ${Math.round(t.forMs / 1000)} s` : '';
  const key = `user-rule|${r.name}`;
  const startedAtMs = t.holdingSinceMs ?? nowMs;
  return {
    id: `${key}@${startedAtMs}`,
    key,
    kind: 'user-rule',
    status: 'firing',
    subject: { service: r.service, ...(r.route ? { route: r.route } : {}), ...(r.metric ? { metric: r.metric } : {}) },
    startedAtMs,
    detectedAtMs: nowMs,
    window: { fromMs: nowMs - t.windowMs, toMs: nowMs },
    observed: value,
    baseline: r.kind === 'threshold' ? (r.above ?? r.below!) : context.baseline!,
    unit: r.red === 'errorRate' ? 'ratio' : r.red === 'p95Ms' ? 'ms' : r.red === 'requestsPerMinute' ? 'per_min' : t.counter ? 'per_s' : 'value',
    pValue: Number.NaN,
    score: 0.7,
    summary: `Rule "${r.name}": ${what} ${format(value, r.red)} ${condition}${held} (window ${r.window})`,
    evidence: { rule: r.name, kind: r.kind, window: r.window, ...(r.red ? { series: r.red } : { metric: r.metric! }) },
  };
}

/** `{status=~"5..", region="eu"}` as PromQL writes a selector, so the summary says which points. */
function whereText(where: AlertRule['where']): string {
  const parts = Object.entries(where ?? {}).map(([k, w]) =>
    typeof w === 'string' ? `${k}="${w}"` : 'not' in w ? `${k}!="${w.not}"` : 'regex' in w ? `${k}=~"${w.regex}"` : `${k}!~"${w.notRegex}"`,
  );
  return parts.length ? `{${parts.join(', ')}}` : '';
}
