// Changes that can cause incidents: deployments (reported or inferred from a new service.version)
// and config / feature-flag / infrastructure changes. All are root-cause suspects.

import type { Attributes } from './telemetry.js';

export type ChangeKind = 'deploy' | 'config' | 'flag' | 'infra';
export type ChangeSource = 'api' | 'cli' | 'webhook' | 'inferred';

/** A change as reported (API, CLI, webhook): the store gives it an id, the engine a time when it has none. */
export interface ChangeInput {
  service: string;
  kind: ChangeKind;
  timeMs?: number;
  version?: string;
  environment?: string;
  commit?: string;
  description?: string;
  attributes?: Record<string, string>;
  source: ChangeSource;
}

export interface ChangeEvent {
  id: string;
  service: string;
  kind: ChangeKind;
  timeMs: number;
  /** deploy only: the version deployed and the one it replaced ('' when unknown). */
  version: string;
  previousVersion: string;
  environment: string;
  commit: string;
  description: string;
  source: ChangeSource;
  attributes: Attributes;
}
