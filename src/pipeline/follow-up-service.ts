// Learning from incidents, the adapter: reads incidents, timelines, action items, review edits
// and tickets from the store, hands them to the pure cores (reviews/, reports/, tickets/) and
// stores what people add. Action items are people's work, so their times are on the wall clock;
// tickets are correlated in the engines' time (event time in replays), like incidents.
import { randomBytes } from 'node:crypto';
import { reliabilityReport, type BusinessKpisInput, type KpiEvent, type ReliabilityReport, type SloAttainment } from '../reports/index.js';
import {
  actionItemView,
  buildReview,
  factsOfRecord,
  REPEAT_WINDOW_MS,
  repeatOf,
  resurfacedActionItems,
  changeActionItem,
  type ActionItem,
  type ActionItemChange,
  type ActionItemView,
  type EditableSection,
  type IncidentFacts,
  type RepeatOf,
  type Review,
} from '../reviews/index.js';
import {
  firstRootCauseTimes,
  getIncidentRecord,
  listActionItems,
  listIncidentHistory,
  listReviewEdits,
  listTickets,
  readTimeline,
  saveActionItem,
  saveReviewEdits,
  saveTickets,
  metricPointsForSlo,
  sloCountsInRange,
  listChanges,
  listServices,
  type StoredActionItem,
  type StoreClient,
  type StoredReviewEdit,
  type StoredTicket,
} from '../store/index.js';
import { correlateTicketWith, firstTicketTimes, TICKET_WINDOW, ticketsOf, type Ticket, type TicketInput, type TicketSource } from '../tickets/index.js';
import { factsOfHistoryRow } from './incident-facts.js';
import type { KpiAroundReader } from './kpi-series.js';
import type { Incident } from '../incidents/index.js';
import type { ContextHighlights } from '../notify/index.js';
import { incidentSignature } from '../rca/index.js';
import { metricCountsInRange } from '../slo/index.js';
import type { SloView } from './slo-service.js';

/** What reviews and reports show besides incidents, when the server has it. */
export interface FollowUpExtras {
  /** Declared business KPIs around an incident (reviews) or the range's incidents and releases (reports). */
  kpisAround?: KpiAroundReader;
  /** Names of the declared KPIs. */
  kpiNames?: readonly string[];
  /** Services a synthetic check watches now (production confidence in reports). */
  checkedServices?: () => readonly string[];
}

/** Timeline entries naming a cause come after the onset; a day covers any incident's ranking. */
const IDENTIFY_LOOKAHEAD_MS = 86_400_000;
/** Incidents (the most severe) and releases (the latest) a report shows KPIs around, of each. */
const KPI_EVENTS_PER_KIND = 20;
/** A release's KPIs are read over the hour after its deploy: release validation's default window. */
const RELEASE_KPI_WINDOW_MS = 3_600_000;
const severityRank = { critical: 0, high: 1, medium: 2, low: 3 } as const;

export class FollowUpService {
  private version = Date.now() * 1000;

  constructor(
    private readonly store: StoreClient,
    private readonly clock: { now(): number },
    private readonly slos?: { list(): ReadonlyArray<Pick<SloView, 'name' | 'service' | 'route' | 'objective' | 'target' | 'thresholdMs' | 'metric'>> },
    private readonly wallNow: () => number = Date.now,
    private readonly extras: FollowUpExtras = {},
  ) {}

  async incident(id: string): Promise<IncidentFacts | undefined> {
    const record = await getIncidentRecord(this.store, id);
    return record ? factsOfRecord(record) : undefined;
  }

  async review(incidentId: string): Promise<Review | undefined> {
    const incident = await this.incident(incidentId);
    if (!incident) return undefined;
    const [timeline, items, history, open, edits, tickets, kpis] = await Promise.all([
      readTimeline(this.store, incidentId),
      listActionItems(this.store, { incidentIds: [incidentId] }),
      this.history(incident.startedAtMs - REPEAT_WINDOW_MS, incident.startedAtMs + 1),
      listActionItems(this.store, { status: 'open' }),
      listReviewEdits(this.store, incidentId),
      this.ticketsAround(incident),
      this.extras.kpisAround?.(
        { startMs: incident.startedAtMs, ...(incident.resolvedAtMs !== undefined ? { endMs: incident.resolvedAtMs } : {}) },
        this.clock.now(),
      ),
    ]);
    return buildReview({
      incident,
      timeline,
      actionItems: items.map(itemOf),
      resurfaced: resurfacedActionItems(incident, history, open.map(itemOf)),
      repeatOf: repeatOf(incident, history),
      edits: Object.fromEntries(edits.map((e: StoredReviewEdit) => [e.section, { text: e.text, ...(e.author ? { by: e.author } : {}), atMs: e.atMs }])),
      tickets: ticketsOf(incident, tickets),
      ...(kpis ? { kpis } : {}),
      nowMs: this.wallNow(),
    });
  }

