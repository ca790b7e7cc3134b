// The notifier: the one object the server wires. It turns incident changes into messages
// (numbered per incident, a burst coalesced into one), routes them, feeds the escalation tracker,
// and hands everything to the outbox. Its sequence numbers, bursts and escalations persist.
import { join } from 'node:path';
import type { IncidentSummary, RootCause } from '../model/index.js';
import type { NotificationChannel } from './channel.js';
import type { NotifyConfig } from './config.js';
import { BurstCoalescer, type PendingBurst } from './coalesce.js';
import { createChannels } from './create-channels.js';
import { EscalationTracker, type EscalationDue, type EscalationSnapshot } from './escalation.js';
import { buildIncidentMessage, type ContextHighlights, type NotificationEvent, type IncidentMessage } from './message.js';
import { Outbox, type DeadLetter, type DeliveryEvent, type NotifyLogger } from './outbox.js';
import { routeMessage } from './routing.js';
import { readStateFile, writeStateFile } from './state-file.js';

export interface IncidentChange {
  event: Exclude<NotificationEvent, 'escalated'>;
  incident: IncidentSummary;
  /** Engine time of the change (event time in event-clock mode). */
  atMs: number;
  rootCauses?: readonly RootCause[];
  context?: Partial<ContextHighlights>;
  update?: string;
  actor?: string;
}

export interface NotifierOptions {
  config: NotifyConfig;
  /** `<data>/notify`: holds the outbox journal and the notifier state. */
  directory: string;
  /** Default: built from config.channels through the channel registry. */
  channels?: NotificationChannel[];
  logger?: NotifyLogger;
  /** Wall clock for delivery timing (retries, signatures); escalation uses event time. */
  now?: () => number;
  seed?: number;
  /** Forget resolved incidents this long (event time) after resolution; default 30 days. */
  stateRetentionMs?: number;
}

export interface Notification {
  message: IncidentMessage;
  channels: string[];
}

interface IncidentNotifyState {
  seq: number;
  notified: string[];
  /** The last message, from which escalations are built. */
  last?: IncidentMessage;
  resolvedAtMs?: number;
}

interface NotifierStateFile {
  version: 1;
  incidents: Record<string, IncidentNotifyState>;
  escalation: EscalationSnapshot;
  /** Bursts not yet sent (absent in files from before coalescing). */
  pending?: PendingBurst[];
}

/**
 * Asked for each escalation level as it falls due: the ids of the silences covering the incident at
 * `dueAtMs`, or [] to send it. A level due under a silence is skipped (not sent later); the next
 * level still falls due at its own time, so an expired silence lets escalation resume there.
 */
export type EscalationGate = (incidentId: string, dueAtMs: number) => readonly string[];

/** A timeline line for a delivery: "notified ops via slack (opened)". */
export const describeDelivery = (e: DeliveryEvent): string => `notified ${e.channel} via ${e.channelType} (${e.message.event})`;

export class Notifier {
  readonly outbox: Outbox;
  private tracker: EscalationTracker;
  private coalescer: BurstCoalescer;
  private started = false;
  private incidents = new Map<string, IncidentNotifyState>();
  private readonly statePath: string;
  /** notify and tick run one at a time, so sequence numbers, state file and queue order agree. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: NotifierOptions) {
    const { config } = options;
    this.statePath = join(options.directory, 'notifier-state.json');
    this.tracker = new EscalationTracker(config);
    this.coalescer = new BurstCoalescer(config.coalesceMs);
    this.outbox = new Outbox({
      directory: options.directory,
      channels: options.channels ?? createChannels(config.channels, { timeoutMs: config.timeoutMs }),
      retry: config.retry,
      concurrency: config.concurrency,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    });
  }

  async start(): Promise<void> {
    const saved = await readStateFile<NotifierStateFile>(this.statePath);
    if (saved) {
      this.incidents = new Map(Object.entries(saved.incidents));
      this.tracker = EscalationTracker.restore(this.options.config, saved.escalation);
      this.coalescer = new BurstCoalescer(this.options.config.coalesceMs, saved.pending ?? []);
    }
    await this.outbox.start();
    this.started = true;
  }

  /**
   * Queues the bursts still gathering (their last state), then stops the outbox. Without a started
   * outbox they stay in the state file for the next start.
   */
  async stop(): Promise<void> {
    await this.exclusive(async () => {
      if (!this.started) return;
      const bursts = this.coalescer.takeAll();
      if (bursts.length === 0) return;
      const sent = bursts.map((c) => this.messageFor(c));
      await this.persist(Math.max(...bursts.map((c) => c.atMs)));
      for (const n of sent) await this.outbox.enqueue(n.message, n.channels);
    });
    await this.outbox.stop();
  }

  /**
   * Call on every incident change the engine decides; returns what was queued now. An opening and
   * the updates that follow it within `coalesceMs` (engine time) go out as one message, from the
   * `tick` that reaches the window's end (or the last one before it: see `tick`).
   */
  notify(change: IncidentChange): Promise<Notification[]> {
    return this.exclusive(() => this.notifyNow(change));
  }

  /**
   * Advance to `nowMs` (engine time): queue the bursts whose window passed and every escalation
   * that fell due. Call it at every clock advance, not only when an incident changes. A caller
   * that knows when it ticks next passes `nextTickAtMs`: bursts due before then go now, so none
   * waits longer than its window. `silenced` gates each escalation level at the moment it is due.
   */
  tick(nowMs: number, nextTickAtMs?: number, silenced?: EscalationGate): Promise<Notification[]> {
    return this.exclusive(() => this.tickNow(nowMs, nextTickAtMs, silenced));
  }

