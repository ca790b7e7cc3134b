// Gauges with a known limit, paired by OpenTelemetry naming: `x.connection.count` with
// `x.connection.max`, `x.usage` with `x.limit`, `x.utilization` against 1, or a limit from config.
// Each pair becomes one saturation series with a short history for forecasting.
import type { MetricPoint } from '../model/index.js';
import type { DetectionConfig } from './config.js';

export interface GaugeSeries {
  id: string;
  service: string;
  /** The usage metric's name (e.g. db.client.connection.count). */
  metric: string;
  unit: string;
  version: string;
  attributes: string;
  firstMs: number;
  /** [timeMs, value, limit] of recent points, oldest first. */
  points: Array<[number, number, number]>;
}

export interface GaugeState {
  series: Record<string, GaugeSeries>;
  /** Latest limit per `service|base|attributes`. */
  limits: Record<string, number>;
}

interface Pairing {
  base: string;
  role: 'usage' | 'limit' | 'ratio';
}

const USAGE_SUFFIXES: Array<[string, string]> = [
  ['.connection.count', '.connection.max'],
  ['.connections.count', '.connections.max'],
  ['.usage', '.limit'],
  ['.used', '.limit'],
];

function pairingOf(name: string): Pairing | undefined {
  if (name.endsWith('.utilization')) return { base: name, role: 'ratio' };
  for (const [usage, limit] of USAGE_SUFFIXES) {
    if (name.endsWith(usage)) return { base: name.slice(0, -usage.length) + usage, role: 'usage' };
    if (name.endsWith(limit)) return { base: name.slice(0, -limit.length) + usage, role: 'limit' };
  }
  return undefined;
}

/** Pool/state attributes split usage from its limit (`state=used`), so they are left out of the pairing key. */
function attributesKey(point: MetricPoint): string {
  return Object.keys(point.attributes)
    .filter((k) => !k.endsWith('.state') && k !== 'state')
    .sort()
    .map((k) => `${k}=${point.attributes[k] ?? ''}`)
    .join(',');
}

function isIdleState(point: MetricPoint): boolean {
  for (const k in point.attributes) if ((k.endsWith('.state') || k === 'state') && point.attributes[k] !== 'used') return true;
  return false;
}

export function emptyGaugeState(): GaugeState {
  return { series: {}, limits: {} };
}

export function isGaugeLike(point: MetricPoint): boolean {
  return point.type === 'gauge' || (point.type === 'sum' && !point.isMonotonic);
}

/** Feeds one point (in event-time order); returns the series it updated, if any. */
export function observeGaugePoint(state: GaugeState, point: MetricPoint, config: DetectionConfig): GaugeSeries | undefined {
  if (!isGaugeLike(point) || !Number.isFinite(point.value)) return undefined;
  const configured = config.saturation.limits[point.name];
  const pairing = pairingOf(point.name);
  if (!pairing && configured === undefined) return undefined;
  const attrs = attributesKey(point);
  const limitKey = `${point.service}|${pairing?.base ?? point.name}|${attrs}`;
  if (pairing?.role === 'limit') {
    if (point.value > 0) state.limits[limitKey] = point.value;
    return undefined;
  }
  if (isIdleState(point)) return undefined;
  const limit = pairing?.role === 'ratio' ? 1 : (state.limits[limitKey] ?? configured);
  if (limit === undefined) return undefined;
  const id = `${point.service}|${point.name}|${attrs}`;
  let series = state.series[id];
  if (!series) {
    series = {
      id,
      service: point.service,
      metric: point.name,
      unit: point.unit,
      version: point.serviceVersion,
      attributes: attrs,
      firstMs: point.timeMs,
      points: [],
    };
    state.series[id] = series;
  }
  series.version = point.serviceVersion || series.version;
  series.points.push([point.timeMs, point.value, limit]);
  const horizon = point.timeMs - config.saturation.windowMs;
  let drop = 0;
  while (drop < series.points.length && (series.points[drop]?.[0] ?? 0) < horizon) drop++;
  if (drop > 0) series.points.splice(0, drop);
  return series;
}
