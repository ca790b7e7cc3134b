// Faults in the live demo: the same catalog as the simulator, applied on the wall clock. The
// controller turns active faults into Conditions that the services, pools and traffic read, and
// performs each fault's change (a real redeploy with a new version, or a config change).

import { faultConditions, getFault, nextMinor } from '../sim/index.js';
import type { Conditions, FaultDefinition, FaultInjection } from '../sim/index.js';

export interface ChangeHooks {
  currentVersion(service: string): string;
  deploy(service: string, version: string, description: string, attributes: Record<string, string>): Promise<void>;
  config(service: string, description: string, attributes: Record<string, string>): Promise<void>;
}

interface LiveFault {
  injection: FaultInjection;
  def: FaultDefinition;
  version: string;
  previousVersion: string;
}

export interface FaultStatus {
  name: string;
  summary: string;
  since: string;
  clearedAt?: string;
}

export class LiveFaults {
  private faults: LiveFault[] = [];
  private cached?: { atMs: number; conditions: Conditions };

  constructor(private readonly hooks: ChangeHooks) {}

  async inject(name: string, nowMs: number): Promise<FaultStatus> {
    const def = getFault(name);
    const existing = this.faults.find((f) => f.def.name === name && f.injection.clearAtMs === undefined);
    if (existing) return status(existing);
    const fault: LiveFault = { injection: { name, atMs: nowMs }, def, version: '', previousVersion: '' };
    const change = def.change;
    if (change?.kind === 'deploy') {
      fault.previousVersion = this.hooks.currentVersion(change.service);
      fault.version = nextMinor(fault.previousVersion);
      await this.hooks.deploy(change.service, fault.version, change.description, change.attributes);
    } else if (change?.kind === 'config') {
      await this.hooks.config(change.service, change.description, change.attributes);
    }
    this.faults.push(fault);
    this.cached = undefined;
    return status(fault);
  }

  async clear(name: string, nowMs: number): Promise<FaultStatus | undefined> {
    const fault = this.faults.find((f) => f.def.name === name && f.injection.clearAtMs === undefined);
    if (!fault) return undefined;
    fault.injection.clearAtMs = nowMs;
    const change = fault.def.change;
    if (change?.kind === 'deploy') await this.hooks.deploy(change.service, fault.previousVersion, change.clearDescription, change.clearAttributes);
    else if (change?.kind === 'config') await this.hooks.config(change.service, change.clearDescription, change.clearAttributes);
    this.cached = undefined;
    return status(fault);
  }

  /** Conditions at `nowMs`, recomputed at most every 250 ms (they change on a scale of seconds). */
  conditions(nowMs: number): Conditions {
    if (this.cached && nowMs - this.cached.atMs < 250) return this.cached.conditions;
    this.faults = this.faults.filter((f) => f.injection.clearAtMs === undefined || nowMs < f.injection.clearAtMs + f.def.recoveryMs + 1000);
    const conditions = faultConditions(this.faults, nowMs);
    this.cached = { atMs: nowMs, conditions };
    return conditions;
  }

  /** Faults in effect (cleared ones may still fade out for their recovery time, but are not listed). */
  list(): FaultStatus[] {
    return this.faults.filter((f) => f.injection.clearAtMs === undefined).map(status);
  }

  /** Whether a deploy of `service` would collide with a fault's version. */
  owns(service: string): boolean {
    return this.faults.some((f) => f.def.change?.service === service && f.injection.clearAtMs === undefined);
  }
}

function status(f: LiveFault): FaultStatus {
  const out: FaultStatus = { name: f.def.name, summary: f.def.summary, since: new Date(f.injection.atMs).toISOString() };
  if (f.injection.clearAtMs !== undefined) out.clearedAt = new Date(f.injection.clearAtMs).toISOString();
  return out;
}
