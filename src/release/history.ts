// The previous versions' recent traffic: 10-minute slices of RED aggregates per service × route ×
// version over the baseline period, from which a deploy's hour-before reference and its previous
// version (the busiest before it, when the deploy does not say) are read. Plain JSON.
import { emptySketch, mergeSketch } from '../detect/index.js';
import type { RedAggregate } from './types.js';

export const sliceMs = 600_000;

export interface Slice {
  startMs: number;
  agg: RedAggregate;
}

const emptyAggregate = (): RedAggregate => ({ requests: 0, errors: 0, latency: emptySketch() });
export const seriesKey = (service: string, route: string, version: string): string => `${service}\u0000${route}\u0000${version}`;

export class RecentTraffic {
  readonly recent = new Map<string, Slice[]>();

  constructor(
    private readonly baselineMs: number,
    stored: Record<string, Slice[]> = {},
  ) {
    for (const [k, v] of Object.entries(stored)) this.recent.set(k, v);
  }

  /** Series whose newest slice started before `beforeMs` (a retired version) are dropped. */
  forgetBefore(beforeMs: number): void {
    for (const [key, slices] of this.recent) if ((slices[slices.length - 1]?.startMs ?? 0) < beforeMs) this.recent.delete(key);
  }

  toJSON(): Record<string, Slice[]> {
    return Object.fromEntries(this.recent);
  }

  remember(service: string, route: string, version: string, bucketStartMs: number, agg: RedAggregate): void {
    const key = seriesKey(service, route, version);
    const slices = this.recent.get(key) ?? [];
    const startMs = Math.floor(bucketStartMs / sliceMs) * sliceMs;
    let slice = slices.find((s) => s.startMs === startMs);
    if (!slice) {
      slices.push((slice = { startMs, agg: emptyAggregate() }));
      slices.sort((a, b) => a.startMs - b.startMs);
      const keepFrom = startMs - this.baselineMs - sliceMs;
      while (slices.length && slices[0]!.startMs < keepFrom) slices.shift();
    }
    slice.agg.requests += agg.requests;
    slice.agg.errors += agg.errors;
    mergeSketch(slice.agg.latency, agg.latency);
    this.recent.set(key, slices);
  }

  /** The previous version's traffic in the baseline period before the deploy, per route ('' = all). */
  preDeploy(service: string, version: string, deployMs: number): Map<string, RedAggregate> {
    const out = new Map<string, RedAggregate>();
    if (!version) return out;
    const all = emptyAggregate();
    const prefix = `${service}\u0000`;
    for (const [key, slices] of this.recent) {
      if (!key.startsWith(prefix) || !key.endsWith(`\u0000${version}`)) continue;
      const route = key.slice(prefix.length, key.length - version.length - 1);
      const agg = emptyAggregate();
      for (const s of slices) {
        if (s.startMs >= deployMs || s.startMs < deployMs - this.baselineMs) continue;
        agg.requests += s.agg.requests;
        agg.errors += s.agg.errors;
        mergeSketch(agg.latency, s.agg.latency);
      }
      if (!agg.requests) continue;
      out.set(route, agg);
      all.requests += agg.requests;
      all.errors += agg.errors;
      mergeSketch(all.latency, agg.latency);
    }
    if (all.requests) out.set('', all);
    return out;
  }

  busiestVersionBefore(service: string, exclude: string, deployMs: number): string {
    const prefix = `${service}\u0000`;
    const byVersion = new Map<string, number>();
    for (const [key, slices] of this.recent) {
      if (!key.startsWith(prefix)) continue;
      const version = key.split('\u0000')[2] ?? '';
      if (!version || version === exclude) continue;
      const n = slices.filter((s) => s.startMs < deployMs).reduce((sum, s) => sum + s.agg.requests, 0);
      byVersion.set(version, (byVersion.get(version) ?? 0) + n);
    }
    return [...byVersion].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  }
}
