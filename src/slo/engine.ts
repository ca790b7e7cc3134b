// The SLO engine: counts good and total requests per indicator from entry spans, or events from a
// metric's good/total ratio (in event time, as the detection engine does), and at each clock
// advance judges every SLO against the multiwindow burn-rate rules, returning `slo-burn` signals
// and each SLO's attainment and budget.
import { isEntrySpan, isFailedSpan, routeOf } from '../detect/index.js';
import type { MetricPoint, Signal, Span } from '../model/index.js';
import {
  budgetRemaining,
  burnRate,
  burnRules,
  burnThreshold,
  exhaustionForecastMs,
  formatBurn,
  formatSpan,
  windowLabel,
  type BurnRule,
  type BurnSeverity,
} from './burn.js';
import { parseSloWindow, type SloDefinition, type SloMetric } from './config.js';
import { IndicatorCounts, type CountsSnapshot, type GoodTotal } from './counts.js';
import { MetricCounts, type MetricCountsSnapshot, type MetricIncrement } from './metric-counts.js';

const minuteMs = 60_000;
/** Below this fraction of budget left an SLO is a warning even when nothing burns fast. */
const warningBudgetLeft = 0.25;
/**
 * The minimum-traffic guard: a rule fires only when its long window holds at least this many bad
 * requests. On a quiet route one failure of 3 requests is a 333x burn, yet nobody can act on one
 * request. Three is the smallest count that a service meeting its objective rarely produces at the
 * volumes where a burn rule can fire at all: with the 14.4x rule's 1.44% bad share, 3 bad requests
 * mean at most 208 requests, and P(≥3 bad of 208 | 0.1% allowed) ≈ 0.15%; on busy routes the
 * guard is always met long before the burn thresholds are.
 */
export const minBadRequests = 3;

export type SloState = 'ok' | 'warning' | 'breaching';

export interface BurnAlert {
  severity: BurnSeverity;
  longWindow: string;
  shortWindow: string;
  threshold: number;
  longBurn: number;
  shortBurn: number;
}

export interface SloStatus {
  name: string;
  service: string;
  route?: string;
  objective: SloDefinition['objective'];
  target: number;
  thresholdMs?: number;
  /** Counted from this metric's good/total ratio rather than from spans. */
  metric?: SloMetric;
  window: string;
  /** Good over total requests in the window; null before any request. */
  attainment: number | null;
  /** Fraction of the window's budget left: 1 untouched, 0 spent, negative overspent. */
  errorBudgetRemaining: number;
  burnRates: { '5m': number; '30m': number; '1h': number; '6h': number; '3d': number };
  /** At the fastest current (1 h) burn, when the budget left runs out; null when nothing burns. */
  budgetExhaustedInMs: number | null;
  forecast: string;
  alerts: BurnAlert[];
  status: SloState;
  requests: GoodTotal;
}

export interface SloEngineSnapshot {
  indicators: Record<string, CountsSnapshot>;
  /** The `slo-burn` signal each SLO has firing, by SLO name. */
  firing: Record<string, Signal>;
  /** The `slo-ticket` signal each SLO has open (the slow 3 d / 6 h rule), by SLO name. */
  tickets?: Record<string, Signal>;
  /** Metric SLOs: each indicator's last cumulative readings, so increases carry across a restart. */
  metricSeries?: Record<string, MetricCountsSnapshot>;
}

interface Indicator {
  key: string;
  service: string;
  route?: string;
  thresholdMs?: number;
  counts: IndicatorCounts;
  metric?: MetricCounts;
}

interface Tracked {
  slo: SloDefinition;
  windowMs: number;
  indicator: Indicator;
}

const indicatorKey = (slo: SloDefinition): string =>
  `${slo.service}\u0000${slo.route ?? ''}\u0000${slo.objective === 'latency' ? slo.thresholdMs : 'availability'}${slo.metric ? `\u0000${JSON.stringify(slo.metric)}` : ''}`;

export class SloEngine {
  private tracked: Tracked[] = [];
  private indicators = new Map<string, Indicator>();
  private byService = new Map<string, Indicator[]>();
  private fromMetrics: Indicator[] = [];
  private firing = new Map<string, Signal>();
  private tickets = new Map<string, Signal>();
  /** Restored counts not yet claimed: SLOs created through the API are defined after start-up. */
  private restored: Map<string, CountsSnapshot>;
  private restoredSeries: Map<string, MetricCountsSnapshot>;

