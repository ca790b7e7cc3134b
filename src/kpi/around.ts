// Business KPIs around an event (an incident, a release): the series in steps from before to after
// it, the usual level before, the worst step during, the level after and the worst change. Pure:
// the adapter reads the series (store/queries/metrics.ts) and hands them in.
import type { KpiDefinition } from './config.js';

export interface KpiSeriesPoint {
  timeMs: number;
  /** The KPI per minute (counts) or its level (gauges) over the step; null when nothing came. */
  value: number | null;
}

export interface KpiAround {
  kpi: string;
  direction: KpiDefinition['direction'];
  unit?: string;
  perMinute: boolean;
  stepMs: number;
  /** Mean of the steps before the event began (null without any). */
  before: number | null;
  /** The worst step while it lasted (lowest, or highest when a rise is bad). */
  worst: { timeMs: number; value: number } | null;
  /** Mean of the steps after it ended (null while it lasts or without any). */
  after: number | null;
  /** Worst change against `before`, signed (-0.75: down 75%); null without both. */
  worstChange: number | null;
  series: KpiSeriesPoint[];
}

/** Steps of a window long enough to show the usual level on both sides, at most ~36 rows. */
export function kpiWindow(startMs: number, endMs: number): { fromMs: number; toMs: number; stepMs: number } {
  const fromMs = startMs - 3_600_000;
  const toMs = endMs + 1_800_000;
  const minutes = Math.max(5, Math.ceil((toMs - fromMs) / 36 / 60_000 / 5) * 5);
  const stepMs = minutes * 60_000;
  return { fromMs: Math.floor(fromMs / stepMs) * stepMs, toMs: Math.ceil(toMs / stepMs) * stepMs, stepMs };
}

const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export function kpiAround(
  k: Pick<KpiDefinition, 'name' | 'direction' | 'unit'>,
  series: readonly KpiSeriesPoint[],
  event: { startMs: number; endMs?: number; stepMs: number; perMinute: boolean },
): KpiAround {
  const known = series.filter((p): p is { timeMs: number; value: number } => p.value !== null && Number.isFinite(p.value));
  // A step belongs to "before" when it ended before the onset, to "during" when it overlaps.
  const before = mean(known.filter((p) => p.timeMs + event.stepMs <= event.startMs).map((p) => p.value));
  const during = known.filter((p) => p.timeMs + event.stepMs > event.startMs && (event.endMs === undefined || p.timeMs < event.endMs));
  const after = event.endMs === undefined ? null : mean(known.filter((p) => p.timeMs >= event.endMs!).map((p) => p.value));
  const rise = k.direction === 'rise-is-bad';
  const worst = during.reduce<{ timeMs: number; value: number } | null>((w, p) => (!w || (rise ? p.value > w.value : p.value < w.value) ? p : w), null);
  const worstChange = before !== null && before > 0 && worst ? Math.round((worst.value / before - 1) * 1000) / 1000 : null;
  return {
    kpi: k.name,
    direction: k.direction,
    ...(k.unit ? { unit: k.unit } : {}),
    perMinute: event.perMinute,
    stepMs: event.stepMs,
    before,
    worst,
    after,
    worstChange,
    series: [...series],
  };
}
