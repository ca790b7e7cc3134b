// KPI drops as signals: a KPI that stays off fires a signal the incident engine correlates like any
// other (it opens an incident or joins the one already open), refreshed when its severity changes
// and recovered when the KPI is back; the signal carries the drop, so the engine can raise the
// incident's severity from its own signals (kpiDropsOf) in live runs and replays alike.
import type { MetricPoint, Signal } from '../model/index.js';
import type { KpiDefinition } from './config.js';
import { kpiDropText } from './business-impact.js';
import { KpiWatch, defaultKpiAlarm, type KpiAlarm, type KpiDrop, type KpiState } from './watch.js';

export interface KpiDetectorSnapshot {
  watch: KpiState;
  firing: Record<string, Signal>;
}

const severities = new Set(['medium', 'high', 'critical']);
const directions = new Set(['drop-is-bad', 'rise-is-bad']);

export class KpiDetector {
  private readonly watch: KpiWatch;
  private readonly firing: Map<string, Signal>;

  constructor(
    private readonly kpis: readonly KpiDefinition[],
    snapshot?: KpiDetectorSnapshot,
    alarm: Readonly<KpiAlarm> = defaultKpiAlarm,
  ) {
    this.watch = new KpiWatch(kpis, snapshot?.watch, alarm);
    this.firing = new Map(Object.entries(snapshot?.firing ?? {}).map(([k, s]) => [k, structuredClone(s)]));
  }

  snapshot(): KpiDetectorSnapshot {
    return { watch: this.watch.snapshot(), firing: Object.fromEntries([...this.firing].map(([k, s]) => [k, structuredClone(s)])) };
  }

  observe(points: readonly MetricPoint[]): void {
    if (this.kpis.length) this.watch.observe(points);
  }

  /** The KPI drops as of now. */
  drops(): KpiDrop[] {
    return this.watch.drops();
  }

  /** Signals that fired, changed severity or recovered as the clock reached `nowMs`. */
  advance(nowMs: number): Signal[] {
    if (!this.kpis.length) return [];
    this.watch.advance(nowMs);
    const out: Signal[] = [];
    const now = new Map(this.watch.drops().map((d) => [d.kpi, d]));
    for (const [kpi, signal] of this.firing) {
      if (now.has(kpi)) continue;
      this.firing.delete(kpi);
      out.push({ ...signal, status: 'recovered', endedAtMs: nowMs });
    }
    for (const [kpi, drop] of now) {
      const before = this.firing.get(kpi);
      if (before && before.evidence.kpiSeverity === drop.severity) continue;
      const startedAtMs = before?.startedAtMs ?? this.watch.judgedSinceMs(kpi) ?? nowMs;
      const signal = signalOf(
        drop,
        this.kpis.find((k) => k.name === kpi)!,
        startedAtMs,
        before?.detectedAtMs ?? nowMs,
        nowMs,
      );
      this.firing.set(kpi, signal);
      out.push(signal);
    }
    return out;
  }
}

function signalOf(d: KpiDrop, k: KpiDefinition, startedAtMs: number, detectedAtMs: number, nowMs: number): Signal {
  const key = `kpi-drop|${d.kpi}`;
  return {
    id: `${key}@${startedAtMs}`,
    key,
    kind: 'metric-anomaly',
    status: 'firing',
    subject: { service: d.service ?? k.service ?? '', metric: d.metric },
    startedAtMs,
    detectedAtMs,
    window: { fromMs: startedAtMs, toMs: nowMs },
    observed: d.current,
    baseline: d.usual,
    unit: d.unit ?? (d.perMinute ? 'per_min' : ''),
    pValue: Number.NaN,
    // As strong as the drop is towards the critical one.
    score: Math.round(Math.min(1, d.drop / k.drops.critical) * 100) / 100,
    summary: `business KPI ${kpiDropText(d)}`,
    evidence: {
      kpi: d.kpi,
      kpiSeverity: d.severity,
      kpiDirection: d.direction,
      drop: d.drop,
      current: d.current,
      usual: d.usual,
      perMinute: d.perMinute ? 'yes' : 'no',
      ...(d.unit ? { kpiUnit: d.unit } : {}),
      ...(d.judgedBy ? { kpiJudgedBy: d.judgedBy } : {}),
    },
  };
}

/** The KPI drops an incident's firing KPI signals carry (what raises its severity). */
export function kpiDropsOf(signals: readonly Signal[]): KpiDrop[] {
  const out: KpiDrop[] = [];
  for (const s of signals) {
    const e = s.evidence;
    if (s.status !== 'firing' || typeof e.kpi !== 'string' || !severities.has(String(e.kpiSeverity))) continue;
    out.push({
      kpi: e.kpi,
      metric: s.subject.metric ?? '',
      ...(s.subject.service ? { service: s.subject.service } : {}),
      direction: (directions.has(String(e.kpiDirection)) ? e.kpiDirection : 'drop-is-bad') as KpiDrop['direction'],
      drop: Number(e.drop),
      current: Number(e.current),
      usual: Number(e.usual),
      ...(typeof e.kpiUnit === 'string' ? { unit: e.kpiUnit } : {}),
      perMinute: e.perMinute === 'yes',
      severity: e.kpiSeverity as KpiDrop['severity'],
    });
  }
  return out;
}
