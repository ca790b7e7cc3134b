// Declared business KPIs read back from the store around an incident or a release: one query per
// KPI (store/queries/metrics.ts: counts as rates, gauges as averages), summed over the matching
// sources into one series per KPI, then summarised by the pure kpi/ core.
import { kpiAround, kpiWindow, type KpiAround, type KpiDefinition, type KpiSeriesPoint } from '../kpi/index.js';
import { metricSeries, type StoreClient } from '../store/index.js';

/** Sources summed per KPI at most: a KPI is a business total, not a per-customer breakdown. */
const MAX_SOURCES = 200;

export type KpiAroundReader = (event: { startMs: number; endMs?: number }, nowMs: number) => Promise<KpiAround[]>;

export function kpiAroundReader(store: StoreClient, kpis: readonly KpiDefinition[]): KpiAroundReader {
  return async (event, nowMs) => {
    if (!kpis.length) return [];
    const w = kpiWindow(event.startMs, Math.min(event.endMs ?? nowMs, nowMs));
    // A step still filling would read as a drop: only whole steps are shown.
    const toMs = Math.min(w.toMs, Math.floor(nowMs / w.stepMs) * w.stepMs);
    return Promise.all(
      kpis.map(async (k) => {
        const r = await metricSeries(store, {
          name: k.metric,
          fromMs: w.fromMs,
          toMs,
          stepMs: w.stepMs,
          ...(k.service ? { service: k.service } : {}),
          ...(k.attributes ? { attributes: k.attributes } : {}),
          maxSeries: MAX_SOURCES,
        });
        const count = r.type === 'sum';
        const totals = new Map<number, number>();
        for (const s of r.series)
          for (const p of s.points) if (p.value !== null) totals.set(p.timeMs, (totals.get(p.timeMs) ?? 0) + (count ? p.value * 60 : p.value));
        const series: KpiSeriesPoint[] = [];
        // A delta count with no point in a step after its first counted nothing; before its first
        // point, a cumulative count or a gauge, the value is unknown.
        const firstMs = count && r.temporality === 'delta' && totals.size > 0 ? Math.min(...totals.keys()) : Infinity;
        for (let t = w.fromMs; t < toMs; t += w.stepMs) series.push({ timeMs: t, value: totals.get(t) ?? (t > firstMs ? 0 : null) });
        const unit = k.unit ?? (r.unit && r.unit !== '1' ? r.unit : undefined);
        return kpiAround({ name: k.name, direction: k.direction, ...(unit ? { unit } : {}) }, series, {
          startMs: event.startMs,
          ...(event.endMs !== undefined ? { endMs: event.endMs } : {}),
          stepMs: w.stepMs,
          perMinute: count,
        });
      }),
    );
  };
}
