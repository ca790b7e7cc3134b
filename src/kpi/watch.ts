// Watches declared KPIs in event time. Each closed minute is scored by the shared series scorer
// under metric-anomaly's alarm rule (detect/series/alarm.ts: log scale, held episodes, threshold 0.9,
// trusted after 60 minutes), the one judgement behind metric and KPI anomalies: a drop is two flagged
// minutes in a row, each off the bad way by the KPI's medium change. The scorer measures how rare one
// minute is against a week's record, which a count under ~100 a minute cannot show (a 75% drop of 30
// Poisson orders is ~4 sd, as rare as a day's worst minute), so the watcher also sums the last two or
// three minutes against the KPI's own minute-to-minute noise (beyond 4 sd). It keeps what only a
// declaration says: which way is bad, the share of the usual level missing (the usual level: a
// half-hour weighted mean of minutes not in a drop), and a count's empty minutes closed as zeros.
// Pure and JSON-serializable, so replays agree.
import { alarmScore, createSeriesScorer, defaultDetectionConfig, restoreSeriesScorer } from '../detect/index.js';
import type { AlarmedSeries, AlarmRule, DetectionConfig, SeriesScorer, SeriesScorerSnapshot } from '../detect/index.js';
import type { MetricPoint } from '../model/index.js';
import type { KpiDefinition } from './config.js';

const MINUTE = 60_000;
/**
 * Smoothing of the usual level and its noise: about the last half hour carries the weight, so a
 * daily cycle's slope is not taken for a drop (a two-hour mean lags a 100–300 cycle by a quarter).
 */
const ALPHA = 1 / 30;
/** The noise test judges the last three full minutes when all are off by the medium change … */
const CURRENT_MINUTES = 3;
/** … or the last two, when both are off by the high change: a 75% drop is judged at its third point. */
const SEVERE_MINUTES = 2;
/**
 * … or the last ten, when their mean is off by the high change: at ten orders a minute a 75% drop
 * is ~2.4 sd a minute, so only a longer total tells it from the night's noise.
 */
const LONG_MINUTES = 10;
/**
 * The judged minutes' total must miss the usual one by this many standard deviations of such a
 * total (from the KPI's learned minute-to-minute spread). Judged every minute, a window's noise
 * passes 3 about twice a day (tail 1.3e-3 × 1,440 minutes: what 10–90 orders a minute did under
 * that rule); 4 (3e-5) is rarer than once a week, the scorer's own bar, and a 75% drop of 30 orders
 * a minute still clears it within two minutes.
 */
const NOISE_Z = 4;
/** Mean absolute deviation to standard deviation, for normal noise. */
const MAD_TO_SD = 1.2533;
/**
 * A count with no point in a minute counted nothing (SDKs skip empty delta intervals), so its
 * minutes close as zeros as the clock advances; past this much quiet the source is silent rather
 * than at zero (the silence detector's concern), and nothing more is filled in.
 */
const FILL_QUIET_MS = 15 * MINUTE;

/** How a KPI's minutes are judged: metric-anomaly's alarm, one evaluation per closed minute. */
export interface KpiAlarm extends AlarmRule {
  /** Minutes the scorer must have seen before its scores are trusted. */
  minPoints: number;
  /** Anomalous minutes in a row that make a drop. */
  fireAfter: number;
}

/**
 * The detection settings' alarm: metric-anomaly's threshold and trust, the consecutive-evaluation
 * rule, and a hold as long as the baselines' (a fault becomes the usual only after 3 h), not the
 * generic series' hour: an outage of orders must not go quiet while orders are still down.
 */
export function kpiAlarmFor(config: DetectionConfig): Readonly<KpiAlarm> {
  return Object.freeze({
    threshold: config.metricAnomaly.threshold,
    minPoints: config.metricAnomaly.minPoints,
    fireAfter: config.fireAfterBuckets,
    holdPoints: Math.round(config.adaptAfterMs / MINUTE),
  });
}

/** The alarm under the detection defaults. */
export const defaultKpiAlarm: Readonly<KpiAlarm> = kpiAlarmFor(defaultDetectionConfig);

/** A closed minute: its start (ms), its value and, once the scorer is trusted, the alarm's score of it. */
type ClosedMinute = [number, number, number?];