  constructor(slos: readonly SloDefinition[], snapshot?: SloEngineSnapshot) {
    for (const [name, signal] of Object.entries(snapshot?.firing ?? {})) this.firing.set(name, signal);
    for (const [name, signal] of Object.entries(snapshot?.tickets ?? {})) this.tickets.set(name, signal);
    this.restored = new Map(Object.entries(snapshot?.indicators ?? {}));
    this.restoredSeries = new Map(Object.entries(snapshot?.metricSeries ?? {}));
    this.define(slos);
  }

  /** Replaces the set of SLOs; counts of indicators still in use are kept, so an edit loses no history. */
  define(slos: readonly SloDefinition[]): void {
    const windows = new Map<string, number>();
    for (const slo of slos) windows.set(indicatorKey(slo), Math.max(windows.get(indicatorKey(slo)) ?? 0, parseSloWindow(slo.window)!));
    const next = new Map<string, Indicator>();
    for (const slo of slos) {
      const key = indicatorKey(slo);
      if (next.has(key)) continue;
      const windowMs = windows.get(key)!;
      const old = this.indicators.get(key);
      const counts = old && old.counts.windowMs === windowMs ? old.counts : new IndicatorCounts(windowMs, old ? old.counts.snapshot() : this.restored.get(key));
      this.restored.delete(key);
      const metric = slo.metric ? (old?.metric ?? new MetricCounts(slo.service, slo.metric, slo.thresholdMs, this.restoredSeries.get(key))) : undefined;
      this.restoredSeries.delete(key);
      next.set(key, {
        key,
        service: slo.service,
        ...(slo.route ? { route: slo.route } : {}),
        ...(slo.objective === 'latency' && slo.thresholdMs !== undefined ? { thresholdMs: slo.thresholdMs } : {}),
        counts,
        ...(metric ? { metric } : {}),
      });
    }
    this.indicators = next;
    this.byService = new Map();
    this.fromMetrics = [...next.values()].filter((ind) => ind.metric);
    for (const ind of next.values()) {
      if (ind.metric) continue; // spans never feed a metric SLO
      const list = this.byService.get(ind.service) ?? [];
      list.push(ind);
      this.byService.set(ind.service, list);
    }
    this.tracked = slos.map((slo) => ({ slo, windowMs: parseSloWindow(slo.window)!, indicator: next.get(indicatorKey(slo))! }));
  }

  observeSpans(spans: readonly Span[]): void {
    if (!this.byService.size) return;
    for (const span of spans) {
      if (!isEntrySpan(span) || !this.byService.has(span.service)) continue;
      const route = routeOf(span);
      const methodRoute = span.httpMethod && span.httpRoute ? `${span.httpMethod} ${span.httpRoute}` : route;
      this.observeRequests(
        {
          service: span.service,
          routes: [route, methodRoute],
          endMs: span.startTimeMs + span.durationMs,
          durationMs: span.durationMs,
          failed: isFailedSpan(span),
        },
        1,
      );
    }
  }

  /** Metric SLOs count the events their good/total metrics report, at each point's time. */
  observeMetrics(points: readonly MetricPoint[]): void {
    if (!this.fromMetrics.length || !points.length) return;
    const increments: MetricIncrement[] = [];
    for (const ind of this.fromMetrics) {
      increments.length = 0;
      for (const inc of ind.metric!.observe(points, increments)) ind.counts.add(inc.timeMs, inc.good, inc.total);
    }
  }

  /** `count` identical requests ending at `endMs`: spans one by one, or history replayed in bulk. */
  observeRequests(r: { service: string; routes: readonly string[]; endMs: number; durationMs: number; failed: boolean }, count: number): void {
    for (const ind of this.byService.get(r.service) ?? []) {
      if (ind.route !== undefined && !r.routes.includes(ind.route)) continue;
      const good = ind.thresholdMs === undefined ? !r.failed : r.durationMs <= ind.thresholdMs;
      ind.counts.add(r.endMs, good ? count : 0, count);
    }
  }

