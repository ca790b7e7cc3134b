// Makes incident decisions durable and visible: stores each incident's latest state and its
// append-only timeline, assembles context from stored telemetry, keeps the similar-incident
// index, and sends incident messages through the notifier's persistent outbox (with escalation).
import { join } from 'node:path';
import { iso } from '../api/index.js';
import type { VigilConfig } from '../config/index.js';
import { assembleContext, impactFromContext, type IncidentContext } from '../context/index.js';
import type { Incident, IncidentUpdate, ImpactFacts } from '../incidents/index.js';
import type { Logger } from '../logger.js';
import { describeDelivery, Notifier, type ContextHighlights, type IncidentChange } from '../notify/index.js';
import { incidentSignature, type DependencyGraph, type PastIncident, type SimilarIncident } from '../rca/index.js';
import { appendTimeline, listIncidentBodies, saveIncidents, type StoreClient } from '../store/index.js';
import { ClickHouseContextQueries } from './context-queries.js';

const notifiedEvents: Partial<Record<IncidentUpdate['event'], IncidentChange['event']>> = {
  opened: 'opened',
  reopened: 'opened',
  'severity-changed': 'updated',
  'root-cause': 'updated',
  acknowledged: 'acknowledged',
  mitigated: 'mitigated',
  resolved: 'resolved',
  'all-clear': 'all-clear',
};

export class IncidentPersistence {
  private readonly contexts = new Map<string, IncidentContext>();
  private readonly similar = new Map<string, SimilarIncident[]>();
  private readonly queries: ClickHouseContextQueries;
  private revision = Date.now() * 1000;
  onDelivered: ((incidentId: string, text: string) => void) | undefined;

  private constructor(
    private readonly store: StoreClient,
    private readonly notifier: Notifier | undefined,
    private readonly log: Logger,
    private readonly past: PastIncident[],
    private readonly telemetryVisible: () => Promise<void>,
    /** `incidents.entryServices` as configured; empty: the dependency graph decides. */
    private readonly entryServices: readonly string[] = [],
  ) {
    this.queries = new ClickHouseContextQueries(store);
    notifier?.onDelivered((e) => this.onDelivered?.(e.message.incident.id, describeDelivery(e)));
  }

  static async open(store: StoreClient, config: Readonly<VigilConfig>, log: Logger, telemetryVisible: () => Promise<void> = () => Promise.resolve()): Promise<IncidentPersistence> {
    const notify = config.notify;
    const notifier = notify.channels.length ? new Notifier({ config: notify, directory: join(config.storage.dataDir, 'notify'), logger: log }) : undefined;
    const past: PastIncident[] = [];
    for (const body of (await listIncidentBodies(store, { openOnly: false, limit: 1000 })) as Array<Record<string, unknown>>) {
      if (body.status !== 'resolved') continue;
      past.push(pastIncidentOf(body));
    }
    return new IncidentPersistence(store, notifier, log, past, telemetryVisible, config.incidents.entryServices);
  }

  /** Delivery figures per notification channel (empty when no channel is configured). */
  notificationStats(): Record<string, { type: string; delivered: number; dead: number; pending: number; lastError?: string }> {
    return this.notifier?.outbox.stats() ?? {};
  }

  pastIncidents(): PastIncident[] {
    return this.past;
  }

  start(): void {
    void this.notifier?.start().catch((err: unknown) => this.log.error({ err }, 'the notifier failed to start'));
  }

  async stop(): Promise<void> {
    await this.notifier?.stop();
  }

  setSimilar(id: string, similar: SimilarIncident[]): void {
    this.similar.set(id, similar);
  }

  /** Context from stored telemetry; failures are logged and leave the incident without it. */
  async assembleContext(incident: Incident, nowMs: number, graph: DependencyGraph): Promise<{ context: IncidentContext; impact: ImpactFacts } | undefined> {
    try {
      // The batch that opened the incident is acknowledged but may still be on its way to the store.
      await this.telemetryVisible();
      const entryServices = this.entryServices.length ? [...this.entryServices] : entryServicesOf(incident, graph);
      const context = await assembleContext(incident, this.queries, { nowMs, entryServices });
      this.contexts.set(incident.id, context);
      return { context, impact: impactFromContext(context) };
    } catch (err) {
      this.log.error({ err, incident: incident.id }, 'context assembly failed');
      return undefined;
    }
  }