interface KpiSeries extends AlarmedSeries {
  usual: number;
  learned: number;
  /** Minutes in a row held out of learning because they were off. */
  held: number;
  /** Learned mean absolute deviation of a minute from the usual level. */
  spread: number;
  /** Per-minute values by minute start (ms), newest last (still filling), at most LONG_MINUTES + 1. */
  minutes: ClosedMinute[];
  /** count: per-interval amounts add up (sums); level: each source's latest value in the minute (gauges). */
  shape: 'count' | 'level';
  /** level: each source's latest value in the filling minute. */
  levels: Record<string, number>;
  /** cumulative counts: each source's last total, so the minute gets the increase. */
  totals: Record<string, number>;
  /** The service of the latest point (the signal's subject when the KPI names none). */
  service: string;
  lastPointMs: number;
  /** The metric's own unit, when the declaration gives none. */
  unit: string;
  /** Scorer state as of the last snapshot (absent in snapshots from before the shared scorer: it learns anew). */
  scorer?: SeriesScorerSnapshot;
}

export interface KpiState {
  series: Record<string, KpiSeries>;
}

export interface KpiDrop {
  kpi: string;
  metric: string;
  service?: string;
  direction: KpiDefinition['direction'];
  /** 0..1 (more for a rise): the share of the usual level missing (or added, when a rise is bad). */
  drop: number;
  current: number;
  usual: number;
  /** "orders", "EUR" … when known. */
  unit?: string;
  /** Counts are per minute; levels (gauges) are as they are. */
  perMinute: boolean;
  severity: 'medium' | 'high' | 'critical';
  /** What found it: the shared series scorer's alarm, or the KPI's own noise test (absent when read back from a signal). */
  judgedBy?: 'scorer' | 'noise';
}

const sourceOf = (p: MetricPoint): string => `${p.service}\u0000${JSON.stringify(p.attributes)}\u0000${JSON.stringify(p.resourceAttributes)}`;

export class KpiWatch {
  private readonly state: KpiState;
  /** Live scorers by KPI name; written into the state on snapshot. */
  private readonly scorers = new Map<string, SeriesScorer>();

  constructor(
    private readonly kpis: readonly KpiDefinition[],
    snapshot?: KpiState,
    private readonly alarm: Readonly<KpiAlarm> = defaultKpiAlarm,
  ) {
    this.state = snapshot ? structuredClone(snapshot) : { series: {} };
  }

  snapshot(): KpiState {
    for (const [name, scorer] of this.scorers) {
      const s = this.state.series[name];
      if (s) s.scorer = scorer.snapshot();
    }
    return structuredClone(this.state);
  }

  /** Feeds metric points; only those of declared KPIs (name, service, attribute values) count. */
  observe(points: readonly MetricPoint[]): void {
    for (const p of points) {
      if (!Number.isFinite(p.value)) continue;
      for (const k of this.kpis) {
        if (!matches(k, p)) continue;
        const shape = p.type === 'sum' ? 'count' : 'level';
        const s = (this.state.series[k.name] ??= {
          usual: 0,
          learned: 0,
          held: 0,
          spread: 0,
          points: 0,
          lastValue: 0,
          minutes: [],
          shape,
          levels: {},
          totals: {},
          service: p.service,
          lastPointMs: 0,
          unit: '',
        });
        s.service = p.service;
        s.unit = p.unit && p.unit !== '1' ? p.unit : '';
        this.add(k, s, p);
      }
    }
  }

  /**
   * The engine clock moved to `nowMs`: counts' minutes that ended a minute ago (late points
   * allowed for) close, as zeros when nothing came, within FILL_QUIET_MS of the last point.
   */
  advance(nowMs: number): void {
    const settled = Math.floor((nowMs - MINUTE) / MINUTE) * MINUTE;
    for (const k of this.kpis) {
      const s = this.state.series[k.name];
      if (!s || s.shape !== 'count') continue;
      const until = Math.min(settled, Math.floor((s.lastPointMs + FILL_QUIET_MS) / MINUTE) * MINUTE);
      let last = s.minutes[s.minutes.length - 1];
      while (last && last[0] < until) {
        this.closeMinute(k, s, last[0] + MINUTE, 0);
        last = s.minutes[s.minutes.length - 1];
      }
    }
  }

