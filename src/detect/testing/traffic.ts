// A seeded generator of production-like traffic for tests and the soak benchmark: services with
// routes and a downstream edge, daily and weekly seasonality with quiet nights, noise, benign
// rolling deploys, marketing surges, and injectable faults (errors ×k, latency ×k, traffic ×k).
import type { ChangeEvent, Span } from '../../model/index.js';
import { seededRandom, type Random } from './random.js';
import { blankSpan } from '../../model/testing/records.js';

export interface RouteSpec {
  route: string;
  /** Requests per second at the daily peak on a weekday. */
  peakRps: number;
  errorRate: number;
  medianMs: number;
  sigma: number;
  /** Each request also makes a client call to this peer (a database, another service), if set. */
  peer?: string;
}

export interface ServiceSpec {
  name: string;
  routes: RouteSpec[];
}

export interface Surge {
  service: string;
  atMs: number;
  durationMs: number;
  factor: number;
}

export type FaultKind = 'errors' | 'latency' | 'traffic';

export interface Fault {
  service: string;
  /** All routes of the service when absent. */
  route?: string;
  kind: FaultKind;
  factor: number;
  atMs: number;
  durationMs: number;
}

export interface TrafficOptions {
  seed: number;
  startMs: number;
  services: ServiceSpec[];
  /** Share of the peak rate at the quietest hour (03:00). */
  nightFloor?: number;
  /** Weekend traffic as a share of weekdays. */
  weekendFactor?: number;
  /** Mean hours between benign deploys of one service (0: none). */
  deployEveryHours?: number;
  surges?: Surge[];
  faults?: Fault[];
  /** Per-minute multiplicative noise on the rate (log-normal sigma). */
  rateNoise?: number;
}

export interface TrafficChunk {
  fromMs: number;
  toMs: number;
  spans: Span[];
  changes: ChangeEvent[];
}

const DAY_MS = 86_400_000;

