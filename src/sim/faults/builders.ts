// The shared makings of fault definitions: a bad deploy and a client-timeout config change are
// built from the data that tells them apart, and the common effects (a slower or failing fault
// version, a connection pool held longer, a dependency gone) are one function each. Effects only
// set conditions (no random draws), so a fault built here behaves exactly as one written out.

import type { RootCauseKind } from '../../model/index.js';
import { dependencyEffect, ramp, type Conditions, type InjectedError } from '../conditions.js';
import type { FaultActivity, FaultDefinition, FaultTruth } from './fault.js';

type Effect = FaultDefinition['apply'];

/** The root cause and the answers also counted right, as a fault definition spells them. */
export function truthOf(rootService: string, rootKind: RootCauseKind, alsoAccepted: FaultTruth[]): Pick<FaultDefinition, 'truth' | 'alsoAccepted'> {
  return { truth: { rootService, rootKind }, alsoAccepted };
}

/** An effect that holds while the fault is active and ends the moment it is cleared (no recovery tail). */
export function untilCleared(effect: (conditions: Conditions, activity: FaultActivity) => void): Effect {
  return (conditions, activity) => {
    if (activity.sinceClearMs !== undefined) return;
    effect(conditions, activity);
  };
}

/** The fault's version of a service serves every request this many times slower. */
export function slowerVersion(service: string, latencyFactor: number): Effect {
  return untilCleared((conditions, activity) => {
    conditions.serviceEffects.push({ service, version: activity.faultVersion, latencyFactor, errors: [] });
  });
}

/** The fault's version of a service throws the given error (on its route, at its probability). */
export function failingVersion(service: string, error: InjectedError): Effect {
  return untilCleared((conditions, activity) => {
    conditions.serviceEffects.push({ service, version: activity.faultVersion, latencyFactor: 1, errors: [error] });
  });
}

export interface PoolPressure {
  /** The pool, as `caller->database`. */
  pool: string;
  /** Connections held beyond the usual at full pressure. */
  extraHeld: number;
  /** From the onset until pressure starts building. */
  delayMs: number;
  /** How long pressure takes to build to full. */
  buildMs: number;
  /** How long pressure takes to drain after the fault is cleared. */
  drainMs: number;
}

/** Connections of a pool held longer: pressure builds after a delay and drains once cleared. */
export function poolHeldLonger(p: PoolPressure): Effect {
  return (conditions, activity) => {
    let level = ramp(activity.sinceOnsetMs - p.delayMs, p.buildMs);
    if (activity.sinceClearMs !== undefined) level *= 1 - ramp(activity.sinceClearMs, p.drainMs);
    conditions.poolHeld.set(p.pool, (conditions.poolHeld.get(p.pool) ?? 0) + p.extraHeld * level);
  };
}

/** A dependency stops answering: every call fails with the message after the given time. */
export function dependencyDown(dependency: string, message: string, afterMs: number): Effect {
  return untilCleared((conditions) => {
    const effect = dependencyEffect(conditions, dependency);
    effect.down = true;
    effect.downErrorType = 'Error';
    effect.downMessage = message;
    effect.downAfterMs = afterMs;
  });
}

export interface DeployFaultSpec {
  name: string;
  topology?: string;
  summary: string;
  /** The deployed service: the root cause, as a bad deploy. */
  service: string;
  alsoAccepted: FaultTruth[];
  affectedServices: string[];
  description: string;
  clearDescription: string;
  /** The feature flag the deploy turns on, and its value before and after the rollback. */
  flag: { key: string; on: string; off: string };
  recoveryMs?: number;
  apply: Effect;
}

/** A deploy of one service that causes the fault; rolling it back clears it. */
export function deployFault(spec: DeployFaultSpec): FaultDefinition {
  const { key, on, off } = spec.flag;
  return {
    name: spec.name,
    ...(spec.topology === undefined ? {} : { topology: spec.topology }),
    summary: spec.summary,
    ...truthOf(spec.service, 'bad-deploy', spec.alsoAccepted),
    affectedServices: spec.affectedServices,
    change: {
      service: spec.service,
      kind: 'deploy',
      description: spec.description,
      clearDescription: spec.clearDescription,
      attributes: { [key]: on },
      clearAttributes: { [key]: off },
    },
    recoveryMs: spec.recoveryMs ?? 0,
    apply: spec.apply,
  };
}

export interface TimeoutConfigFaultSpec {
  name: string;
  topology?: string;
  summary: string;
  /** The service whose config changed: the root cause. */
  service: string;
  /** The service it calls with the changed client timeout. */
  callee: string;
  /** The config key of that timeout. */
  key: string;
  fromMs: number;
  toMs: number;
  affectedServices: string[];
}

/** A config change that cuts a client timeout below the callee's usual answer time; reverting it clears the fault. */
export function timeoutConfigFault(spec: TimeoutConfigFaultSpec): FaultDefinition {
  const { key, service } = spec;
  const [from, to] = [String(spec.fromMs), String(spec.toMs)];
  return {
    name: spec.name,
    ...(spec.topology === undefined ? {} : { topology: spec.topology }),
    summary: spec.summary,
    ...truthOf(service, 'config-change', [{ rootService: service, rootKind: 'bad-deploy' }]),
    affectedServices: spec.affectedServices,
    change: {
      service,
      kind: 'config',
      description: `${key}: ${from} → ${to}`,
      clearDescription: `${key}: ${to} → ${from} (reverted)`,
      attributes: { key, from, to },
      clearAttributes: { key, from: to, to: from },
    },
    recoveryMs: 0,
    apply: untilCleared((conditions) => conditions.clientTimeoutMs.set(`${service}->${spec.callee}`, spec.toMs)),
  };
}