  /** KPIs off by at least their medium change, as of the minutes closed. */
  drops(): KpiDrop[] {
    const out: KpiDrop[] = [];
    for (const k of this.kpis) {
      const s = this.state.series[k.name];
      if (!s || s.usual <= 0) continue;
      const d = this.dropOf(k, s);
      if (d) out.push(d);
    }
    return out;
  }

  /** Start of the earliest of the minutes a drop is judged on (the onset of a drop seen now). */
  judgedSinceMs(kpi: string): number | undefined {
    const s = this.state.series[kpi];
    const k = this.kpis.find((x) => x.name === kpi);
    if (!s || !k) return undefined;
    return (this.judged(k, s)?.minutes ?? s.minutes.slice(0, -1).slice(-this.alarm.fireAfter))[0]?.[0];
  }

  private scorerOf(name: string, s: KpiSeries): SeriesScorer {
    let scorer = this.scorers.get(name);
    if (!scorer) {
      scorer = s.scorer ? restoreSeriesScorer(s.scorer) : createSeriesScorer();
      // An older snapshot's minutes were never scored: the alarm's trust starts over with the scorer.
      if (!s.scorer) s.points = 0;
      this.scorers.set(name, scorer);
    }
    return scorer;
  }

  private add(k: KpiDefinition, s: KpiSeries, p: MetricPoint): void {
    const minute = Math.floor(p.timeMs / MINUTE) * MINUTE;
    const last = s.minutes[s.minutes.length - 1];
    if (last && minute < last[0]) return; // a minute already closed
    s.lastPointMs = Math.max(s.lastPointMs, p.timeMs);
    let amount = p.value;
    if (s.shape === 'count' && p.temporality === 'cumulative') {
      const source = sourceOf(p);
      const before = s.totals[source];
      s.totals[source] = p.value;
      // The first total only sets the mark; a total that fell is a restarted counter counting anew.
      if (before === undefined) amount = 0;
      else if (p.value >= before) amount = p.value - before;
    }
    if (!last || minute > last[0]) {
      s.levels = {};
      this.closeMinute(k, s, minute, 0);
    }
    const open = s.minutes[s.minutes.length - 1]!;
    if (s.shape === 'count') open[1] += amount;
    else {
      // A gauge reported several times in a minute counts once per source: its latest value.
      s.levels[sourceOf(p)] = amount;
      open[1] = Object.values(s.levels).reduce((a, b) => a + b, 0);
    }
  }

  /** Scores the minute that closes, learns the usual level from it unless it is off, and opens `minute`. */
  private closeMinute(k: KpiDefinition, s: KpiSeries, minute: number, value: number): void {
    const closed = s.minutes[s.minutes.length - 1];
    if (closed) {
      const score = alarmScore(s, this.scorerOf(k.name, s), closed[0], closed[1], this.alarm);
      const trusted = s.points >= this.alarm.minPoints;
      if (trusted) closed[2] = score;
      // A minute that completes a drop (by either judge) or that the alarm flags is held out of the
      // usual level (an outage must not become the new normal) until such minutes have lasted as
      // long as the alarm holds a change. Noise alone is learnt: holding out merely low minutes
      // would bias the usual level up.
      const off = trusted && (score >= this.alarm.threshold || this.judged(k, s, s.minutes) !== undefined);
      if (off && s.held < this.alarm.holdPoints) s.held += 1;
      else {
        const gain = Math.max(ALPHA, 1 / (s.learned + 1));
        if (s.learned > 0) s.spread = (s.spread ?? 0) + gain * (Math.abs(closed[1] - s.usual) - (s.spread ?? 0));
        s.usual = s.learned === 0 ? closed[1] : s.usual + gain * (closed[1] - s.usual);
        s.learned += 1;
        if (!off) s.held = 0;
      }
    }
    s.minutes.push([minute, value]);
    while (s.minutes.length > Math.max(LONG_MINUTES, this.alarm.fireAfter) + 1) s.minutes.shift();
  }

  /** The share of the usual level the least bad of `minutes` (or their mean) misses (or adds), and that level. */
  private shareOff(
    k: KpiDefinition,
    s: KpiSeries,
    minutes: readonly ClosedMinute[],
    of: 'least bad' | 'mean' = 'least bad',
  ): { drop: number; current: number } {
    const values = minutes.map(([, v]) => v);
    const leastBad = k.direction === 'drop-is-bad' ? Math.max(...values) : Math.min(...values);
    const current = of === 'mean' ? values.reduce((a, b) => a + b, 0) / values.length : leastBad;
    return { drop: k.direction === 'drop-is-bad' ? 1 - current / s.usual : current / s.usual - 1, current };
  }

