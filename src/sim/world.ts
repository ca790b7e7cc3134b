// The simulator's mutable world between steps: running versions, connection pools, process
// memory (with OOM restarts) and per-step bookkeeping (CPU time, queue traffic). Faults do not
// touch it directly: they shape a Conditions value that the world and the trace walker read.

import type { ChangeEvent } from '../model/index.js';
import type { Conditions } from './conditions.js';
import { PoolModel } from './pools.js';
import { serviceResource } from './records.js';
import type { ServiceResource } from './records.js';
import type { SeededRandom } from './rng.js';
import { DEMO_SHOP, MEMORY_BASE_MB, MEMORY_LIMIT_MB } from './shop.js';
import type { SimTopology } from './shop.js';
import { VersionTracker } from './versions.js';

const RESTART_MS = 15_000;
const LEAK_RELAX_MB_PER_MIN = 120;

export interface ProcessMemory {
  leakedMb: number;
  restartUntilMs: number;
  restarts: number;
  startedAtMs: number;
}

/** Something that happened to a process, to be logged by the simulator (OOM kill, restart). */
export interface ProcessEvent {
  service: string;
  timeMs: number;
  kind: 'oom-killed' | 'started';
  usedMb: number;
}

export class ShopWorld {
  readonly versions: VersionTracker;
  readonly pools = new Map<string, PoolModel>();
  readonly memory = new Map<string, ProcessMemory>();
  readonly busyMs = new Map<string, number>();
  readonly processEvents: ProcessEvent[] = [];
  private readonly resources = new Map<string, ServiceResource>();
  private readonly instances = new Map<string, string>();
  private changeCount = 0;

  constructor(
    readonly environment: string,
    readonly seed: number,
    rng: SeededRandom,
    startMs: number,
    readonly topology: SimTopology = DEMO_SHOP,
  ) {
    this.versions = new VersionTracker(topology.initialVersions);
    for (const spec of topology.pools) this.pools.set(`${spec.service}->${spec.dependency}`, new PoolModel(spec));
    for (const service of topology.services) {
      this.memory.set(service, { leakedMb: 0, restartUntilMs: -Infinity, restarts: 0, startedAtMs: startMs - 3_600_000 });
      this.instances.set(service, rng.hex(8));
      this.busyMs.set(service, 0);
    }
  }

  resource(service: string, version: string): ServiceResource {
    const key = `${service}@${version}`;
    let res = this.resources.get(key);
    if (!res) {
      res = serviceResource(service, version, this.environment, this.instances.get(service) ?? '00000000');
      this.resources.set(key, res);
    }
    return res;
  }

  pool(service: string, dependency: string): PoolModel | undefined {
    return this.pools.get(`${service}->${dependency}`);
  }

  isRestarting(service: string, timeMs: number): boolean {
    return timeMs < (this.memory.get(service)?.restartUntilMs ?? -Infinity);
  }

  /** Resident memory in MB: a base plus a GC sawtooth plus whatever leaked. */
  memoryUsedMb(service: string, timeMs: number): number {
    const m = this.memory.get(service);
    const sawtooth = ((timeMs / 1000) % 90) / 90;
    return MEMORY_BASE_MB + 25 * sawtooth + (m?.leakedMb ?? 0);
  }

  memorySlowdown(service: string, timeMs: number): number {
    return gcSlowdown(this.memoryUsedMb(service, timeMs));
  }

  /** Advances memory and pools to the start of a step. */
  beginStep(timeMs: number, stepMs: number, previousStepMs: number, conditions: Conditions): void {
    for (const [key, pool] of this.pools) pool.beginStep(previousStepMs, conditions.poolHeld.get(key) ?? 0);
    for (const [service, m] of this.memory) {
      const leak = conditions.memoryLeakMbPerMin.get(service) ?? 0;
      const minutes = stepMs / 60_000;
      m.leakedMb = leak > 0 ? m.leakedMb + leak * minutes : Math.max(0, m.leakedMb - LEAK_RELAX_MB_PER_MIN * minutes);
      if (timeMs < m.restartUntilMs) continue;
      const used = this.memoryUsedMb(service, timeMs);
      if (used >= MEMORY_LIMIT_MB) {
        this.processEvents.push({ service, timeMs, kind: 'oom-killed', usedMb: used });
        m.leakedMb = 0;
        m.restartUntilMs = timeMs + RESTART_MS;
        m.restarts++;
        m.startedAtMs = m.restartUntilMs;
        this.processEvents.push({ service, timeMs: m.restartUntilMs, kind: 'started', usedMb: MEMORY_BASE_MB });
      }
    }
  }

  addBusy(service: string, ms: number): void {
    this.busyMs.set(service, (this.busyMs.get(service) ?? 0) + ms);
  }

  takeBusy(service: string): number {
    const ms = this.busyMs.get(service) ?? 0;
    this.busyMs.set(service, 0);
    return ms;
  }

  /** Records a deploy or config change and, for deploys, starts the rollout. */
  change(service: string, kind: 'deploy' | 'config', timeMs: number, description: string, attributes: Record<string, string>, version?: string): ChangeEvent {
    let previousVersion = '';
    let newVersion = '';
    if (kind === 'deploy' && version !== undefined) {
      previousVersion = this.versions.deploy(service, version, timeMs);
      newVersion = version;
    }
    this.changeCount++;
    return {
      id: `sim-${this.seed}-${this.changeCount}`,
      service,
      kind,
      timeMs,
      version: newVersion,
      previousVersion,
      environment: this.environment,
      commit: kind === 'deploy' ? hashLike(`${service}${newVersion}${this.seed}`) : '',
      description,
      source: 'api',
      attributes: { ...attributes },
    };
  }
}

/** A stable commit-looking hex for a string (FNV-1a), so deploys carry plausible commits. */
function hashLike(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h.toString(16).padStart(8, '0') + (h ^ 0x5bd1e995).toString(16).padStart(8, '0')).slice(0, 12);
}

/** Near the memory limit GC runs constantly: requests slow down sharply over the last 25%. */
export function gcSlowdown(usedMb: number, limitMb = MEMORY_LIMIT_MB): number {
  const frac = usedMb / limitMb;
  if (frac <= 0.75) return 1;
  const x = Math.min(1, (frac - 0.75) / 0.25);
  return 1 + 9 * x * x;
}