  async editReview(incidentId: string, sections: Partial<Record<EditableSection, string>>, author: string): Promise<Review> {
    const at = this.wallNow();
    await saveReviewEdits(
      this.store,
      Object.entries(sections).map(([section, text]) => ({ incidentId, section, text: text ?? '', author, atMs: at, version: ++this.version })),
    );
    const review = await this.review(incidentId);
    if (!review) throw new Error(`incident ${incidentId} vanished while its review was edited`);
    return review;
  }

  async addActionItem(incidentId: string, item: { title: string; owner?: string; dueMs?: number }): Promise<ActionItemView> {
    const now = this.wallNow();
    const stored: StoredActionItem = {
      id: `ai-${randomBytes(6).toString('hex')}`,
      incidentId,
      title: item.title,
      owner: item.owner ?? '',
      dueMs: item.dueMs ?? null,
      status: 'open',
      createdAtMs: now,
      doneAtMs: null,
      version: ++this.version,
    };
    await saveActionItem(this.store, stored);
    return actionItemView(itemOf(stored), now);
  }

  async setActionItemStatus(id: string, status: 'open' | 'done'): Promise<ActionItemView | undefined> {
    return this.updateActionItem(id, { status });
  }

  async updateActionItem(id: string, change: ActionItemChange): Promise<ActionItemView | undefined> {
    const [found] = await listActionItems(this.store, { ids: [id] });
    if (!found) return undefined;
    const now = this.wallNow();
    const before = itemOf(found);
    const next = changeActionItem(before, change, now);
    if (JSON.stringify(next) !== JSON.stringify(before))
      await saveActionItem(this.store, {
        ...found,
        title: next.title,
        owner: next.owner ?? '',
        dueMs: next.dueMs ?? null,
        status: next.status,
        doneAtMs: next.doneAtMs ?? null,
        version: Math.max(++this.version, found.version + 1),
      });
    return actionItemView(next, now);
  }

  async listActionItems(q: { status?: 'open' | 'done'; incidentId?: string }): Promise<ActionItemView[]> {
    const now = this.wallNow();
    const items = await listActionItems(this.store, { ...(q.status ? { status: q.status } : {}), ...(q.incidentId ? { incidentIds: [q.incidentId] } : {}) });
    return items.map((i) => actionItemView(itemOf(i), now));
  }

  async reliability(fromMs: number, toMs: number): Promise<ReliabilityReport> {
    const [history, causeTimes, items, tickets, slos, known, changes] = await Promise.all([
      this.history(fromMs - REPEAT_WINDOW_MS, toMs),
      firstRootCauseTimes(this.store, { fromMs, toMs: toMs + IDENTIFY_LOOKAHEAD_MS }),
      listActionItems(this.store, {}),
      // Only a ticket before detection makes an incident customer-reported first.
      listTickets(this.store, { fromMs: fromMs - TICKET_WINDOW.beforeOnsetMs, toMs: toMs + IDENTIFY_LOOKAHEAD_MS, limit: 1_000_000 }),
      this.sloAttainments(fromMs, toMs),
      // What production confidence at the end of the range is judged from.
      listServices(this.store, toMs - 86_400_000, toMs),
      listChanges(this.store, { fromMs: toMs - 3_600_000, toMs, limit: 1000 }),
    ]);
    const inRange = history.filter((i) => i.startedAtMs >= fromMs && i.startedAtMs < toMs);
    const top = new Map(inRange.map((i) => [i.id, i.rootCauses[0]]));
    const identifiedAtMs = new Map<string, number>();
    for (const c of causeTimes) {
      const t = top.get(c.incidentId);
      if (t && t.service === c.service && t.kind === c.kind) identifiedAtMs.set(c.incidentId, c.atMs);
    }
    const earlyTickets = tickets.map(ticketOf);
    const businessKpis = await this.kpisAroundRange(inRange, fromMs, toMs);
    return reliabilityReport({
      fromMs,
      toMs,
      history,
      identifiedAtMs,
      actionItems: items.map(itemOf),
      firstTicketMs: firstTicketTimes(
        inRange,
        earlyTickets.filter((t) => t.timeMs <= toMs + IDENTIFY_LOOKAHEAD_MS),
      ),
      slos,
      ...(businessKpis ? { businessKpis } : {}),
      endOfRange: {
        services: known.map((s) => ({ service: s.service, traced: s.signals.spans })),
        changes: changes.map((c) => ({
          service: c.service,
          kind: c.kind,
          timeMs: c.timeMs,
          ...(c.version ? { version: c.version } : {}),
          ...(c.description ? { description: c.description } : {}),
        })),
        checkedServices: this.extras.checkedServices?.() ?? [],
      },
      nowMs: this.wallNow(),
    });
  }

