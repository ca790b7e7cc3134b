// The before/after figures behind a verdict, for people reading the report: the latency
// percentiles (p50, the judged one, p99) of the previous and new version, and every route's
// requests, traffic share, error rate and judged percentile side by side. The tests decide on the
// judged percentile and error rates; these figures show what they looked at. Pure.
import { quantile, type LatencySketch } from '../detect/index.js';
import { isCanary, routeShares, type RouteComparison } from './comparison.js';
import type { ReleaseConfig } from './config.js';

export interface Before<T> {
  baseline: T;
  candidate: T;
}

export interface RouteFigures {
  route: string;
  requests: Before<number>;
  share: Before<number>;
  errorRate: Before<number>;
  /** The judged percentile (ms); 0 when a side has no latencies. */
  latencyMs: Before<number>;
  /** Whether one of this route's tests failed the release. */
  failing: boolean;
}

export interface ReleaseBreakdown {
  /** Percentiles of the whole service, previous vs new version (ms). */
  percentiles: Array<{ quantile: number } & Before<number>>;
  /** The percentile the tests judge (0.95), shown per route. */
  judgedQuantile: number;
  routes: RouteFigures[];
}

/** The previous version's side of a comparison: beside the new one (canary), else its baseline. */
function previous(c: RouteComparison): { requests: number; errors: number; latency?: LatencySketch; quantileMs?: number } {
  return isCanary(c)
    ? c.baseline
    : { requests: c.reference?.requests ?? 0, errors: c.reference?.errors ?? 0, latency: c.reference?.latency, quantileMs: c.reference?.quantileMs };
}

const at = (sketch: LatencySketch | undefined, q: number): number => (sketch && sketch.count > 0 ? quantile(sketch, q) : 0);

export function releaseBreakdown(
  service: RouteComparison,
  routes: readonly RouteComparison[],
  config: ReleaseConfig,
  failingRoutes: ReadonlySet<string>,
): ReleaseBreakdown {
  const base = previous(service);
  const quantiles = [...new Set([0.5, config.latencyQuantile, 0.99])].sort((a, b) => a - b);
  const percentiles =
    base.latency?.count && service.candidate.latency.count
      ? quantiles.map((q) => ({ quantile: q, baseline: at(base.latency, q), candidate: at(service.candidate.latency, q) }))
      : [];
  const shares = new Map(routeShares(routes).map((s) => [s.route, s] as const));
  const busiest = [...routes].sort((a, b) => b.candidate.requests + previous(b).requests - (a.candidate.requests + previous(a).requests));
  return {
    percentiles,
    judgedQuantile: config.latencyQuantile,
    routes: busiest.map((c) => {
      const p = previous(c);
      return {
        route: c.route,
        requests: { baseline: p.requests, candidate: c.candidate.requests },
        share: { baseline: shares.get(c.route)?.baseline ?? 0, candidate: shares.get(c.route)?.candidate ?? 0 },
        errorRate: { baseline: p.requests ? p.errors / p.requests : 0, candidate: c.candidate.requests ? c.candidate.errors / c.candidate.requests : 0 },
        latencyMs: {
          baseline: p.latency ? at(p.latency, config.latencyQuantile) : (p.quantileMs ?? 0),
          candidate: at(c.candidate.latency, config.latencyQuantile),
        },
        failing: failingRoutes.has(c.route),
      };
    }),
  };
}
