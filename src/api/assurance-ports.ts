// What the silence, confidence, status-page and stakeholder-update routes need (implemented in
// pipeline/: SilenceService, ConfidenceService, StatusService): knowing when to stop watching and
// what to tell everyone else.
import type { Confidence } from '../confidence/index.js';
import type { AlertRule, RuleWithStatus } from '../rules/index.js';
import type { Silence, SilenceRequest, SilenceState } from '../silences/index.js';
import type { StakeholderUpdate, StatusPage } from '../status/index.js';

export type SilenceView = Silence & { state: SilenceState };

export interface SilencePort {
  list(): SilenceView[];
  get(id: string): SilenceView | undefined;
  create(input: SilenceRequest, actor: string): Promise<SilenceView>;
  /** Ends it now; it stays listed as expired. */
  expire(id: string): Promise<SilenceView>;
}

export interface ConfidencePort {
  /** Every known service's confidence at the engine's current time. */
  services(): Promise<Confidence[]>;
}

/** A stakeholder update as stored (status/ declares it; the service behind this port keeps them). */
export type StakeholderUpdateView = StakeholderUpdate;

export interface StatusPort {
  /** The public page model: components and incidents in public words only. */
  page(): Promise<StatusPage>;
  /** The engine's current time, for the page's "updated" line. */
  nowMs(): number;
  updates(incidentId: string): Promise<StakeholderUpdateView[]>;
  /**
   * Creates a draft (no id; text given or composed from the incident now), edits a draft's text,
   * and posts it when `post` is true. Undefined for an unknown incident.
   */
  saveUpdate(incidentId: string, change: { id?: string; text?: string; post: boolean }, actor: string): Promise<StakeholderUpdateView | undefined>;
}

/** A user-defined alert rule with where it is defined and its state now (declared by rules/). */
export type RuleView = RuleWithStatus;

export interface RulePort {
  list(): RuleView[];
  /** Stored before it answers; a name taken (vigil.yaml's included) is a conflict. */
  create(rule: AlertRule): Promise<RuleView>;
  remove(name: string): Promise<void>;
}