  /** Whether the minutes' total lies beyond the KPI's own noise (always, while no spread is learned). */
  private beyondNoise(k: KpiDefinition, s: KpiSeries, minutes: readonly ClosedMinute[]): boolean {
    const sd = (s.spread ?? 0) * MAD_TO_SD;
    if (sd <= 0) return true;
    const total = minutes.reduce((a, [, v]) => a + v, 0);
    const off = k.direction === 'drop-is-bad' ? s.usual * minutes.length - total : total - s.usual * minutes.length;
    return off >= NOISE_Z * sd * Math.sqrt(minutes.length);
  }

  /**
   * The full minutes a drop is judged on, and by what. The scorer: the last `fireAfter`, when the
   * alarm flagged each and each is off the bad way by the medium change. The noise test: the last
   * two when both are off by the high change, else the last three when all are off by the medium
   * one, else the last ten when their mean is off by the high one and their last three by the
   * medium one; beyond the KPI's own noise each.
   */
  private judged(
    k: KpiDefinition,
    s: KpiSeries,
    closed = s.minutes.slice(0, -1),
  ): { minutes: ClosedMinute[]; by: KpiDrop['judgedBy']; of?: 'mean' } | undefined {
    if (s.usual <= 0) return undefined;
    // The minute still filling is left out (it would always look like a drop), and so are minutes
    // from before the scorer was trusted.
    const full = closed.filter((m) => m[2] !== undefined);
    const alarmed = full.slice(-this.alarm.fireAfter);
    const flagged = (m: ClosedMinute): boolean => (m[2] ?? 0) >= this.alarm.threshold && this.shareOff(k, s, [m]).drop >= k.drops.medium;
    if (alarmed.length === this.alarm.fireAfter && alarmed.every(flagged)) return { minutes: alarmed, by: 'scorer' };
    const severe = full.slice(-SEVERE_MINUTES);
    if (severe.length === SEVERE_MINUTES && this.shareOff(k, s, severe).drop >= k.drops.high && this.beyondNoise(k, s, severe))
      return { minutes: severe, by: 'noise' };
    const recent = full.slice(-CURRENT_MINUTES);
    if (recent.length === CURRENT_MINUTES && this.shareOff(k, s, recent).drop >= k.drops.medium && this.beyondNoise(k, s, recent))
      return { minutes: recent, by: 'noise' };
    const long = full.slice(-LONG_MINUTES);
    // … while it lasts: its last three minutes are still off, so a recovery is seen at once.
    const lasting = this.shareOff(k, s, long.slice(-CURRENT_MINUTES)).drop >= k.drops.medium;
    if (long.length === LONG_MINUTES && lasting && this.shareOff(k, s, long, 'mean').drop >= k.drops.high && this.beyondNoise(k, s, long))
      return { minutes: long, by: 'noise', of: 'mean' };
    return undefined;
  }

  private dropOf(k: KpiDefinition, s: KpiSeries): KpiDrop | undefined {
    const judged = this.judged(k, s);
    if (!judged) return undefined;
    const { minutes, by, of } = judged;
    // The least bad of the judged minutes (every one of them is off), or their mean over ten.
    const { drop, current } = this.shareOff(k, s, minutes, of);
    const severity = drop >= k.drops.critical ? 'critical' : drop >= k.drops.high ? 'high' : 'medium';
    const unit = k.unit ?? (s.unit || undefined);
    return {
      kpi: k.name,
      metric: k.metric,
      ...(k.service || s.service ? { service: k.service ?? s.service } : {}),
      direction: k.direction,
      drop: Math.round(drop * 1000) / 1000,
      current,
      usual: s.usual,
      ...(unit ? { unit } : {}),
      perMinute: s.shape === 'count',
      severity,
      judgedBy: by,
    };
  }
}

function matches(k: KpiDefinition, p: MetricPoint): boolean {
  if (k.metric !== p.name || (k.service !== undefined && k.service !== p.service)) return false;
  if (!k.attributes) return true;
  for (const [key, want] of Object.entries(k.attributes)) {
    const have = p.attributes[key] ?? p.resourceAttributes[key];
    if (have === undefined || String(have) !== want) return false;
  }
  return true;
}
