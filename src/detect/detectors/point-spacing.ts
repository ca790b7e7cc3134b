// The windows a robust shift test needs, sized from a series' own point spacing. A 15 s scrape puts
// 8 points in a 2 min recent window and 120 in a 30 min baseline; a 5 min export (CloudWatch, a slow
// Prometheus job, a load balancer's metrics) would leave the first empty and the second short of
// the points it must hold, so such a series would never be judged. No per-source constant: the gap
// between the series' own points sets the scale.

/** The windows of a shift test: the recent level's, and the baseline's before it. */
export interface ShiftWindows {
  recentMs: number;
  baselineMs: number;
  minBaselinePoints: number;
}

/** Gaps looked at: enough that one missed point (a gap twice as long) is outvoted, few enough to follow a changed interval. */
const SPACING_GAPS = 8;

/** The series' usual gap between points (the median of its last gaps), or undefined with fewer than two points. */
export function pointSpacing(points: ReadonlyArray<readonly [number, ...number[]]>): number | undefined {
  const from = Math.max(1, points.length - SPACING_GAPS);
  const gaps: number[] = [];
  for (let i = from; i < points.length; i++) gaps.push(points[i]![0] - points[i - 1]![0]);
  if (gaps.length === 0) return undefined;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor((gaps.length - 1) / 2)];
}

/**
 * The default windows, widened for a sparse series. The recent window spans two and a half gaps:
 * it then holds at least two points at any moment between exports (one point alone is a spike,
 * not a level) with room for jitter in the exporter's timing. The baseline spans twice the points
 * it needs, so a few missed points do not leave it short. Dense series keep the defaults
 * unchanged (up to a 48 s interval for the recent window, 112 s for the baseline).
 */
export function windowsFor<P extends ShiftWindows>(points: ReadonlyArray<readonly [number, ...number[]]>, defaults: P): P {
  const spacing = pointSpacing(points);
  if (spacing === undefined) return defaults;
  const recentMs = Math.max(defaults.recentMs, 2.5 * spacing);
  const baselineMs = Math.max(defaults.baselineMs, 2 * defaults.minBaselinePoints * spacing);
  return recentMs === defaults.recentMs && baselineMs === defaults.baselineMs ? defaults : { ...defaults, recentMs, baselineMs };
}

/** How many points lie in the recent window ending at nowMs. */
export function recentPoints(points: ReadonlyArray<readonly [number, ...number[]]>, nowMs: number, w: ShiftWindows): number {
  let n = 0;
  for (let i = points.length - 1; i >= 0 && points[i]![0] > nowMs - w.recentMs; i--) n++;
  return n;
}
