// Watches declared KPIs like any signal, in event time: per KPI a usual level (an exponentially
// weighted mean of per-minute values that stops learning while the KPI is down, so an outage does
// not become the new normal) and the current level (the best of the last three full minutes). A drop is
// the share of the usual level missing now. Pure and JSON-serializable, so replays agree.
import type { MetricPoint } from '../model/index.js';
import type { KpiDefinition } from './config.js';

/** Minutes that must all be down for a drop: one bad minute of orders is noise, three in a row is not. */
const CURRENT_MINUTES = 3;
/** Minutes of history before the usual level is trusted. */
const WARMUP_MINUTES = 30;
/** Smoothing of the usual level: about the last two hours carry the weight. */
const ALPHA = 1 / 120;
/** Like the detectors' baselines, a lower level becomes the usual one only after it lasted 3 h. */
const HOLD_MINUTES = 180;

interface KpiSeries {
  usual: number;
  learned: number;
  /** Minutes in a row held out of learning because they were down. */
  held: number;
  /** Per-minute sums by minute start (ms), newest last, at most CURRENT_MINUTES + 1. */
  minutes: Array<[number, number]>;
}

export interface KpiState {
  series: Record<string, KpiSeries>;
}

export interface KpiDrop {
  kpi: string;
  metric: string;
  service?: string;
  /** 0..1: the share of the usual level missing. */
  drop: number;
  current: number;
  usual: number;
  severity: 'medium' | 'high' | 'critical';
}

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

  /** Feeds metric points; only those of declared KPIs count. Points of one minute add up. */
  observe(points: readonly MetricPoint[]): void {
    for (const p of points) {
      if (!Number.isFinite(p.value)) continue;
      for (const k of this.kpis) {
        if (k.metric !== p.name || (k.service !== undefined && k.service !== p.service)) continue;
        const s = (this.state.series[k.name] ??= { usual: 0, learned: 0, held: 0, minutes: [] });
        const minute = Math.floor(p.timeMs / 60_000) * 60_000;
        const last = s.minutes[s.minutes.length - 1];
        if (last && last[0] === minute) last[1] += p.value;
        else if (!last || minute > last[0]) this.closeMinute(k, s, minute, p.value);
      }
    }
  }

  /** KPIs down by at least their medium drop, as of the minutes seen. */
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

  private closeMinute(k: KpiDefinition, s: KpiSeries, minute: number, value: number): void {
    const closed = s.minutes[s.minutes.length - 1];
    if (closed) {
      // A minute below the smallest drop is held out of the usual level (an outage must not become
      // the new normal) until such minutes have lasted HOLD_MINUTES.
      const down = s.learned >= WARMUP_MINUTES && closed[1] < s.usual * (1 - k.drops.medium);
      if (down && s.held < HOLD_MINUTES) s.held += 1;
      else {
        s.usual = s.learned === 0 ? closed[1] : s.usual + Math.max(ALPHA, 1 / (s.learned + 1)) * (closed[1] - s.usual);
        s.learned += 1;
        if (!down) s.held = 0;
      }
    }
    s.minutes.push([minute, value]);
    while (s.minutes.length > CURRENT_MINUTES + 1) s.minutes.shift();
  }

  private dropOf(k: KpiDefinition, s: KpiSeries): KpiDrop | undefined {
    // The minute still filling is left out: it would always look like a drop.
    const full = s.minutes.slice(0, -1).slice(-CURRENT_MINUTES);
    if (full.length < CURRENT_MINUTES || s.usual <= 0) return undefined;
    // The best of the recent minutes: every one of them must be down.
    const current = Math.max(...full.map(([, v]) => v));
    const drop = 1 - current / s.usual;
    const severity = drop >= k.drops.critical ? 'critical' : drop >= k.drops.high ? 'high' : drop >= k.drops.medium ? 'medium' : undefined;
    if (!severity) return undefined;
    return { kpi: k.name, metric: k.metric, ...(k.service ? { service: k.service } : {}), drop: Math.round(drop * 1000) / 1000, current, usual: s.usual, severity };
  }
}