  private async notifyNow(change: IncidentChange): Promise<Notification[]> {
    // Escalation counts from the change itself, not from when its burst is sent.
    this.tracker.observe(change.incident, change.atMs);
    const sent = this.coalescer.add(change).map((c) => this.messageFor(c));
    // Persist the sequence number (and the gathering burst) before queueing: a crash in between
    // may lose this message, but can never reuse its key for a different one (which receivers
    // would drop as a duplicate).
    await this.persist(change.atMs);
    for (const n of sent) await this.outbox.enqueue(n.message, n.channels);
    return sent;
  }

  /** Numbers, routes and records one message; the caller persists, then queues it. */
  private messageFor(change: IncidentChange): Notification {
    const state = this.stateOf(change.incident.id);
    state.seq += 1;
    const message = buildIncidentMessage({
      event: change.event,
      seq: state.seq,
      atMs: change.atMs,
      incident: change.incident,
      ...(change.rootCauses ? { rootCauses: change.rootCauses } : {}),
      ...(change.context ? { context: change.context } : {}),
      ...(change.update ? { update: change.update } : {}),
      ...(change.actor ? { actor: change.actor } : {}),
      ...(this.options.config.baseUrl ? { baseUrl: this.options.config.baseUrl } : {}),
    });
    const channels = routeMessage(message, this.options.config, state.notified);
    state.last = message;
    state.notified = [...new Set([...state.notified, ...channels])];
    // A resolved incident cannot escalate: keep only its counters, so the state file stays small.
    if (change.incident.status === 'resolved') {
      state.resolvedAtMs = change.atMs;
      delete state.last;
    } else delete state.resolvedAtMs;
    return { message, channels };
  }

  private async tickNow(nowMs: number, nextTickAtMs = nowMs, silenced?: EscalationGate): Promise<Notification[]> {
    const sent = this.coalescer.due(Math.max(nowMs, nextTickAtMs - 1)).map((c) => this.messageFor(c));
    const due = this.tracker.tick(nowMs);
    for (const d of due) {
      // The tracker counts the level as spent either way: a silence skips it rather than delaying it.
      if (silenced && silenced(d.incidentId, d.dueAtMs).length > 0) continue;
      // An escalation carries the incident's latest state, so its burst goes first.
      const burst = this.coalescer.take(d.incidentId);
      if (burst) sent.push(this.messageFor(burst));
      const state = this.incidents.get(d.incidentId);
      if (!state?.last) continue;
      state.seq += 1;
      const message = escalatedMessage(state.last, d, state.seq, this.options.config.baseUrl);
      state.notified = [...new Set([...state.notified, ...d.channels])];
      sent.push({ message, channels: d.channels });
    }
    if (sent.length > 0 || due.length > 0) await this.persist(nowMs);
    for (const n of sent) await this.outbox.enqueue(n.message, n.channels);
    return sent;
  }

  /** When the next escalation falls due (engine time), for scheduling `tick`. */
  nextEscalationAtMs(): number | undefined {
    return this.tracker.nextDueAtMs();
  }

  /** When `tick` would next queue something: a burst's window or an escalation (engine time). */
  nextDueAtMs(): number | undefined {
    const times = [this.coalescer.nextDueAtMs(), this.tracker.nextDueAtMs()].filter((t): t is number => t !== undefined);
    return times.length ? Math.min(...times) : undefined;
  }

  onDelivered(listener: (e: DeliveryEvent) => void): () => void {
    return this.outbox.onDelivered(listener);
  }

  onDead(listener: (e: DeadLetter) => void): () => void {
    return this.outbox.onDead(listener);
  }

  private exclusive<R>(op: () => Promise<R>): Promise<R> {
    const run = this.chain.then(op);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private stateOf(incidentId: string): IncidentNotifyState {
    let state = this.incidents.get(incidentId);
    if (!state) {
      state = { seq: 0, notified: [] };
      this.incidents.set(incidentId, state);
    }
    return state;
  }

  private async persist(nowMs: number): Promise<void> {
    const retention = this.options.stateRetentionMs ?? 30 * 24 * 3_600_000;
    for (const [id, s] of this.incidents) if (s.resolvedAtMs !== undefined && nowMs - s.resolvedAtMs > retention) this.incidents.delete(id);
    const file: NotifierStateFile = {
      version: 1,
      incidents: Object.fromEntries(this.incidents),
      escalation: this.tracker.snapshot(),
      pending: this.coalescer.snapshot(),
    };
    await writeStateFile(this.statePath, file);
  }
}

function escalatedMessage(last: IncidentMessage, due: EscalationDue, seq: number, baseUrl: string | undefined): IncidentMessage {
  return buildIncidentMessage({
    event: 'escalated',
    seq,
    atMs: due.dueAtMs,
    incident: last.incident,
    rootCauses: last.rootCauses.map((rc) => ({ ...rc, evidence: [] })),
    context: last.context,
    update: `Not acknowledged after ${due.afterMinutes} min: escalated to ${due.channels.join(', ')}`,
    escalation: { level: due.level, afterMinutes: due.afterMinutes, channels: due.channels, policy: due.policy },
    ...(baseUrl ? { baseUrl } : {}),
  });
}
