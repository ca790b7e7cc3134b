// The public status page and stakeholder updates as a running Vigil keeps them. The pipeline tells
// it of every stored batch of incident updates (no polling); on each state change of an incident
// that touches a configured component — a new status or a new severity — it composes a
// plain-language update: posted at once (status page + the configured stakeholder channels) or
// kept as a draft for a person to edit and post when `status.updates.approval` is on. Updates are
// stored versions, and what they spoke for survives a restart.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { IncidentRecord, IncidentStatus, Severity } from '../model/index.js';
import {
  buildStatusPage,
  componentsOf,
  composeUpdate,
  impactOf,
  publicTitle,
  stakeholderEventFor,
  type PublicUpdate,
  type SpokenState,
  type StakeholderEvent,
  type StatusConfig,
  type StatusIncidentFact,
  type StatusPage,
} from '../status/index.js';
import type { StakeholderUpdate as StakeholderUpdateView } from '../status/index.js';
import { loadVersioned, saveVersioned, type StoreClient } from '../store/index.js';
import type { IncidentSource } from './incident-service.js';
import { ChangeRefused } from './refused.js';

/** Incidents the page and the start-up catch-up look at, newest first: more than a status page ever shows. */
const incidentsPerPass = 200;

/** Delivers a posted update to the stakeholder channels (the server builds it from notify channels). */
export type UpdatePublisher = (
  update: StakeholderUpdateView,
  publicIncident: {
    title: string;
    components: string[];
    severity: Severity;
    status: IncidentStatus;
    startedAtMs: number;
  },
) => Promise<void>;

export class StatusService {
  private readonly byIncident = new Map<string, StakeholderUpdateView[]>();
  /** The incident state each incident's last update spoke for (severity unknown for updates stored before it was kept). */
  private readonly spokenFor = new Map<string, Partial<SpokenState> & Pick<SpokenState, 'status'>>();
  private version = Date.now() * 1000;
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;

  private constructor(
    private readonly store: StoreClient,
    private readonly config: StatusConfig,
    private readonly incidents: IncidentSource,
    readonly nowMs: () => number,
    private readonly log: Logger,
    private readonly publish: UpdatePublisher | undefined,
  ) {}

  static async open(o: {
    store: StoreClient;
    config: StatusConfig;
    incidents: IncidentSource;
    now: () => number;
    log: Logger;
    publish?: UpdatePublisher;
  }): Promise<StatusService> {
    const s = new StatusService(o.store, o.config, o.incidents, o.now, o.log, o.publish);
    for (const { body, version } of await loadVersioned<StakeholderUpdateView>(o.store, 'stakeholder_updates')) {
      s.remember(body);
      s.version = Math.max(s.version, version + 1);
    }
    // Incidents that ended before this start are history, not news: only changes from now on are told.
    for (const i of (await o.incidents.list({ openOnly: false, limit: incidentsPerPass })).incidents) {
      if (i.status === 'resolved' && !s.spokenFor.has(i.id)) s.spokenFor.set(i.id, { status: 'resolved' });
    }
    return s;
  }

  /**
   * Once at start: open incidents whose state moved while Vigil was down (or before the component
   * was configured) get their update; from here on the pipeline's events drive every update.
   */
  start(): Promise<void> {
    if (!this.config.components.length) return Promise.resolve();
    return this.serially(async () => {
      const open = (await this.incidents.list({ openOnly: true, limit: incidentsPerPass })).incidents;
      for (const record of open) await this.speak(record, this.nowMs());
    }).catch((err: unknown) => this.log.error({ err }, 'stakeholder updates: the start-up catch-up failed'));
  }

  /** The pipeline's listener: incident records as just stored, at engine time `nowMs`; queued, never blocking it. */
  incidentsUpdated(records: readonly IncidentRecord[], nowMs: number): void {
    if (this.stopped || !this.config.components.length) return;
    void this.serially(async () => {
      for (const record of records) await this.speak(record, nowMs);
    }).catch((err: unknown) => this.log.error({ err }, 'stakeholder updates: an update failed'));
  }

  /** Waits for the updates already queued (the pipeline's last events) and takes no more. */
  stop(): Promise<void> {
    this.stopped = true;
    return this.serially(() => Promise.resolve());
  }

  async page(): Promise<StatusPage> {
    await this.settled();
    const incidents = (await this.incidents.list({ openOnly: false, limit: incidentsPerPass })).incidents.map(factOf);
    const posted = new Map<string, PublicUpdate[]>();
    for (const [id, list] of this.byIncident) {
      posted.set(
        id,
        list
          .filter((u) => u.status === 'posted')
          .map((u) => ({
            atMs: u.postedAtMs ?? u.createdAtMs,
            status: u.incidentStatus as IncidentStatus,
            text: u.text,
          })),
      );
    }
    return buildStatusPage(this.config.title, this.config.components, incidents, posted, this.nowMs());
  }

  async updates(incidentId: string): Promise<StakeholderUpdateView[]> {
    await this.settled();
    return [...(this.byIncident.get(incidentId) ?? [])].sort((a, b) => a.createdAtMs - b.createdAtMs || (a.sequence ?? 0) - (b.sequence ?? 0));
  }