  /** Stores the latest state of every incident touched, appends new timeline entries, notifies. */
  async persist(updates: readonly IncidentUpdate[], nowMs: number): Promise<void> {
    const latest = new Map<string, Incident>();
    for (const u of updates) latest.set(u.incident.id, u.incident);
    await saveIncidents(
      this.store,
      [...latest.values()].map((incident) => ({ id: incident.id, status: incident.status, startedAtMs: incident.startedAtMs, revision: ++this.revision, body: this.view(incident) })),
    );
    for (const u of updates) {
      const firstSeq = u.incident.timeline.length - u.newTimeline.length;
      await appendTimeline(this.store, u.incident.id, firstSeq, u.newTimeline);
    }
    for (const incident of latest.values()) {
      if (incident.status === 'resolved' && !this.past.some((p) => p.incidentId === incident.id)) this.past.push(pastIncidentOf(this.view(incident)));
    }
    await this.sendNotifications(updates, nowMs);
  }

  private async sendNotifications(updates: readonly IncidentUpdate[], nowMs: number): Promise<void> {
    if (!this.notifier) return;
    for (const u of updates) {
      const event = notifiedEvents[u.event];
      if (!event) continue;
      const ctx = this.contexts.get(u.incident.id);
      await this.notifier.notify({
        event,
        incident: u.incident,
        atMs: nowMs,
        rootCauses: u.incident.rootCauses,
        context: ctx ? highlights(ctx, this.similar.get(u.incident.id) ?? []) : undefined,
        update: u.newTimeline.map((e) => e.text).join('; '),
        actor: u.newTimeline.find((e) => e.actor)?.actor,
      });
    }
  }

  /** Every engine clock advance: queues the escalations and coalesced bursts that fell due. */
  async clockAdvanced(nowMs: number, nextTickAtMs?: number): Promise<void> {
    await this.notifier?.tick(nowMs, nextTickAtMs);
  }

  /** The API body of an incident: the summary fields, then everything a responder needs. */
  view(incident: Incident): Record<string, unknown> {
    const context = this.contexts.get(incident.id) ?? incident.context;
    return {
      id: incident.id,
      title: incident.title,
      status: incident.status,
      severity: incident.severity,
      severityReason: incident.severityReason,
      services: incident.services,
      startedAt: iso(incident.startedAtMs),
      detectedAt: iso(incident.detectedAtMs),
      ...(incident.acknowledgedAtMs !== undefined ? { acknowledgedAt: iso(incident.acknowledgedAtMs) } : {}),
      ...(incident.mitigatedAtMs !== undefined ? { mitigatedAt: iso(incident.mitigatedAtMs) } : {}),
      ...(incident.resolvedAtMs !== undefined ? { resolvedAt: iso(incident.resolvedAtMs) } : {}),
      rootCauses: incident.rootCauses,
      impact: incident.impact ?? null,
      context: context ?? null,
      changes: incident.changes.map((c) => ({ id: c.id, service: c.service, kind: c.kind, time: iso(c.timeMs), version: c.version || null, description: c.description })),
      signals: incident.signals.map((s) => ({ id: s.id, kind: s.kind, status: s.status, subject: s.subject, startedAt: iso(s.startedAtMs), detectedAt: iso(s.detectedAtMs), ...(s.endedAtMs ? { endedAt: iso(s.endedAtMs) } : {}), summary: s.summary, observed: s.observed, baseline: s.baseline, unit: s.unit, score: s.score })),
      similarIncidents: this.similar.get(incident.id) ?? [],
      runbook: incident.runbook ?? null,
      signature: incidentSignature(incident),
    };
  }
}

function pastIncidentOf(body: Record<string, unknown>): PastIncident {
  const notes = (body.resolution as string | undefined) ?? '';
  return {
    incidentId: String(body.id),
    title: typeof body.title === 'string' ? body.title : '',
    startedAtMs: Date.parse(String(body.startedAt)),
    signature: body.signature as PastIncident['signature'],
    resolution: notes,
    openActionItems: [],
  };
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

/** The customer-facing services upstream of the incident (or its own, when none is known). */
function entryServicesOf(incident: Incident, graph: DependencyGraph): string[] {
  const entries = graph.nodes().filter((n) => n.kind === 'service' && graph.isEntry(n.name)).map((n) => n.name);
  return entries.length ? entries : [...incident.services];
}
