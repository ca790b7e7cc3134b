// Simulated per-version RED traffic for release validation tests and bench:release: a service with
// a few routes (log-normal latencies, Bernoulli errors, Poisson arrivals), a previous version, and
// a new one that may be slower or fail more, serving a share of requests (canary) or all of them.
// Seeded, so a case replays byte for byte.
import { addToSketch, emptySketch } from '../../detect/index.js';
import { SeededRandom } from '../../sim/index.js';
import type { RedAggregate } from '../types.js';

export interface RouteProfile {
  route: string;
  share: number;
  medianMs: number;
}

export const defaultRoutes: RouteProfile[] = [
  { route: 'GET /products', share: 0.5, medianMs: 40 },
  { route: 'POST /cart', share: 0.3, medianMs: 80 },
  { route: 'POST /pay', share: 0.2, medianMs: 150 },
];

export interface VersionProfile {
  errorRate: number;
  /** Every latency of the version is multiplied by this (2 = p95 doubles). */
  latencyFactor: number;
}

export interface TrafficProfile {
  requestsPerSecond: number;
  routes: RouteProfile[];
  /** Log-normal shape of latencies (σ of the log). */
  sigma: number;
  previous: VersionProfile;
  candidate: VersionProfile;
  /** Share of requests the new version serves after the deploy (1 = full rollout). */
  candidateShare: number;
}

export class TrafficSimulator {
  private readonly rng: SeededRandom;
  private spare: number | undefined;

  constructor(
    readonly profile: TrafficProfile,
    seed: number,
  ) {
    this.rng = new SeededRandom(seed);
  }

  /** One route × version aggregate of `seconds` of traffic at `share` of the service's rate; raw latencies go to `samples` when given. */
  aggregate(route: RouteProfile, version: VersionProfile, share: number, seconds: number, samples?: number[]): { agg: RedAggregate; latencies?: number[] } {
    const n = this.poisson(this.profile.requestsPerSecond * route.share * share * seconds);
    const agg: RedAggregate = { requests: n, errors: 0, latency: emptySketch() };
    const scale = route.medianMs * version.latencyFactor;
    for (let i = 0; i < n; i++) {
      if (this.rng.next() < version.errorRate) agg.errors++;
      const ms = scale * Math.exp(this.profile.sigma * this.gaussian());
      addToSketch(agg.latency, ms);
      samples?.push(ms);
    }
    return { agg };
  }

  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.gaussian()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.rng.next();
    while (p > limit) {
      k++;
      p *= this.rng.next();
    }
    return k;
  }

  gaussian(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const u = Math.max(this.rng.next(), 1e-12);
    const v = this.rng.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}