/** Daily shape in [nightFloor, 1]: lowest at 03:00, highest at 15:00, smooth. */
export function seasonalFactor(timeMs: number, nightFloor: number, weekendFactor: number): number {
  const hour = (((timeMs % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
  const daily = nightFloor + (1 - nightFloor) * 0.5 * (1 - Math.cos((2 * Math.PI * (hour - 3)) / 24));
  const day = Math.floor(timeMs / DAY_MS);
  // 1970-01-01 was a Thursday: day % 7 of 2 and 3 are Saturday and Sunday.
  const weekend = ((day % 7) + 7) % 7 === 2 || ((day % 7) + 7) % 7 === 3;
  return daily * (weekend ? weekendFactor : 1);
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0').slice(-width);
}

function baseSpan(service: string, version: string, route: string): Span {
  return blankSpan({
    service,
    serviceVersion: version,
    environment: 'prod',
    traceId: '',
    spanId: '',
    parentSpanId: '',
    name: route,
    kind: 'server',
    startTimeMs: 0,
    durationMs: 0,
    statusCode: 'unset',
    statusMessage: '',
    scopeName: 'vigil-testing',
    httpMethod: route.split(' ')[0] ?? 'GET',
    httpRoute: route,
    httpStatusCode: 200,
  });
}

interface ServiceRuntime {
  spec: ServiceSpec;
  version: number;
  previous: number;
  rolloutStartMs: number;
  nextDeployMs: number;
}

/** Yields the traffic chunk by chunk (each `chunkMs` long) until `endMs`. */
export function* generateTraffic(options: TrafficOptions, endMs: number, chunkMs = 10_000): Generator<TrafficChunk> {
  const rng: Random = seededRandom(options.seed);
  const nightFloor = options.nightFloor ?? 0.15;
  const weekendFactor = options.weekendFactor ?? 0.7;
  const rateNoise = options.rateNoise ?? 0.05;
  const deployEveryMs = (options.deployEveryHours ?? 0) * 3_600_000;
  const runtimes: ServiceRuntime[] = options.services.map((spec) => ({
    spec,
    version: 1,
    previous: 1,
    rolloutStartMs: -Infinity,
    nextDeployMs: deployEveryMs > 0 ? options.startMs + deployEveryMs * (0.3 + rng.next()) : Infinity,
  }));
  let spanCounter = 0;
  let noise = 1;
  let noiseMinute = -1;
  for (let from = options.startMs; from < endMs; from += chunkMs) {
    const to = Math.min(endMs, from + chunkMs);
    const spans: Span[] = [];
    const changes: ChangeEvent[] = [];
    const minute = Math.floor(from / 60_000);
    if (minute !== noiseMinute) {
      noiseMinute = minute;
      noise = Math.exp(rateNoise * rng.normal());
    }
    for (const rt of runtimes) {
      const name = rt.spec.name;
      if (from >= rt.nextDeployMs) {
        rt.previous = rt.version;
        rt.version += 1;
        rt.rolloutStartMs = rt.nextDeployMs;
        changes.push({
          id: `deploy:${name}:${rt.version}`,
          service: name,
          kind: 'deploy',
          timeMs: rt.nextDeployMs,
          version: `1.${rt.version}.0`,
          previousVersion: `1.${rt.previous}.0`,
          environment: 'prod',
          commit: hex(rt.version * 2654435761, 12),
          description: 'routine release',
          source: 'api',
          attributes: {},
        });
        rt.nextDeployMs += deployEveryMs * (0.5 + rng.next());
      }
      const surge = (options.surges ?? []).reduce((f, s) => {
        if (s.service !== name || from < s.atMs || from >= s.atMs + s.durationMs) return f;
        // Surges ramp up over two minutes, as a campaign's audience arrives.
        const ramp = Math.min(1, (from - s.atMs) / 120_000);
        return f * (1 + (s.factor - 1) * ramp);
      }, 1);
      for (const route of rt.spec.routes) {
        let rateFactor = 1;
        let errorFactor = 1;
        let latencyFactor = surge > 1.5 ? 1.1 : 1;
        for (const f of options.faults ?? []) {
          if (f.service !== name || (f.route !== undefined && f.route !== route.route) || from < f.atMs || from >= f.atMs + f.durationMs) continue;
          if (f.kind === 'errors') errorFactor *= f.factor;
          else if (f.kind === 'latency') latencyFactor *= f.factor;
          else rateFactor *= f.factor;
        }
        const rate = route.peakRps * seasonalFactor(from, nightFloor, weekendFactor) * surge * noise * rateFactor;
        const n = rng.poisson((rate * (to - from)) / 1000);
        const errorRate = Math.min(1, route.errorRate * errorFactor);
        for (let i = 0; i < n; i++) {
          const end = from + rng.next() * (to - from);
          const rolling = end - rt.rolloutStartMs;
          // A rolling deploy moves traffic to the new version over two minutes.
          const onNew = rolling >= 120_000 || rng.next() < rolling / 120_000;
          const version = `1.${onNew ? rt.version : rt.previous}.0`;
          const duration = rng.logNormal(route.medianMs, route.sigma) * latencyFactor;
          const failed = rng.next() < errorRate;
          spanCounter++;
          const traceId = hex(spanCounter, 32);
          const span = baseSpan(name, version, route.route);
          span.traceId = traceId;
          span.spanId = hex(spanCounter * 2, 16);
          span.startTimeMs = end - duration;
          span.durationMs = duration;
          span.statusCode = failed ? 'error' : 'unset';
          span.httpStatusCode = failed ? 503 : 200;
          spans.push(span);
          if (route.peer) {
            const client = baseSpan(name, version, `SELECT ${route.peer}`);
            client.kind = 'client';
            client.traceId = traceId;
            client.spanId = hex(spanCounter * 2 + 1, 16);
            client.parentSpanId = span.spanId;
            client.peerService = route.peer;
            client.httpRoute = '';
            client.httpStatusCode = 0;
            client.durationMs = duration * 0.4;
            client.startTimeMs = span.startTimeMs + duration * 0.3;
            client.statusCode = failed && rng.next() < 0.5 ? 'error' : 'unset';
            spans.push(client);
          }
        }
      }
    }
    yield { fromMs: from, toMs: to, spans, changes };
  }
}

/** A fleet of `count` services, 3 routes each, seeded: varied peaks, error rates and latencies. */
export function syntheticFleet(count: number, seed: number, peakScale = 1): ServiceSpec[] {
  const rng = seededRandom(seed);
  const verbs = ['GET /items', 'POST /orders', 'GET /health-report', 'GET /search', 'PUT /cart', 'GET /profile'];
  const services: ServiceSpec[] = [];
  for (let s = 0; s < count; s++) {
    const routes: RouteSpec[] = [];
    for (let r = 0; r < 3; r++) {
      const low = r === 2; // every service has one low-traffic route
      routes.push({
        route: `${verbs[(s + r) % verbs.length] ?? 'GET /'}/${r}`,
        peakRps: peakScale * (low ? 0.05 + rng.next() * 0.1 : 0.5 + rng.next() * 2),
        errorRate: low ? 0.02 : 0.001 + rng.next() * 0.01,
        medianMs: 20 + rng.next() * 200,
        sigma: 0.3 + rng.next() * 0.3,
        ...(r === 0 ? { peer: `db-${s % 5}` } : {}),
      });
    }
    services.push({ name: `svc-${String(s).padStart(2, '0')}`, routes });
  }
  return services;
}
