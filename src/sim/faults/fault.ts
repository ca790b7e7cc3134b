// The fault port: each injectable fault is one file implementing FaultDefinition, listed in
// catalog.ts. Ground truth lives beside the effect so benches can score root-cause answers.

import type { RootCauseKind } from '../../model/index.js';
import type { Conditions } from '../conditions.js';

export interface FaultTruth {
  rootService: string;
  rootKind: RootCauseKind;
}

/** The change a fault arrives with (a deploy or a config change) and the one that clears it. */
export interface FaultChange {
  service: string;
  kind: 'deploy' | 'config';
  description: string;
  clearDescription: string;
  attributes: Record<string, string>;
  clearAttributes: Record<string, string>;
}

export interface FaultActivity {
  sinceOnsetMs: number;
  /** Set once the fault was cleared; faults fade out over their own recovery time. */
  sinceClearMs?: number;
  /** For deploy faults: the version the fault deployed (effects are confined to it). */
  faultVersion: string;
}

export interface FaultDefinition {
  name: string;
  /** The topology whose services the fault touches (default 'shop', the demo's). */
  topology?: string;
  summary: string;
  truth: FaultTruth;
  /** Answers also counted right at rank 3 (e.g. the saturated pool behind a bad deploy). */
  alsoAccepted: FaultTruth[];
  /** Which services' telemetry should show the fault (drills check these). */
  affectedServices: string[];
  change?: FaultChange;
  /** How long after clearing the fault still shapes the world (drains, restarts). */
  recoveryMs: number;
  apply(conditions: Conditions, activity: FaultActivity): void;
}

/** A fault scheduled in a scenario. */
export interface FaultInjection {
  name: string;
  atMs: number;
  clearAtMs?: number;
}
