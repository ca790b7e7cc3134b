// The shop simulator: a seeded, pure event-time generator of a small shop's telemetry (spans,
// logs, metrics, change events) with a daily cycle, harmless deploys, a small error background
// and injectable faults. Same options, same output: replay, backtests and drills build on it.

import type { ChangeEvent, LogRecord, MetricPoint, Span } from '../model/index.js';
import { emptyConditions } from './conditions.js';
import type { Conditions } from './conditions.js';
import { getFault } from './faults/catalog.js';
import type { FaultDefinition, FaultInjection } from './faults/fault.js';
import { collectMetrics } from './metrics.js';
import { buildLog } from './records.js';
import { SeededRandom } from './rng.js';
import { DEMO_SHOP, findRoute } from './shop.js';
import type { SimTopology } from './shop.js';
import { TraceWalker } from './trace.js';
import { UserPopulation } from './users.js';
import { nextMinor, nextPatch } from './versions.js';
import { ShopWorld } from './world.js';

export interface SimOptions {
  seed: number;
  startMs: number;
  durationMs: number;
  /** Granularity of batches (default 5 s). */
  stepMs?: number;
  /** Mean frontend requests per second over a day (default 10). */
  rps?: number;
  faults?: FaultInjection[];
  metricIntervalMs?: number; // default 10 s
  /** Length of one daily cycle; shorten it to compress a day (default 24 h). */
  dayMs?: number;
  /** Mean time between harmless deploys (default 20 min; 0 disables them). */
  deployEveryMs?: number;
  environment?: string; // default 'production'
  /** Share of server spans that fail for transient reasons (default 0.001). */
  backgroundErrorRate?: number;
  /** The topology to simulate (default: the demo shop). */
  topology?: SimTopology;
  /** Benign traffic surges (a marketing campaign): more requests, nothing else changes. */
  surges?: Array<{ fromMs: number; toMs: number; factor: number }>;
  /** Harmless deploys at set times, beside the random ones (e.g. one just before a fault: `harmlessDeployBefore`). */
  deploys?: Array<{ atMs: number; service: string; description?: string }>;
}

export interface SimBatch {
  /** End of the step this batch covers (spans started before it; some end slightly later). */
  timeMs: number;
  spans: Span[];
  logs: LogRecord[];
  metrics: MetricPoint[];
  changes: ChangeEvent[];
}

const HARMLESS_CHANGES = [
  'bump dependencies',
  'copy changes on the product page',
  'structured logging for request ids',
  'refactor: extract pricing helpers',
  'add tracing attributes for experiments',
  'upgrade node base image',
];

/** Traffic multiplier of the daily cycle: mean 1, peak mid-afternoon, trough at night. */
export function dailyFactor(timeMs: number, dayMs: number): number {
  const phase = (((timeMs % dayMs) + dayMs) % dayMs) / dayMs;
  return 1 + 0.45 * Math.sin(2 * Math.PI * (phase - 0.375));
}

interface ActiveFault {
  injection: FaultInjection;
  def: FaultDefinition;
  version: string;
  started: boolean;
  cleared: boolean;
}

interface PlannedDeploy {
  timeMs: number;
  service: string;
  description: string;
}

