// The hand-off of incident updates to the notifier (built by the server, absent when no channel
// is configured): which engine events notify, what context highlights ride along, the notifier's
// lifecycle and its clock ticks, and deliveries reported back for the timeline.
import type { Incident, IncidentEvent, IncidentUpdate } from '../incidents/index.js';
import type { Logger } from '../logger.js';
import type { IncidentContext, SimilarIncident } from '../model/index.js';
import { describeDelivery, type ContextHighlights, type EscalationGate, type IncidentChange, type Notifier } from '../notify/index.js';

const notifiedEvents: Partial<Record<IncidentEvent, IncidentChange['event']>> = {
  opened: 'opened',
  reopened: 'opened',
  'severity-changed': 'updated',
  'root-cause': 'updated',
  acknowledged: 'acknowledged',
  mitigated: 'mitigated',
  resolved: 'resolved',
  'all-clear': 'all-clear',
};

/** Open action items of similar earlier incidents, for the incident's messages (pipeline/follow-up-service.ts). */
export type OpenActionItemsOf = (incident: Incident) => Promise<NonNullable<ContextHighlights['openActionItems']>>;

export type ChannelStats = Record<string, { type: string; delivered: number; dead: number; pending: number; lastError?: string }>;

/**
 * The active silences covering an incident now (src/silences); any: its notifications are
 * suppressed, Alertmanager-style, while the incident itself is still recorded and its timeline says so.
 */
export type IncidentSilencer = (incident: Incident, nowMs: number) => ReadonlyArray<{ id: string; endsAtMs: number }>;

export class IncidentNotifications {
  private timelineLine: ((incidentId: string, text: string) => void) | undefined;
  /** Settles once the notifier has started: its outbox refuses messages before then, and a signal may arrive first. */
  private started: Promise<void> = Promise.resolve();

  constructor(
    private readonly notifier: Notifier | undefined,
    private readonly log: Logger,
    private readonly silencer?: IncidentSilencer,
  ) {}

  /** Called with the incident and a line for its timeline whenever a message is delivered (or silenced). */
  onDelivered(listener: (incidentId: string, text: string) => void): void {
    this.timelineLine = listener;
    this.notifier?.onDelivered((e) => listener(e.message.incident.id, describeDelivery(e)));
  }

  /** Delivery figures per notification channel (empty when no channel is configured). */
  stats(): ChannelStats {
    return this.notifier?.outbox.stats() ?? {};
  }

  start(): void {
    if (!this.notifier) return;
    this.started = this.notifier.start().catch((err: unknown) => this.log.error({ err }, 'the notifier failed to start'));
  }

  async stop(): Promise<void> {
    await this.started;
    await this.notifier?.stop();
  }

  /** One message per notified update, with the incident's latest context and similar incidents. */
  async send(
    updates: readonly IncidentUpdate[],
    nowMs: number,
    about: { contextOf(id: string): IncidentContext | undefined; similarTo(id: string): SimilarIncident[]; openActionItemsOf?: OpenActionItemsOf },
  ): Promise<void> {
    if (!this.notifier) return;
    await this.started;
    for (const u of updates) {
      const event = notifiedEvents[u.event];
      if (!event) continue;
      const silencedBy = this.silencer?.(u.incident, nowMs) ?? [];
      if (silencedBy.length) {
        const until = new Date(Math.max(...silencedBy.map((s) => s.endsAtMs))).toISOString();
        this.log.info({ incident: u.incident.id, event, silences: silencedBy.map((s) => s.id) }, 'notification suppressed by a silence');
        this.timelineLine?.(u.incident.id, `notification suppressed (${event}): silenced by ${silencedBy.map((s) => s.id).join(', ')} until ${until}`);
        continue;
      }
      const ctx = about.contextOf(u.incident.id);
      const items = await this.openActionItems(u.incident, about.openActionItemsOf);
      const highlighted = ctx ? highlights(ctx, about.similarTo(u.incident.id)) : undefined;
      await this.notifier.notify({
        event,
        incident: u.incident,
        atMs: nowMs,
        rootCauses: u.incident.rootCauses,
        context: items.length ? { ...highlighted, openActionItems: items } : highlighted,
        update: u.newTimeline.map((e) => e.text).join('; '),
        actor: u.newTimeline.find((e) => e.actor)?.actor,
      });
    }
  }

  /** A failed look-up costs the message its open items, never the message. */
  private async openActionItems(incident: Incident, of: OpenActionItemsOf | undefined): Promise<NonNullable<ContextHighlights['openActionItems']>> {
    if (!of) return [];
    try {
      return await of(incident);
    } catch (err) {
      this.log.warn({ err, incident: incident.id }, 'could not read the open action items of similar incidents');
      return [];
    }
  }

  /**
   * Every engine clock advance: queues the escalations and coalesced bursts that fell due. An
   * escalation level is judged by the same silence rule as every other notification, at the moment
   * it falls due: an incident paged before a silence began stops escalating while it is covered.
   */
  async clockAdvanced(nowMs: number, nextTickAtMs?: number, incidentOf?: (id: string) => Incident | undefined): Promise<void> {
    if (!this.notifier) return;
    await this.started;
    await this.notifier.tick(nowMs, nextTickAtMs, this.escalationGate(incidentOf));
  }

  private escalationGate(incidentOf: ((id: string) => Incident | undefined) | undefined): EscalationGate | undefined {
    const silencer = this.silencer;
    if (!silencer || !incidentOf) return undefined;
    return (incidentId, dueAtMs) => {
      const incident = incidentOf(incidentId);
      const silencedBy = incident ? silencer(incident, dueAtMs) : [];
      if (silencedBy.length) {
        const ids = silencedBy.map((s) => s.id);
        this.log.info({ incident: incidentId, silences: ids }, 'escalation suppressed by a silence');
        this.timelineLine?.(incidentId, `escalation suppressed: silenced by ${ids.join(', ')}`);
      }
      return silencedBy.map((s) => s.id);
    };
  }
}

function highlights(ctx: IncidentContext, similar: SimilarIncident[]): Partial<ContextHighlights> {
  return {
    ...(ctx.affectedUsers ? { affectedUsers: { count: ctx.affectedUsers.count, percent: ctx.affectedUsers.percent } } : {}),
    endpoints: ctx.affectedEndpoints.map((e) => ({ service: e.service, route: e.endpoint, summary: e.summary })),
    errorGroups: ctx.errorGroups.map((g) => ({ message: g.message, count: g.count, service: g.service })),
    exampleTraces: ctx.exampleTraces.map((t) => ({ traceId: t.traceId, label: t.label })),
    changes: ctx.changes.map((c) => ({ service: c.service, kind: c.kind, version: c.version, description: c.description, atMs: c.timeMs })),
    ...(ctx.runbook ? { runbookUrl: ctx.runbook } : {}),
    similarIncidents: similar.map((s) => ({ id: s.incidentId, title: s.title, fix: s.resolution || undefined })),
  };
}