  saveUpdate(incidentId: string, change: { id?: string; text?: string; post: boolean }, actor: string): Promise<StakeholderUpdateView | undefined> {
    return this.serially(async () => {
      const detail = (await this.incidents.get(incidentId))?.record;
      if (!detail) return undefined;
      const fact = factOf(detail);
      const nowMs = this.nowMs();
      let update: StakeholderUpdateView;
      if (change.id) {
        const old = this.byIncident.get(incidentId)?.find((u) => u.id === change.id);
        if (!old) throw new ChangeRefused('VIGIL_NOT_FOUND', `no update ${change.id} of incident ${incidentId}`);
        if (old.status === 'posted')
          throw new ChangeRefused('VIGIL_CONFLICT', `update ${change.id} is already posted; post a new one instead of rewriting what people read`);
        update = { ...old, ...(change.text ? { text: change.text, editedBy: actor } : {}) };
      } else {
        const text = change.text ?? this.compose(fact, detail, stakeholderEventFor(undefined, fact)!, nowMs);
        if (!text) throw new ChangeRefused('VIGIL_CONFLICT', `incident ${incidentId} touches no status page component: there is nothing public to say`);
        update = {
          id: randomUUID(),
          incidentId,
          status: 'draft',
          incidentStatus: fact.status,
          incidentSeverity: fact.severity,
          sequence: this.nextSequence(incidentId),
          text,
          createdAtMs: nowMs,
          ...(change.text ? { editedBy: actor } : {}),
        };
      }
      if (change.post) update = { ...update, status: 'posted', postedAtMs: nowMs, postedBy: actor };
      await this.save(update);
      if (update.status === 'posted') await this.deliver(update, fact);
      return update;
    });
  }

  /** An update when the incident's status or severity differs from what its last update spoke for. */
  private async speak(record: IncidentRecord, nowMs: number): Promise<void> {
    const fact = factOf(record);
    const last = this.spokenFor.get(fact.id);
    const event = stakeholderEventFor(last && { severity: fact.severity, ...last }, fact);
    if (!event) return;
    if (!componentsOf(fact.services, this.config.components).length) {
      this.spokenFor.set(fact.id, { status: fact.status, severity: fact.severity });
      return;
    }
    const text = this.compose(fact, record, event, nowMs, last?.severity);
    this.spokenFor.set(fact.id, { status: fact.status, severity: fact.severity });
    if (!text) return;
    const approval = this.config.updates.approval;
    const update: StakeholderUpdateView = {
      id: randomUUID(),
      incidentId: fact.id,
      status: approval ? 'draft' : 'posted',
      incidentStatus: fact.status,
      incidentSeverity: fact.severity,
      sequence: this.nextSequence(fact.id),
      text,
      createdAtMs: nowMs,
      ...(approval ? {} : { postedAtMs: nowMs, postedBy: 'vigil' }),
    };
    await this.save(update);
    if (!approval) await this.deliver(update, fact);
  }

  /** Resolves once the updates queued so far are stored and handed to their channels (reads wait on it). */
  settled(): Promise<void> {
    return this.serially(() => Promise.resolve());
  }

  private compose(fact: StatusIncidentFact, detail: IncidentRecord, event: StakeholderEvent, nowMs: number, previousSeverity?: Severity): string | undefined {
    return composeUpdate({
      incident: { ...fact, impact: detail.impact ?? null },
      event,
      ...(previousSeverity ? { previousSeverity } : {}),
      components: this.config.components,
      nowMs,
      nextUpdateMinutes: this.config.updates.nextUpdateMinutes,
    });
  }

  private async save(update: StakeholderUpdateView): Promise<void> {
    this.version = Math.max(Date.now() * 1000, this.version + 1);
    await saveVersioned(this.store, 'stakeholder_updates', [{ id: update.id, version: this.version, body: update }]);
    this.remember(update);
  }

  private remember(update: StakeholderUpdateView): void {
    const list = (this.byIncident.get(update.incidentId) ?? []).filter((u) => u.id !== update.id);
    list.push(update);
    this.byIncident.set(update.incidentId, list);
    const latest = list.reduce((a, b) => (madeAfter(b, a) ? b : a));
    this.spokenFor.set(update.incidentId, {
      status: latest.incidentStatus as IncidentStatus,
      ...(latest.incidentSeverity ? { severity: latest.incidentSeverity as Severity } : {}),
    });
  }

  private nextSequence(incidentId: string): number {
    return Math.max(0, ...(this.byIncident.get(incidentId) ?? []).map((u) => u.sequence ?? 0)) + 1;
  }

  private async deliver(update: StakeholderUpdateView, fact: StatusIncidentFact): Promise<void> {
    if (!this.publish) return;
    const names = componentsOf(fact.services, this.config.components).map((c) => c.name);
    try {
      await this.publish(update, {
        title: publicTitle(names, impactOf(fact), fact.status !== 'resolved'),
        components: names,
        severity: fact.severity,
        status: fact.status,
        startedAtMs: fact.startedAtMs,
      });
    } catch (err) {
      // The update is posted on the status page either way; the channel outbox logs its own failures.
      this.log.error({ err, incident: fact.id }, 'stakeholder update could not be queued for its channels');
    }
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Creation order: by sequence; updates stored before there was one, by creation time and before any with one. */
function madeAfter(b: StakeholderUpdateView, a: StakeholderUpdateView): boolean {
  if (a.sequence === undefined || b.sequence === undefined) return b.sequence !== undefined || (a.sequence === undefined && b.createdAtMs >= a.createdAtMs);
  return b.sequence >= a.sequence;
}

function factOf(r: IncidentRecord): StatusIncidentFact {
  return {
    id: r.id,
    status: r.status,
    severity: r.severity,
    services: r.services,
    startedAtMs: r.startedAtMs,
    ...(r.resolvedAtMs !== undefined ? { resolvedAtMs: r.resolvedAtMs } : {}),
  };
}