export function* simulateShop(options: SimOptions): Generator<SimBatch> {
  const stepMs = options.stepMs ?? 5000;
  const rps = options.rps ?? 10;
  const dayMs = options.dayMs ?? 86_400_000;
  const metricIntervalMs = options.metricIntervalMs ?? 10_000;
  const backgroundErrorRate = options.backgroundErrorRate ?? 0.001;
  const endMs = options.startMs + options.durationMs;
  const rng = new SeededRandom(options.seed);
  const users = new UserPopulation(new SeededRandom(options.seed * 31 + 7));
  const topology = options.topology ?? DEMO_SHOP;
  const world = new ShopWorld(options.environment ?? 'production', options.seed, rng, options.startMs, topology);
  const faults: ActiveFault[] = (options.faults ?? []).map((injection) => ({
    injection,
    def: getFault(injection.name),
    version: '',
    started: false,
    cleared: false,
  }));
  const deploys = planDeploys(new SeededRandom(options.seed * 17 + 3), options, topology);
  const entryRoutes = topology.entryMix.map((m) => ({ ...m, spec: findRoute(topology.entryService, m.method, m.route, topology) }));
  // Side traffic draws from its own generator, so adding it leaves the main traffic unchanged.
  const sideRng = new SeededRandom(options.seed * 13 + 5);
  const side = topology.side.map((x) => ({ ...x, spec: findRoute(x.service, x.method, x.route, topology) }));
  let lastMetricMs = options.startMs;
  let counts = { orders: 0, published: 0 };
  let previousStepMs = 0;

  for (let t = options.startMs; t < endMs; t += stepMs) {
    const stepEnd = Math.min(endMs, t + stepMs);
    const batch: SimBatch = { timeMs: stepEnd, spans: [], logs: [], metrics: [], changes: [] };
    applyChanges(world, faults, deploys, t, stepEnd, batch.changes);
    const conditions = faultConditions(faults, t);
    world.beginStep(t, stepEnd - t, previousStepMs, conditions);
    logProcessEvents(world, t, stepEnd, batch.logs);

    const walker = new TraceWalker(rng, world, conditions, backgroundErrorRate, batch.spans, batch.logs);
    const surge = (options.surges ?? []).reduce((f, x) => (t >= x.fromMs && t < x.toMs ? f * x.factor : f), 1);
    const rate = rps * dailyFactor(t, dayMs) * conditions.trafficFactor * surge * (1 + 0.04 * rng.normal());
    const arrivals: number[] = [];
    const n = rng.poisson(Math.max(0, rate) * ((stepEnd - t) / 1000));
    for (let i = 0; i < n; i++) arrivals.push(t + rng.next() * (stepEnd - t));
    arrivals.sort((a, b) => a - b);
    for (const at of arrivals) {
      const entry = pickEntry(rng, entryRoutes);
      const signedIn = entry.method === 'POST' || rng.chance(0.55);
      walker.request(entry.spec, at, users.visitor(rng, signedIn));
    }
    if (side.length > 0) {
      const sideWalker = new TraceWalker(sideRng, world, conditions, backgroundErrorRate, batch.spans, batch.logs);
      for (const x of side) {
        const due = x.once ? (x.once.afterMs >= t - options.startMs && x.once.afterMs < stepEnd - options.startMs ? x.once.count : 0) : 0;
        const n = due + (x.everyMs ? sideRng.poisson((stepEnd - t) / x.everyMs) : 0);
        for (let i = 0; i < n; i++) sideWalker.request(x.spec, t + sideRng.next() * (stepEnd - t), undefined);
      }
    }
    for (const s of batch.spans) {
      if (s.kind === 'producer') counts.published++;
      else if (s.service === topology.orders.service && s.kind === 'server' && s.httpRoute === topology.orders.route && s.httpStatusCode === 200)
        counts.orders++;
    }
    if (stepEnd - lastMetricMs >= metricIntervalMs || stepEnd === endMs) {
      batch.metrics = collectMetrics(world, rng, stepEnd, stepEnd - lastMetricMs, counts);
      lastMetricMs = stepEnd;
      counts = { orders: 0, published: 0 };
    }
    previousStepMs = stepEnd - t;
    yield batch;
  }
}

function pickEntry<T extends { share: number }>(rng: SeededRandom, entries: readonly T[]): T {
  let r = rng.next();
  for (const e of entries) {
    r -= e.share;
    if (r < 0) return e;
  }
  const last = entries[entries.length - 1];
  if (!last) throw new Error('no entry routes');
  return last;
}

/**
 * Random harmless deploys, plus the scenario's own. None is held back around a fault: a harmless
 * deploy next to a fault is the commonest confounder a ranking meets, so the suites must meet it.
 */
function planDeploys(rng: SeededRandom, options: SimOptions, topology: SimTopology): PlannedDeploy[] {
  const every = options.deployEveryMs ?? 20 * 60_000;
  const out: PlannedDeploy[] = (options.deploys ?? []).map((d) => ({ timeMs: d.atMs, service: d.service, description: d.description ?? 'bump dependencies' }));
  if (every <= 0) return out;
  const endMs = options.startMs + options.durationMs;
  for (let k = 0; ; k++) {
    const timeMs = Math.round(options.startMs + every * (k + 0.5 + 0.4 * (rng.next() - 0.5)));
    if (timeMs >= endMs) break;
    const service = rng.pick(topology.services);
    const description = rng.pick(HARMLESS_CHANGES);
    out.push({ timeMs, service, description });
  }
  return out.sort((a, b) => a.timeMs - b.timeMs);
}

