// What the world looks like during one simulation step: the knobs faults turn (latency,
// injected errors, outages, held pool connections, leaks, traffic). Rebuilt every step from the
// active faults, so a fault is a pure function of its age.

export interface InjectedError {
  /** Route the error applies to; every route of the service when absent. */
  route?: string;
  probability: number;
  httpStatus: number;
  type: string;
  message: string;
  stacktrace: string;
}

/** An effect on one service; `version` confines it to requests served by that version. */
export interface ServiceEffect {
  service: string;
  version?: string;
  latencyFactor: number;
  errors: InjectedError[];
}

export interface DependencyEffect {
  latencyFactor: number;
  down: boolean;
  downErrorType: string;
  downMessage: string;
  downAfterMs: number; // how long a call takes to fail while down
}

export interface Conditions {
  trafficFactor: number;
  serviceEffects: ServiceEffect[];
  dependencies: Map<string, DependencyEffect>;
  /** Client timeouts by `${caller}->${callee}`; 5 s when absent. */
  clientTimeoutMs: Map<string, number>;
  /** Extra connections held by uninstrumented work, by `${service}->${dependency}`. */
  poolHeld: Map<string, number>;
  /** Memory growth by service, MB per minute. */
  memoryLeakMbPerMin: Map<string, number>;
}

export const DEFAULT_CLIENT_TIMEOUT_MS = 5000;

export function emptyConditions(): Conditions {
  return {
    trafficFactor: 1,
    serviceEffects: [],
    dependencies: new Map(),
    clientTimeoutMs: new Map(),
    poolHeld: new Map(),
    memoryLeakMbPerMin: new Map(),
  };
}

export function dependencyEffect(c: Conditions, name: string): DependencyEffect {
  let effect = c.dependencies.get(name);
  if (!effect) {
    effect = { latencyFactor: 1, down: false, downErrorType: '', downMessage: '', downAfterMs: 0 };
    c.dependencies.set(name, effect);
  }
  return effect;
}

/** Linear ramp from 0 to 1 over `rampMs`, for faults that build up rather than switch on. */
export function ramp(elapsedMs: number, rampMs: number): number {
  if (rampMs <= 0) return 1;
  return Math.max(0, Math.min(1, elapsedMs / rampMs));
}