  /** Declared KPIs around the range's most severe incidents and latest releases (a few reads at a time: one series per KPI each). */
  private async kpisAroundRange(inRange: readonly IncidentFacts[], fromMs: number, toMs: number): Promise<BusinessKpisInput | undefined> {
    const read = this.extras.kpisAround;
    const declared = this.extras.kpiNames ?? [];
    if (!read || !declared.length) return undefined;
    const now = this.clock.now();
    const lasted = (i: IncidentFacts): number => (i.resolvedAtMs ?? now) - i.startedAtMs;
    const incidents = [...inRange].sort(
      (a, b) => severityRank[a.severity] - severityRank[b.severity] || lasted(b) - lasted(a) || a.startedAtMs - b.startedAtMs,
    );
    const deploys = await listChanges(this.store, { fromMs, toMs: toMs - 1, kinds: ['deploy'], limit: 10_000 });
    const events: Array<Omit<KpiEvent, 'kpis'>> = [
      ...incidents.slice(0, KPI_EVENTS_PER_KIND).map((i) => ({
        kind: 'incident' as const,
        id: i.id,
        title: i.title,
        startMs: i.startedAtMs,
        ...(i.resolvedAtMs !== undefined ? { endMs: i.resolvedAtMs } : {}),
      })),
      ...deploys.slice(0, KPI_EVENTS_PER_KIND).map((c) => ({
        kind: 'release' as const,
        id: c.id,
        title: `${c.service}${c.version ? ` ${c.version}` : ''}`,
        startMs: c.timeMs,
        endMs: c.timeMs + RELEASE_KPI_WINDOW_MS,
      })),
    ];
    const withKpis: KpiEvent[] = [];
    for (let i = 0; i < events.length; i += 4)
      withKpis.push(
        ...(await Promise.all(
          events
            .slice(i, i + 4)
            .map(async (e) => ({ ...e, kpis: await read({ startMs: e.startMs, ...(e.endMs !== undefined ? { endMs: e.endMs } : {}) }, now) })),
        )),
      );
    const leftOut = Math.max(0, incidents.length - KPI_EVENTS_PER_KIND) + Math.max(0, deploys.length - KPI_EVENTS_PER_KIND);
    return { declared, events: withKpis, leftOut };
  }

  /** Each SLO's good share over the report's range (not its own rolling window). */
  private async sloAttainments(fromMs: number, toMs: number): Promise<SloAttainment[]> {
    return Promise.all(
      (this.slos?.list() ?? []).map(async (s) => {
        const c = s.metric
          ? metricCountsInRange(
              { service: s.service, metric: s.metric, ...(s.thresholdMs !== undefined ? { thresholdMs: s.thresholdMs } : {}) },
              await metricPointsForSlo(this.store, {
                service: s.service,
                names: [s.metric.total, s.metric.good, s.metric.bad].flatMap((m) => (m ? [m.name] : [])),
                fromMs,
                toMs,
              }),
              fromMs,
              toMs,
            )
          : await sloCountsInRange(this.store, {
              service: s.service,
              ...(s.route ? { route: s.route } : {}),
              ...(s.objective === 'latency' && s.thresholdMs !== undefined ? { thresholdMs: s.thresholdMs } : {}),
              fromMs,
              toMs,
            });
        const attainment = c.total > 0 ? c.good / c.total : null;
        return { name: s.name, service: s.service, target: s.target, attainment, met: attainment === null ? null : attainment >= s.target, requests: c.total };
      }),
    );
  }

  async recordTicket(input: TicketInput): Promise<{ id: string; source: string; time: string; incidents: ReturnType<typeof correlateTicketWith> }> {
    const ticket: Ticket = { ...input, timeMs: input.timeMs ?? this.clock.now() };
    await saveTickets(this.store, [
      {
        source: ticket.source,
        id: ticket.id,
        timeMs: ticket.timeMs,
        title: ticket.title,
        body: ticket.body ?? '',
        service: ticket.service ?? '',
        customer: ticket.customer ?? '',
        receivedAtMs: this.wallNow(),
      },
    ]);
    // Incidents that began up to a week before the ticket (or just after it) may be what it is about.
    const candidates = await this.history(ticket.timeMs - 7 * 86_400_000, ticket.timeMs + TICKET_WINDOW.beforeOnsetMs + 1);
    return { id: ticket.id, source: ticket.source, time: new Date(ticket.timeMs).toISOString(), incidents: correlateTicketWith(ticket, candidates) };
  }