function applyChanges(world: ShopWorld, faults: ActiveFault[], deploys: PlannedDeploy[], fromMs: number, toMs: number, out: ChangeEvent[]): void {
  const events: Array<{ timeMs: number; run: () => ChangeEvent | undefined }> = [];
  for (const d of deploys) {
    if (d.timeMs >= fromMs && d.timeMs < toMs) {
      events.push({
        timeMs: d.timeMs,
        run: () => world.change(d.service, 'deploy', d.timeMs, d.description, {}, nextPatch(world.versions.current(d.service))),
      });
    }
  }
  for (const f of faults) {
    const { atMs, clearAtMs } = f.injection;
    const change = f.def.change;
    if (!f.started && atMs < toMs) {
      f.started = true;
      if (change) {
        events.push({
          timeMs: atMs,
          run: () => {
            const version = change.kind === 'deploy' ? nextMinor(world.versions.current(change.service)) : undefined;
            if (version) f.version = version;
            return world.change(change.service, change.kind, atMs, change.description, change.attributes, version);
          },
        });
      }
    }
    if (f.started && !f.cleared && clearAtMs !== undefined && clearAtMs < toMs) {
      f.cleared = true;
      if (change) {
        events.push({
          timeMs: clearAtMs,
          run: () => {
            // A deploy fault is cleared by rolling back to the version it replaced.
            const rollbackTo = change.kind === 'deploy' ? previousOf(f.version) : undefined;
            return world.change(change.service, change.kind, clearAtMs, change.clearDescription, change.clearAttributes, rollbackTo);
          },
        });
      }
    }
  }
  events.sort((a, b) => a.timeMs - b.timeMs);
  for (const e of events) {
    const c = e.run();
    if (c) out.push(c);
  }
}

/** The version a minor bump replaced ("2.3.0" → "2.2.0"), for rollbacks. */
function previousOf(version: string): string {
  const [major = '0', minor = '1'] = version.split('.');
  return `${major}.${Math.max(0, Number(minor) - 1)}.0`;
}

export function faultConditions(faults: ReadonlyArray<{ injection: FaultInjection; def: FaultDefinition; version: string }>, timeMs: number): Conditions {
  const conditions = emptyConditions();
  for (const f of faults) {
    const { atMs, clearAtMs } = f.injection;
    if (timeMs < atMs) continue;
    if (clearAtMs !== undefined && timeMs >= clearAtMs + f.def.recoveryMs) continue;
    const sinceClearMs = clearAtMs !== undefined && timeMs >= clearAtMs ? timeMs - clearAtMs : undefined;
    f.def.apply(conditions, { sinceOnsetMs: timeMs - atMs, sinceClearMs, faultVersion: f.version });
  }
  return conditions;
}

function logProcessEvents(world: ShopWorld, fromMs: number, toMs: number, out: LogRecord[]): void {
  for (let i = 0; i < world.processEvents.length;) {
    const e = world.processEvents[i];
    if (!e || e.timeMs >= toMs) {
      i++;
      continue;
    }
    world.processEvents.splice(i, 1);
    const res = world.resource(e.service, world.versions.current(e.service));
    const timeMs = Math.max(fromMs, e.timeMs);
    out.push(
      e.kind === 'oom-killed'
        ? buildLog({
            resource: res,
            timeMs,
            severity: 'FATAL',
            body: `FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory (rss ${Math.round(e.usedMb)} MB)`,
            traceId: '',
            spanId: '',
            userId: '',
            scopeName: `shop.${e.service}`,
            attributes: {},
          })
        : buildLog({
            resource: res,
            timeMs,
            severity: 'INFO',
            body: `${e.service} ${res.serviceVersion} started on port 8080`,
            traceId: '',
            spanId: '',
            userId: '',
            scopeName: `shop.${e.service}`,
            attributes: {},
          }),
    );
  }
}
