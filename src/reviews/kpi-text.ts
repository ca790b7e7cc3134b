// Business KPIs around an incident or a release as text: one line per KPI (usual level before,
// worst step during, level after) and the series side by side in one table, the event's steps marked.
import type { KpiAround } from '../kpi/index.js';
import type { Block } from './document.js';
import { clockTime } from './time-text.js';

const num = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1));
const per = (k: Pick<KpiAround, 'unit' | 'perMinute'>): string => `${k.unit ? ` ${k.unit}` : ''}${k.perMinute ? ' a minute' : ''}`;

/** A KPI's figures around an event, without its series. */
export type KpiFigures = Pick<KpiAround, 'kpi' | 'direction' | 'unit' | 'perMinute' | 'before' | 'worst' | 'after' | 'worstChange'>;

/** "orders/min: 100 orders a minute before; lowest 25.0 at 09:20 (down 75%); 98.0 after". */
export function kpiLine(k: KpiFigures): string {
  const parts: string[] = [k.before === null ? 'no data before' : `${num(k.before)}${per(k)} before`];
  if (k.worst) {
    const pct = k.worstChange === null ? 0 : Math.round(k.worstChange * 100);
    const change = k.worstChange === null ? '' : pct === 0 ? ' (unchanged)' : ` (${pct < 0 ? 'down' : 'up'} ${Math.abs(pct)}%)`;
    parts.push(`${k.direction === 'rise-is-bad' ? 'highest' : 'lowest'} ${num(k.worst.value)} at ${clockTime(k.worst.timeMs)}${change}`);
  } else parts.push('no data during');
  if (k.after !== null) parts.push(`${num(k.after)} after`);
  return `${k.kpi}: ${parts.join('; ')}`;
}

/** The KPIs' lines and their series (one column per KPI, the event's steps marked). */
export function kpiBlocks(kpis: readonly KpiAround[], event: { startMs: number; endMs?: number; label: string }): Block[] {
  if (!kpis.length) return [{ type: 'paragraph', text: 'No business KPI is declared (kpis: in vigil.yaml).' }];
  const stepMs = kpis[0]!.stepMs;
  const times = [...new Set(kpis.flatMap((k) => k.series.map((p) => p.timeMs)))].sort((a, b) => a - b);
  const rows = times.map((t) => {
    const during = t + stepMs > event.startMs && (event.endMs === undefined || t < event.endMs);
    return [
      clockTime(t),
      ...kpis.map((k) => {
        const v = k.series.find((p) => p.timeMs === t)?.value;
        return v === null || v === undefined ? '—' : num(v);
      }),
      during ? event.label : '',
    ];
  });
  return [
    { type: 'list', items: kpis.map(kpiLine) },
    ...(rows.length
      ? [
          {
            type: 'table' as const,
            head: [`time (UTC, ${stepMs / 60_000} min steps)`, ...kpis.map((k) => (per(k) ? `${k.kpi} (${per(k).trim()})` : k.kpi)), ''],
            rows,
          },
        ]
      : []),
  ];
}
