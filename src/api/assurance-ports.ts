// What the silence, confidence, status-page and stakeholder-update routes need (implemented in
// pipeline/: SilenceService, ConfidenceService, StatusService): knowing when to stop watching and
// what to tell everyone else.
import type { Confidence } from '../confidence/index.js';
import type { AlertRule, RuleStatus } from '../rules/index.js';
import type { Silence, SilenceRequest, SilenceState } from '../silences/index.js';
import type { StatusPage } from '../status/index.js';

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

export interface StakeholderUpdateView {
  id: string;
  incidentId: string;
  status: 'draft' | 'posted';
  /** The incident state the update speaks for. */
  incidentStatus: string;
  text: string;
  createdAtMs: number;
  postedAtMs?: number;
  editedBy?: string;
  postedBy?: string;
}

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
  saveUpdate(
    incidentId: string,
    change: { id?: string; text?: string; post: boolean },
    actor: string,
  ): Promise<StakeholderUpdateView | undefined>;
}

/** A user-defined alert rule with where it is defined and its state now. */
export type RuleView = AlertRule & { source: 'config' | 'api'; status: RuleStatus };

export interface RulePort {
  list(): RuleView[];
  /** Stored before it answers; a name taken (vigil.yaml's included) is a conflict. */
  create(rule: AlertRule): Promise<RuleView>;
  remove(name: string): Promise<void>;
}