  /**
   * Judges every SLO at engine time `nowMs`: new `slo-burn` pages, `slo-ticket` signals (the slow
   * rule: a ticket, never a page, so it joins an open incident but opens none) and recoveries.
   */
  evaluate(nowMs: number): Signal[] {
    const out: Signal[] = [];
    const live = new Set<string>();
    const sums = new Map<Indicator, WindowSums>();
    for (const t of this.tracked) {
      live.add(t.slo.name);
      const status = this.assess(t, nowMs, sums);
      for (const severity of ['page', 'ticket'] as const) {
        const open = severity === 'page' ? this.firing : this.tickets;
        const alerts = status.alerts.filter((a) => a.severity === severity);
        // A page already says more than a ticket: no ticket is raised while the SLO pages.
        const raise = alerts.length > 0 && (severity === 'page' || !status.alerts.some((a) => a.severity === 'page'));
        const current = open.get(t.slo.name);
        if (raise && !current) {
          const signal = burnSignal(t, status, alerts, nowMs);
          open.set(t.slo.name, signal);
          out.push(signal);
        } else if (!alerts.length && current) {
          open.delete(t.slo.name);
          out.push({ ...current, status: 'recovered', endedAtMs: nowMs, detectedAtMs: nowMs });
        }
      }
    }
    // An SLO deleted while burning recovers rather than firing for ever.
    for (const open of [this.firing, this.tickets]) {
      for (const [name, signal] of open) {
        if (live.has(name)) continue;
        open.delete(name);
        out.push({ ...signal, status: 'recovered', endedAtMs: nowMs, detectedAtMs: nowMs });
      }
    }
    return out;
  }

  statuses(nowMs: number): SloStatus[] {
    const sums = new Map<Indicator, WindowSums>();
    return this.tracked.map((t) => this.assess(t, nowMs, sums));
  }

  snapshot(): SloEngineSnapshot {
    const indicators: Record<string, CountsSnapshot> = {};
    const metricSeries: Record<string, MetricCountsSnapshot> = {};
    for (const [key, ind] of this.indicators) {
      indicators[key] = ind.counts.snapshot();
      if (ind.metric) metricSeries[key] = ind.metric.snapshot();
    }
    return { indicators, firing: Object.fromEntries(this.firing), tickets: Object.fromEntries(this.tickets), metricSeries };
  }

  private assess(t: Tracked, nowMs: number, cache: Map<Indicator, WindowSums>): SloStatus {
    const { slo, windowMs } = t;
    let sums = cache.get(t.indicator);
    if (!sums) {
      sums = windowSums(t.indicator.counts, nowMs);
      cache.set(t.indicator, sums);
    }
    const whole = windowMs === t.indicator.counts.windowMs ? sums.whole : bounded(t.indicator.counts.long(nowMs, windowMs));
    const burn = (w: GoodTotal): number => burnRate(w.good, w.total, slo.target);
    const burnRates = { '5m': burn(sums.m5), '30m': burn(sums.m30), '1h': burn(sums.h1), '6h': burn(sums.h6), '3d': burn(sums.d3) };
    const alerts: BurnAlert[] = [];
    for (const rule of burnRules) {
      const [long, short] = ruleWindows(rule, sums);
      const threshold = burnThreshold(rule, windowMs);
      const longBurn = burn(long);
      const shortBurn = burn(short);
      if (longBurn >= threshold && shortBurn >= threshold && long.total - long.good >= minBadRequests)
        alerts.push({ severity: rule.severity, longWindow: windowLabel(rule.longMs), shortWindow: windowLabel(rule.shortMs), threshold, longBurn, shortBurn });
    }
    const remaining = budgetRemaining(whole.good, whole.total, slo.target);
    const exhaustion = exhaustionForecastMs(remaining, burnRates['1h'], windowMs);
    const status: SloState =
      alerts.some((a) => a.severity === 'page') || remaining <= 0 ? 'breaching' : alerts.length || remaining < warningBudgetLeft ? 'warning' : 'ok';
    return {
      name: slo.name,
      service: slo.service,
      ...(slo.route ? { route: slo.route } : {}),
      objective: slo.objective,
      target: slo.target,
      ...(slo.thresholdMs !== undefined ? { thresholdMs: slo.thresholdMs } : {}),
      ...(slo.metric ? { metric: slo.metric } : {}),
      window: slo.window,
      attainment: whole.total > 0 ? whole.good / whole.total : null,
      errorBudgetRemaining: remaining,
      burnRates,
      budgetExhaustedInMs: Number.isFinite(exhaustion) ? exhaustion : null,
      forecast:
        remaining <= 0
          ? 'the error budget is spent'
          : Number.isFinite(exhaustion)
            ? `at this rate the budget is gone in ${formatSpan(exhaustion)}`
            : 'no budget is burning',
      alerts,
      status,
      requests: { good: whole.good, total: whole.total },
    };
  }
}

