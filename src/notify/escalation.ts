// Escalation as a pure function of event time: fed incident state changes, `tick(nowMs)` returns
// the levels that fell due (still unacknowledged N minutes after the incident triggered). Same
// answers live, in replay and in tests; snapshot/restore carries it across restarts.
import type { IncidentStatus, IncidentSummary } from '../model/index.js';
import type { NotifyConfig } from './config.js';
import type { EscalationInfo } from './message.js';
import { escalationPolicyFor } from './routing.js';

export interface EscalationDue extends EscalationInfo {
  incidentId: string;
  /** When the level fell due (event time); later than `tick`'s argument never. */
  dueAtMs: number;
}

interface TrackedIncident {
  incidentId: string;
  status: IncidentStatus;
  /** When the current triggered period began (opening, or reopening). */
  triggeredAtMs: number;
  policy: string | undefined;
  /** How many levels already fired in this triggered period. */
  firedLevels: number;
}

export interface EscalationSnapshot {
  version: 1;
  incidents: TrackedIncident[];
}

type EscalationConfig = Pick<NotifyConfig, 'routes' | 'escalation'>;

const minuteMs = 60_000;

export class EscalationTracker {
  private readonly incidents = new Map<string, TrackedIncident>();

  constructor(private readonly config: EscalationConfig) {}

  /**
   * Feed every incident state change in event-time order. `atMs` is when the change happened
   * (default: detectedAtMs for a new incident). Acknowledged or mitigated stops escalation;
   * resolved forgets the incident; triggered again (a reopen) restarts the clock.
   */
  observe(incident: IncidentSummary, atMs: number = incident.detectedAtMs): void {
    const known = this.incidents.get(incident.id);
    if (incident.status === 'resolved') {
      this.incidents.delete(incident.id);
      return;
    }
    const policy = known?.policy ?? escalationPolicyFor(incident, this.config)?.name;
    if (!known || (incident.status === 'triggered' && known.status !== 'triggered')) {
      this.incidents.set(incident.id, { incidentId: incident.id, status: incident.status, triggeredAtMs: atMs, policy, firedLevels: 0 });
      return;
    }
    known.status = incident.status;
    // A severity rise can bring the incident under a route with a policy it lacked at opening.
    known.policy = policy;
  }

  /** Levels due at `nowMs`, each returned once, in due order. */
  tick(nowMs: number): EscalationDue[] {
    const due: EscalationDue[] = [];
    for (const t of this.incidents.values()) {
      if (t.status !== 'triggered' || t.policy === undefined) continue;
      const policy = this.config.escalation.find((p) => p.name === t.policy);
      if (!policy) continue;
      while (t.firedLevels < policy.levels.length) {
        const level = policy.levels[t.firedLevels];
        if (!level) break;
        const dueAtMs = t.triggeredAtMs + level.afterMinutes * minuteMs;
        if (dueAtMs > nowMs) break;
        t.firedLevels += 1;
        due.push({
          incidentId: t.incidentId,
          level: t.firedLevels,
          afterMinutes: level.afterMinutes,
          channels: [...level.channels],
          policy: policy.name,
          dueAtMs,
        });
      }
    }
    return due.sort((a, b) => a.dueAtMs - b.dueAtMs || a.incidentId.localeCompare(b.incidentId));
  }

  /** The next time `tick` would return something, for scheduling a wall-clock timer. */
  nextDueAtMs(): number | undefined {
    let next: number | undefined;
    for (const t of this.incidents.values()) {
      if (t.status !== 'triggered' || t.policy === undefined) continue;
      const level = this.config.escalation.find((p) => p.name === t.policy)?.levels[t.firedLevels];
      if (!level) continue;
      const at = t.triggeredAtMs + level.afterMinutes * minuteMs;
      if (next === undefined || at < next) next = at;
    }
    return next;
  }

  snapshot(): EscalationSnapshot {
    return { version: 1, incidents: [...this.incidents.values()].map((t) => ({ ...t })) };
  }

  static restore(config: EscalationConfig, snapshot: EscalationSnapshot): EscalationTracker {
    const tracker = new EscalationTracker(config);
    for (const t of snapshot.incidents) tracker.incidents.set(t.incidentId, { ...t });
    return tracker;
  }
}
