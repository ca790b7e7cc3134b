// Coalescing: the burst of changes an incident goes through as it opens (opened, root cause,
// impact → severity) becomes one message instead of three or four. A burst starts with its first
// change and is due a fixed window of engine time later (never extended by later changes, so a busy
// incident cannot delay its first page beyond the window); what is sent is its last state.
import type { IncidentChange } from './notifier.js';

export interface PendingBurst {
  change: IncidentChange;
  /** Engine time of the burst's first change. */
  firstAtMs: number;
  dueAtMs: number;
}

/** Opening and updates fold together; lifecycle events (acknowledged, resolved …) stand alone. */
const foldable = new Set<IncidentChange['event']>(['opened', 'updated']);

export class BurstCoalescer {
  private readonly pending = new Map<string, PendingBurst>();

  constructor(
    private readonly windowMs: number,
    restored: readonly PendingBurst[] = [],
  ) {
    for (const b of restored) this.pending.set(b.change.incident.id, b);
  }

  /** Takes a change; returns what must be sent now, in order (empty while a burst gathers). */
  add(change: IncidentChange): IncidentChange[] {
    const id = change.incident.id;
    const burst = this.pending.get(id);
    if (!foldable.has(change.event)) {
      this.pending.delete(id);
      return burst ? [burst.change, change] : [change];
    }
    if (burst) {
      burst.change = fold(burst.change, change);
      return [];
    }
    if (this.windowMs <= 0) return [change];
    this.pending.set(id, { change, firstAtMs: change.atMs, dueAtMs: change.atMs + this.windowMs });
    return [];
  }

  /** Bursts due at `nowMs` (engine time), oldest first. */
  due(nowMs: number): IncidentChange[] {
    const ready = [...this.pending.values()].filter((b) => b.dueAtMs <= nowMs).sort((a, b) => a.dueAtMs - b.dueAtMs);
    for (const b of ready) this.pending.delete(b.change.incident.id);
    return ready.map((b) => b.change);
  }

  /** The incident's burst now, whatever its due time (before an escalation of that incident). */
  take(incidentId: string): IncidentChange | undefined {
    const burst = this.pending.get(incidentId);
    this.pending.delete(incidentId);
    return burst?.change;
  }

  /** Every burst now (a graceful stop). */
  takeAll(): IncidentChange[] {
    return this.due(Number.POSITIVE_INFINITY);
  }

  nextDueAtMs(): number | undefined {
    let next: number | undefined;
    for (const b of this.pending.values()) if (next === undefined || b.dueAtMs < next) next = b.dueAtMs;
    return next;
  }

  snapshot(): PendingBurst[] {
    return [...this.pending.values()].map((b) => ({ ...b }));
  }
}

/** The later state wins; an opening stays an opening; the update lines add up. */
function fold(earlier: IncidentChange, later: IncidentChange): IncidentChange {
  const updates = [...new Set([earlier.update, later.update].filter((u): u is string => Boolean(u)))];
  const rootCauses = later.rootCauses ?? earlier.rootCauses;
  const context = later.context ?? earlier.context;
  const actor = later.actor ?? earlier.actor;
  return {
    event: earlier.event === 'opened' || later.event === 'opened' ? 'opened' : 'updated',
    incident: later.incident,
    atMs: later.atMs,
    ...(rootCauses ? { rootCauses } : {}),
    ...(context ? { context } : {}),
    ...(updates.length ? { update: updates.join('; ') } : {}),
    ...(actor ? { actor } : {}),
  };
}