interface WindowSums {
  m5: GoodTotal;
  m30: GoodTotal;
  h1: GoodTotal;
  h6: GoodTotal;
  d3: GoodTotal;
  whole: GoodTotal;
}

function windowSums(c: IndicatorCounts, nowMs: number): WindowSums {
  return {
    m5: bounded(c.recent(nowMs, 5 * minuteMs)),
    m30: bounded(c.recent(nowMs, 30 * minuteMs)),
    h1: bounded(c.recent(nowMs, 60 * minuteMs)),
    h6: bounded(c.recent(nowMs, 360 * minuteMs)),
    d3: bounded(c.long(nowMs, 72 * 60 * minuteMs)),
    whole: bounded(c.long(nowMs, c.windowMs)),
  };
}

/**
 * A metric SLO's good and total events come from different series, reported at slightly different
 * moments: a window's edge may hold one without the other. Good is never below 0 nor above total.
 */
function bounded(w: GoodTotal): GoodTotal {
  if (w.good < 0) w.good = 0;
  else if (w.good > w.total) w.good = w.total;
  return w;
}

const byMs: Record<number, keyof WindowSums> = {
  [5 * minuteMs]: 'm5',
  [30 * minuteMs]: 'm30',
  [60 * minuteMs]: 'h1',
  [360 * minuteMs]: 'h6',
  [72 * 60 * minuteMs]: 'd3',
};

function ruleWindows(rule: BurnRule, sums: WindowSums): [GoodTotal, GoodTotal] {
  return [sums[byMs[rule.longMs]!], sums[byMs[rule.shortMs]!]];
}

function burnSignal(t: Tracked, status: SloStatus, alerts: BurnAlert[], nowMs: number): Signal {
  const { slo } = t;
  // Rules are ordered fastest first: the summary quotes the one that reacts soonest.
  const fastest = alerts[0]!;
  const exhaustion = exhaustionForecastMs(status.errorBudgetRemaining, fastest.longBurn, t.windowMs);
  const kind = fastest.severity === 'page' ? 'slo-burn' : 'slo-ticket';
  const key = `${kind}|${slo.name}`;
  const shortMs = burnRules.find((r) => windowLabel(r.shortMs) === fastest.shortWindow)!.shortMs;
  const startedAtMs = nowMs - shortMs;
  const gone = status.errorBudgetRemaining <= 0 ? 'the budget is spent' : `budget gone in ${formatSpan(exhaustion)}`;
  return {
    id: `${key}@${startedAtMs}`,
    key,
    kind,
    status: 'firing',
    subject: { service: slo.service, ...(slo.route ? { route: slo.route } : {}), ...(slo.metric ? { metric: slo.metric.total.name } : {}) },
    startedAtMs,
    detectedAtMs: nowMs,
    window: { fromMs: nowMs - burnRules.find((r) => windowLabel(r.longMs) === fastest.longWindow)!.longMs, toMs: nowMs },
    observed: fastest.longBurn,
    baseline: fastest.threshold,
    unit: 'burn-rate',
    pValue: Number.NaN,
    // A ticket is low by design: it asks for attention this week, not a wake-up.
    score: kind === 'slo-ticket' ? 0.3 : Math.min(1, 0.6 + 0.1 * (fastest.longBurn / fastest.threshold)),
    summary: `${kind === 'slo-ticket' ? 'Ticket: ' : ''}SLO "${slo.name}" burning its error budget ${formatBurn(fastest.longBurn)} (${fastest.longWindow}) and ${formatBurn(fastest.shortBurn)} (${fastest.shortWindow}): ${gone}`,
    evidence: {
      slo: slo.name,
      severity: fastest.severity,
      objective: slo.objective,
      target: slo.target,
      window: slo.window,
      threshold: fastest.threshold,
      burn5m: status.burnRates['5m'],
      burn1h: status.burnRates['1h'],
      burn6h: status.burnRates['6h'],
      errorBudgetRemaining: status.errorBudgetRemaining,
      budgetExhaustedInMs: Number.isFinite(exhaustion) ? exhaustion : -1,
    },
  };
}
