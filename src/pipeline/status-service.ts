// The public status page and stakeholder updates as a running Vigil keeps them. It watches stored
// incidents (no hook into the engines: a pass every few seconds and before each read) and, on
// each state change of an incident that touches a configured component, composes a plain-language
// update: posted at once (status page + the configured stakeholder channels) or kept as a draft
// for a person to edit and post when `status.updates.approval` is on. Updates are stored versions.
import { randomUUID } from 'node:crypto';
import { ApiError, type IncidentPort, type StakeholderUpdateView, type StatusPort } from '../api/index.js';
import type { Logger } from '../logger.js';
import type { IncidentRecord, IncidentStatus, Severity } from '../model/index.js';
import {
  buildStatusPage,
  componentsOf,
  composeUpdate,
  impactOf,
  publicTitle,
  type PublicUpdate,
  type StakeholderEvent,
  type StatusConfig,
  type StatusIncidentFact,
  type StatusPage,
} from '../status/index.js';
import { loadVersioned, saveVersioned, type StoreClient } from '../store/index.js';

/** How often stored incidents are looked at for state changes (reads look first anyway). */
const observeEveryMs = 2_000;
/** Incidents looked at per pass, newest first: more than a status page ever shows. */
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

export class StatusService implements StatusPort {
  private readonly byIncident = new Map<string, StakeholderUpdateView[]>();
  /** The incident status each incident's last update spoke for. */
  private readonly spokenFor = new Map<string, string>();
  private version = Date.now() * 1000;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly store: StoreClient,
    private readonly config: StatusConfig,
    private readonly incidents: IncidentPort,
    readonly nowMs: () => number,
    private readonly log: Logger,
    private readonly publish: UpdatePublisher | undefined,
  ) {}

  static async open(o: {
    store: StoreClient;
    config: StatusConfig;
    incidents: IncidentPort;
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
      if (i.status === 'resolved' && !s.spokenFor.has(i.id)) s.spokenFor.set(i.id, 'resolved');
    }
    return s;
  }

  start(): void {
    if (!this.config.components.length) return;
    this.timer = setInterval(
      () => void this.observe().catch((err: unknown) => this.log.error({ err }, 'stakeholder updates: a pass failed')),
      observeEveryMs,
    );
    this.timer.unref();
  }

  stop(): Promise<void> {
    clearInterval(this.timer);
    return this.serially(() => Promise.resolve());
  }

  async page(): Promise<StatusPage> {
    const incidents = await this.observe();
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
    await this.observe();
    return [...(this.byIncident.get(incidentId) ?? [])].sort((a, b) => a.createdAtMs - b.createdAtMs);
  }

  saveUpdate(
    incidentId: string,
    change: { id?: string; text?: string; post: boolean },
    actor: string,
  ): Promise<StakeholderUpdateView | undefined> {
    return this.serially(async () => {
      const detail = (await this.incidents.get(incidentId))?.record;
      if (!detail) return undefined;
      const fact = factOf(detail);
      const nowMs = this.nowMs();
      let update: StakeholderUpdateView;
      if (change.id) {
        const old = this.byIncident.get(incidentId)?.find((u) => u.id === change.id);
        if (!old) throw new ApiError('VIGIL_NOT_FOUND', `no update ${change.id} of incident ${incidentId}`);
        if (old.status === 'posted')
          throw new ApiError(
            'VIGIL_CONFLICT',
            `update ${change.id} is already posted; post a new one instead of rewriting what people read`,
          );
        update = { ...old, ...(change.text ? { text: change.text, editedBy: actor } : {}) };
      } else {
        const text = change.text ?? this.compose(fact, detail, eventFor(undefined, fact.status), nowMs);
        if (!text)
          throw new ApiError(
            'VIGIL_CONFLICT',
            `incident ${incidentId} touches no status page component: there is nothing public to say`,
          );
        update = {
          id: randomUUID(),
          incidentId,
          status: 'draft',
          incidentStatus: fact.status,
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

  /** One pass: an update for every incident whose state changed since its last update. */
  private observe(): Promise<StatusIncidentFact[]> {
    return this.serially(async () => {
      const listed = (await this.incidents.list({ openOnly: false, limit: incidentsPerPass })).incidents.map(factOf);
      if (!this.config.components.length) return listed;
      for (const fact of listed) {
        const last = this.spokenFor.get(fact.id);
        if (last === fact.status || !componentsOf(fact.services, this.config.components).length) continue;
        const detail = (await this.incidents.get(fact.id))?.record;
        if (!detail) continue;
        const nowMs = this.nowMs();
        const text = this.compose(fact, detail, eventFor(last, fact.status), nowMs);
        this.spokenFor.set(fact.id, fact.status);
        if (!text) continue;
        const approval = this.config.updates.approval;
        const update: StakeholderUpdateView = {
          id: randomUUID(),
          incidentId: fact.id,
          status: approval ? 'draft' : 'posted',
          incidentStatus: fact.status,
          text,
          createdAtMs: nowMs,
          ...(approval ? {} : { postedAtMs: nowMs, postedBy: 'vigil' }),
        };
        await this.save(update);
        if (!approval) await this.deliver(update, fact);
      }
      return listed;
    });
  }

  private compose(
    fact: StatusIncidentFact,
    detail: IncidentRecord,
    event: StakeholderEvent,
    nowMs: number,
  ): string | undefined {
    return composeUpdate({
      incident: { ...fact, impact: detail.impact ?? null },
      event,
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
    const latest = list.reduce((a, b) => (b.createdAtMs >= a.createdAtMs ? b : a));
    this.spokenFor.set(update.incidentId, latest.incidentStatus);
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

function eventFor(last: string | undefined, status: IncidentStatus): StakeholderEvent {
  if (last === undefined) return status === 'resolved' ? 'resolved' : 'opened';
  if (last === 'resolved' && status !== 'resolved') return 'reopened';
  return status === 'triggered' ? 'opened' : status;
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