  /** Open action items of similar incidents that began before this one. */
  async resurfacedFor(
    incident: Pick<IncidentFacts, 'id' | 'title' | 'startedAtMs' | 'signature'>,
  ): Promise<Array<ActionItemView & { fromIncidentTitle: string; similarity: number }>> {
    const open = await listActionItems(this.store, { status: 'open' });
    if (!open.length) return [];
    const history = await this.history(incident.startedAtMs - REPEAT_WINDOW_MS, incident.startedAtMs + 1);
    return this.resurfacedViews(incident, history, open);
  }

  /** What earlier incidents say about this one, from one read of the 90 days before it: the one it repeats and the open items still owed. */
  async earlierFor(
    incident: IncidentFacts,
  ): Promise<{ repeatOf?: RepeatOf; resurfaced: Array<ActionItemView & { fromIncidentTitle: string; similarity: number }> }> {
    const [history, open] = await Promise.all([
      this.history(incident.startedAtMs - REPEAT_WINDOW_MS, incident.startedAtMs + 1),
      listActionItems(this.store, { status: 'open' }),
    ]);
    const repeat = repeatOf(incident, history);
    return { ...(repeat ? { repeatOf: repeat } : {}), resurfaced: this.resurfacedViews(incident, history, open) };
  }

  private resurfacedViews(
    incident: Pick<IncidentFacts, 'id' | 'title' | 'startedAtMs' | 'signature'>,
    history: readonly IncidentFacts[],
    open: readonly StoredActionItem[],
  ): Array<ActionItemView & { fromIncidentTitle: string; similarity: number }> {
    const now = this.wallNow();
    return resurfacedActionItems(incident, history, open.map(itemOf)).map((a) => ({
      ...actionItemView(a, now),
      fromIncidentTitle: a.fromIncidentTitle,
      similarity: a.similarity,
    }));
  }

  /** The same for a live incident's messages: what we said we'd fix last time. */
  async openItemsForMessage(incident: Incident): Promise<NonNullable<ContextHighlights['openActionItems']>> {
    const items = await this.resurfacedFor({
      id: incident.id,
      title: incident.title,
      startedAtMs: incident.startedAtMs,
      signature: incidentSignature(incident),
    });
    return items.map((a) => ({
      id: a.id,
      title: a.title,
      incidentId: a.incidentId,
      incidentTitle: a.fromIncidentTitle,
      ...(a.owner ? { owner: a.owner } : {}),
      ...(a.overdue ? { overdue: true } : {}),
    }));
  }

  /** Tickets correlated with one incident, oldest first (for its API body and review). */
  async ticketsOf(incident: IncidentFacts): Promise<ReturnType<typeof ticketsOf>> {
    return ticketsOf(incident, await this.ticketsAround(incident));
  }

  private async ticketsAround(incident: IncidentFacts): Promise<Ticket[]> {
    const end = incident.resolvedAtMs ?? Math.max(this.clock.now(), incident.startedAtMs);
    const rows = await listTickets(this.store, {
      fromMs: incident.startedAtMs - TICKET_WINDOW.beforeOnsetMs,
      toMs: end + TICKET_WINDOW.afterResolveMs,
      limit: 10_000,
    });
    return rows.map(ticketOf);
  }

  private async history(fromMs: number, toMs: number): Promise<IncidentFacts[]> {
    return (await listIncidentHistory(this.store, { fromMs, toMs })).map(factsOfHistoryRow);
  }
}

function itemOf(s: StoredActionItem): ActionItem {
  return {
    id: s.id,
    incidentId: s.incidentId,
    title: s.title,
    ...(s.owner ? { owner: s.owner } : {}),
    ...(s.dueMs !== null ? { dueMs: s.dueMs } : {}),
    status: s.status,
    createdAtMs: s.createdAtMs,
    ...(s.doneAtMs !== null ? { doneAtMs: s.doneAtMs } : {}),
  };
}

function ticketOf(t: StoredTicket): Ticket {
  return {
    id: t.id,
    source: t.source as TicketSource,
    title: t.title,
    timeMs: t.timeMs,
    ...(t.body ? { body: t.body } : {}),
    ...(t.service ? { service: t.service } : {}),
    ...(t.customer ? { customer: t.customer } : {}),
  };
}
