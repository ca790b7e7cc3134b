// Watches declared KPIs in event time: per KPI a usual level (an exponentially weighted mean of
// per-minute values that stops learning while the KPI is off, so an outage does not become the new
// normal) and the current level (the least bad of the last three full minutes, or of two when both
// are off by the high change). A drop is the share of the usual level missing now (for a KPI whose
// rise is bad, the share added), and counts only when those minutes together lie beyond the KPI's
// own minute-to-minute noise. Pure and JSON-serializable, so replays agree.
import type { MetricPoint } from '../model/index.js';
import type { KpiDefinition } from './config.js';

const MINUTE = 60_000;
/** Minutes that must all be off for a drop: one bad minute of orders is noise, three in a row is not. */
const CURRENT_MINUTES = 3;
/** … or two, when both are off by the KPI's high change: a 75% drop is raised at its third point. */
const SEVERE_MINUTES = 2;
/**
 * The judged minutes' total must miss the usual one by this many standard deviations of such a
 * total (from the KPI's learned minute-to-minute spread): a 10% dip of 120 orders a minute is
 * ordinary Poisson noise for three minutes about once in four hours, a real drop is not.
 */
const NOISE_Z = 3;
/** Mean absolute deviation to standard deviation, for normal noise. */
const MAD_TO_SD = 1.2533;
/** Minutes of history before the usual level is trusted. */
const WARMUP_MINUTES = 30;
/** Smoothing of the usual level: about the last two hours carry the weight. */
const ALPHA = 1 / 120;
/** Like the detectors' baselines, a worse level becomes the usual one only after it lasted 3 h. */
const HOLD_MINUTES = 180;
/**
 * A count with no point in a minute counted nothing (SDKs skip empty delta intervals), so its
 * minutes close as zeros as the clock advances; past this much quiet the source is silent rather
 * than at zero (the silence detector's concern), and nothing more is filled in.
 */
const FILL_QUIET_MS = 15 * MINUTE;

interface KpiSeries {
  usual: number;
  learned: number;
  /** Minutes in a row held out of learning because they were off. */
  held: number;
  /** Learned mean absolute deviation of a minute from the usual level (absent in older snapshots: no noise gate). */
  spread?: number;
  /** Per-minute values by minute start (ms), newest last (still filling), at most CURRENT_MINUTES + 1. */
  minutes: Array<[number, number]>;
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
}

const sourceOf = (p: MetricPoint): string => `${p.service}\u0000${JSON.stringify(p.attributes)}\u0000${JSON.stringify(p.resourceAttributes)}`;

export class KpiWatch {
  private readonly state: KpiState;

  constructor(
    private readonly kpis: readonly KpiDefinition[],
    snapshot?: KpiState,
  ) {
    this.state = snapshot ? structuredClone(snapshot) : { series: {} };
  }

  snapshot(): KpiState {
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
      if (!s || s.learned < WARMUP_MINUTES || s.usual <= 0) continue;
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
    return (this.judged(k, s) ?? s.minutes.slice(0, -1).slice(-CURRENT_MINUTES))[0]?.[0];
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

  /** Off by the medium change and beyond the noise: such a minute is kept out of the usual level (noise alone must not bias it). */
  private isOff(k: KpiDefinition, s: KpiSeries, value: number): boolean {
    const share = k.direction === 'drop-is-bad' ? value < s.usual * (1 - k.drops.medium) : value > s.usual * (1 + k.drops.medium);
    return share && this.beyondNoise(k, s, [[0, value]]);
  }

  private closeMinute(k: KpiDefinition, s: KpiSeries, minute: number, value: number): void {
    const closed = s.minutes[s.minutes.length - 1];
    if (closed) {
      // A minute off by the smallest change is held out of the usual level (an outage must not
      // become the new normal) until such minutes have lasted HOLD_MINUTES.
      const off = s.learned >= WARMUP_MINUTES && this.isOff(k, s, closed[1]);
      if (off && s.held < HOLD_MINUTES) s.held += 1;
      else {
        const gain = Math.max(ALPHA, 1 / (s.learned + 1));
        if (s.learned > 0 && s.spread !== undefined) s.spread += gain * (Math.abs(closed[1] - s.usual) - s.spread);
        s.usual = s.learned === 0 ? closed[1] : s.usual + gain * (closed[1] - s.usual);
        s.learned += 1;
        if (!off) s.held = 0;
      }
    }
    s.minutes.push([minute, value]);
    while (s.minutes.length > CURRENT_MINUTES + 1) s.minutes.shift();
  }

  /** The share of the usual level the least bad of `minutes` misses (or adds), and that level. */
  private shareOff(k: KpiDefinition, s: KpiSeries, minutes: ReadonlyArray<[number, number]>): { drop: number; current: number } {
    const values = minutes.map(([, v]) => v);
    const current = k.direction === 'drop-is-bad' ? Math.max(...values) : Math.min(...values);
    return { drop: k.direction === 'drop-is-bad' ? 1 - current / s.usual : current / s.usual - 1, current };
  }

  /** Whether the minutes' total lies beyond the KPI's own noise (always, while no spread is learned). */
  private beyondNoise(k: KpiDefinition, s: KpiSeries, minutes: ReadonlyArray<[number, number]>): boolean {
    const sd = (s.spread ?? 0) * MAD_TO_SD;
    if (sd <= 0) return true;
    const total = minutes.reduce((a, [, v]) => a + v, 0);
    const off = k.direction === 'drop-is-bad' ? s.usual * minutes.length - total : total - s.usual * minutes.length;
    return off >= NOISE_Z * sd * Math.sqrt(minutes.length);
  }

  /**
   * The full minutes a drop is judged on: the last two when both are off by the high change, else
   * the last three when all are off by the medium one; beyond the noise either way.
   */
  private judged(k: KpiDefinition, s: KpiSeries): Array<[number, number]> | undefined {
    if (s.usual <= 0) return undefined;
    // The minute still filling is left out: it would always look like a drop.
    const full = s.minutes.slice(0, -1);
    const severe = full.slice(-SEVERE_MINUTES);
    if (severe.length === SEVERE_MINUTES && this.shareOff(k, s, severe).drop >= k.drops.high && this.beyondNoise(k, s, severe)) return severe;
    const recent = full.slice(-CURRENT_MINUTES);
    if (recent.length === CURRENT_MINUTES && this.shareOff(k, s, recent).drop >= k.drops.medium && this.beyondNoise(k, s, recent)) return recent;
    return undefined;
  }

  private dropOf(k: KpiDefinition, s: KpiSeries): KpiDrop | undefined {
    const minutes = this.judged(k, s);
    if (!minutes) return undefined;
    // The least bad of the judged minutes: every one of them is off.
    const { drop, current } = this.shareOff(k, s, minutes);
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
