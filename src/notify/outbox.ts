// The persistent outbox: every (message, channel) delivery is journaled before it is attempted,
// retried with backoff until delivered or dead, and resumed after a restart (at-least-once; the
// idempotency key lets receivers drop duplicates). Each channel has its own queue, so a dead or
// slow channel never delays the others.
import { join } from 'node:path';
import type { DeliveryOutcome, NotificationChannel } from './channel.js';
import type { RetryPolicy } from './config.js';
import { backoffDelayMs, seededRandom } from './backoff.js';
import { NotifyError } from './errors.js';
import { Journal } from './journal.js';
import type { IncidentMessage } from './message.js';
import { foldOutboxRecords, type OutboxRecord, type StoredDelivery } from './outbox-state.js';

/** pino-compatible subset; messages never carry secrets or webhook URLs. */
export interface NotifyLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface OutboxOptions {
  /** Directory for the journal (e.g. `<data>/notify`); created if missing. */
  directory: string;
  /** The outbox owns these: it closes them on stop(). */
  channels: readonly NotificationChannel[];
  retry: RetryPolicy;
  /** Parallel deliveries per channel (default 1: a channel's messages go out in order). */
  concurrency?: number;
  /** Wall clock, injectable for tests. */
  now?: () => number;
  /** Jitter source in [0,1); defaults to a PRNG seeded with `seed`. */
  random?: () => number;
  seed?: number;
  logger?: NotifyLogger;
  /** Delivered ids remembered across compaction, so a re-enqueued message is not sent twice. */
  deliveredRetention?: number;
  deadRetention?: number;
  /** Compact the journal after this many appended records (default 10,000) so it stays small. */
  compactEvery?: number;
}

export interface DeliveryEvent {
  deliveryId: string;
  channel: string;
  channelType: string;
  message: IncidentMessage;
  attempts: number;
  atMs: number;
}

export interface DeadLetter extends DeliveryEvent {
  error: string;
}

export interface ChannelStats {
  type: string;
  pending: number;
  delivered: number;
  dead: number;
  lastError?: string;
}

interface QueuedDelivery extends StoredDelivery {
  inFlight: boolean;
}

interface ChannelQueue {
  channel: NotificationChannel;
  items: Map<string, QueuedDelivery>;
  inFlight: number;
  timer: NodeJS.Timeout | undefined;
  /** Set by a retryable failure: nothing is sent on this channel before then. */
  pausedUntilMs: number;
  stats: ChannelStats;
}

type Listener<E> = (event: E) => void;

const maxTimerMs = 2 ** 31 - 1;
const silentLogger: NotifyLogger = { info: () => {}, warn: () => {}, error: () => {} };

export const deliveryId = (message: IncidentMessage, channel: string): string => `${message.idempotencyKey}@${channel}`;

export class Outbox {
  private readonly journal: Journal<OutboxRecord>;
  private readonly queues = new Map<string, ChannelQueue>();
  private readonly known = new Set<string>();
  private delivered = new Map<string, number>();
  private dead = new Map<string, DeadLetter>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly deliveredListeners = new Set<Listener<DeliveryEvent>>();
  private readonly deadListeners = new Set<Listener<DeadLetter>>();
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly log: NotifyLogger;
  private state: 'new' | 'running' | 'stopped' = 'new';
  private appendedSinceCompaction = 0;

  constructor(private readonly options: OutboxOptions) {
    this.journal = new Journal<OutboxRecord>(join(options.directory, 'outbox.jsonl'));
    this.now = options.now ?? Date.now;
    this.random = options.random ?? seededRandom(options.seed ?? 0x5eed);
    this.log = options.logger ?? silentLogger;
    for (const channel of options.channels) {
      if (this.queues.has(channel.name)) throw new NotifyError('VIGIL_NOTIFY_CONFIG_INVALID', `duplicate channel name "${channel.name}"`);
      const stats: ChannelStats = { type: channel.type, pending: 0, delivered: 0, dead: 0 };
      this.queues.set(channel.name, { channel, items: new Map(), inFlight: 0, timer: undefined, pausedUntilMs: 0, stats });
    }
  }

  /** Replays and compacts the journal, then resumes every pending delivery. */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new NotifyError('VIGIL_NOTIFY_OUTBOX_STOPPED', 'an outbox starts once; create a new one');
    const { records, skippedLines } = await this.journal.read();
    if (skippedLines > 0) this.log.warn({ skippedLines }, 'outbox journal had unreadable lines (torn write?); they were skipped');
    const folded = foldOutboxRecords(records, this.foldLimits());
    await this.journal.rewrite(folded.compacted);
    this.delivered = folded.delivered;
    const orphans: StoredDelivery[] = [];
    for (const d of folded.dead) this.dead.set(d.id, { ...this.event(d, d.atMs, d.attempts), error: d.error });
    for (const id of [...this.delivered.keys(), ...this.dead.keys()]) this.known.add(id);
    for (const p of folded.pending) {
      this.known.add(p.id);
      const q = this.queues.get(p.channel);
      if (!q) {
        orphans.push(p);
        continue;
      }
      q.items.set(p.id, { ...p, inFlight: false });
      // Resume a pause that was running when the previous process stopped.
      if (p.attempts > 0) q.pausedUntilMs = Math.max(q.pausedUntilMs, p.nextAtMs);
    }
    this.state = 'running';
    for (const p of orphans) await this.markDead(undefined, p, 'channel is no longer configured');
    for (const q of this.queues.values()) this.pump(q);
    const pending = folded.pending.length - orphans.length;
    if (pending > 0) this.log.info({ pending }, 'outbox resumed pending notifications');
  }

  /** Waits for in-flight attempts (which journal their result), then closes journal and channels. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    const wasRunning = this.state === 'running';
    this.state = 'stopped';
    for (const q of this.queues.values()) clearTimeout(q.timer);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    if (wasRunning) await this.journal.close();
    await Promise.allSettled(this.options.channels.map((c) => (c.close ? c.close() : Promise.resolve())));
  }

  /**
   * Durably queues the message for each channel; resolves with the delivery ids accepted.
   * A message already queued, delivered or dead for a channel is not queued again.
   */
  async enqueue(message: IncidentMessage, channels: readonly string[]): Promise<string[]> {
    if (this.state !== 'running') throw new NotifyError('VIGIL_NOTIFY_OUTBOX_STOPPED', 'enqueue needs a started outbox (call start() first)');
    const unknown = channels.filter((c) => !this.queues.has(c));
    if (unknown.length > 0) throw new NotifyError('VIGIL_NOTIFY_UNKNOWN_CHANNEL', `no channel named ${unknown.join(', ')} in notify.channels`);
    const atMs = this.now();
    const accepted: QueuedDelivery[] = [];
    for (const channel of new Set(channels)) {
      const id = deliveryId(message, channel);
      if (this.known.has(id)) continue;
      this.known.add(id);
      accepted.push({ id, channel, message, enqueuedAtMs: atMs, attempts: 0, nextAtMs: atMs, inFlight: false });
    }
    await Promise.all(accepted.map((d) => this.journal.append({ t: 'enqueued', id: d.id, channel: d.channel, message, atMs, attempts: 0, nextAtMs: atMs })));
    this.countAppends(accepted.length);
    for (const d of accepted) {
      const q = this.queues.get(d.channel);
      if (!q || this.state !== 'running') continue;
      q.items.set(d.id, d);
      this.pump(q);
    }
    return accepted.map((d) => d.id);
  }

  /** Called after each successful delivery (e.g. to write "notified #ops via slack" on the timeline). */
  onDelivered(listener: Listener<DeliveryEvent>): () => void {
    this.deliveredListeners.add(listener);
    return () => this.deliveredListeners.delete(listener);
  }

  /** Called when a delivery gives up (permanent error or attempts exhausted). */
  onDead(listener: Listener<DeadLetter>): () => void {
    this.deadListeners.add(listener);
    return () => this.deadListeners.delete(listener);
  }

  stats(): Record<string, ChannelStats> {
    const out: Record<string, ChannelStats> = {};
    for (const [name, q] of this.queues) out[name] = { ...q.stats, pending: q.items.size };
    return out;
  }

  pendingCount(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.items.size;
    return n;
  }

  deadLetters(): DeadLetter[] {
    return [...this.dead.values()];
  }

  /** Puts a dead letter back in its queue with a fresh attempt budget. */
  async redeliver(id: string): Promise<boolean> {
    const letter = this.dead.get(id);
    const q = letter ? this.queues.get(letter.channel) : undefined;
    if (!letter || !q || this.state !== 'running') return false;
    const atMs = this.now();
    await this.journal.append({ t: 'enqueued', id, channel: letter.channel, message: letter.message, atMs, attempts: 0, nextAtMs: atMs });
    this.dead.delete(id);
    q.items.set(id, { id, channel: letter.channel, message: letter.message, enqueuedAtMs: atMs, attempts: 0, nextAtMs: atMs, inFlight: false });
    this.pump(q);
    return true;
  }

  /**
   * Starts due deliveries in enqueue order. After a retryable failure the whole channel pauses
   * until that delivery's retry time: a receiver that is down gets one probe per backoff instead
   * of one per queued message, and the queue keeps its order when the receiver comes back.
   */
  private pump(q: ChannelQueue): void {
    if (this.state !== 'running') return;
    clearTimeout(q.timer);
    q.timer = undefined;
    const now = this.now();
    let wakeAtMs = q.pausedUntilMs > now ? q.pausedUntilMs : undefined;
    if (wakeAtMs === undefined) {
      // Map order is enqueue order (journal order after a restart), so no sort is needed.
      for (const d of q.items.values()) {
        if (q.inFlight >= (this.options.concurrency ?? 1)) return;
        if (d.inFlight) continue;
        if (d.nextAtMs <= now) this.startAttempt(q, d);
        else wakeAtMs = Math.min(wakeAtMs ?? d.nextAtMs, d.nextAtMs);
      }
    }
    if (wakeAtMs === undefined) return;
    q.timer = setTimeout(() => this.pump(q), Math.min(maxTimerMs, wakeAtMs - now));
    q.timer.unref();
  }

  private startAttempt(q: ChannelQueue, d: QueuedDelivery): void {
    d.inFlight = true;
    q.inFlight += 1;
    const run = this.attempt(q, d)
      .catch((err: unknown) => this.log.error({ channel: q.channel.name, deliveryId: d.id, err: errorName(err) }, 'outbox attempt failed unexpectedly'))
      .finally(() => {
        d.inFlight = false;
        q.inFlight -= 1;
        this.inFlight.delete(run);
        this.pump(q);
      });
    this.inFlight.add(run);
  }

  private async attempt(q: ChannelQueue, d: QueuedDelivery): Promise<void> {
    const attempt = d.attempts + 1;
    let outcome: DeliveryOutcome;
    try {
      outcome = await q.channel.send(d.message, { attempt, nowMs: this.now() });
    } catch (err) {
      outcome = { ok: false, retryable: true, error: errorName(err) };
    }
    const atMs = this.now();
    d.attempts = attempt;
    // The journal write of the result does not hold the channel's slot: the next delivery may
    // start while it syncs (a crash in between costs a duplicate, which receivers drop by key).
    if (outcome.ok) {
      q.pausedUntilMs = 0;
      this.track(this.markDelivered(q, d, atMs));
      return;
    }
    q.stats.lastError = outcome.error;
    const retry = this.options.retry;
    if (!outcome.retryable || attempt >= retry.maxAttempts) {
      this.track(this.markDead(q, d, outcome.error));
      return;
    }
    const backoff = backoffDelayMs(attempt, retry, this.random);
    d.nextAtMs = atMs + Math.min(retry.backoffMaxMs, Math.max(backoff, outcome.retryAfterMs ?? 0));
    q.pausedUntilMs = Math.max(q.pausedUntilMs, d.nextAtMs);
    this.log.warn(
      { channel: q.channel.name, incident: d.message.incident.id, deliveryId: d.id, attempt, error: outcome.error, retryInMs: d.nextAtMs - atMs },
      'notification attempt failed; will retry',
    );
    this.track(this.safeAppend({ t: 'attempted', id: d.id, attempt, atMs, error: outcome.error, nextAtMs: d.nextAtMs }));
  }

  /** Background work stop() must wait for. */
  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async markDelivered(q: ChannelQueue, d: QueuedDelivery, atMs: number): Promise<void> {
    q.items.delete(d.id);
    this.delivered.set(d.id, atMs);
    q.stats.delivered += 1;
    await this.safeAppend({ t: 'delivered', id: d.id, atMs, attempts: d.attempts });
    this.emit(this.deliveredListeners, this.event(d, atMs, d.attempts));
  }

  private async markDead(q: ChannelQueue | undefined, d: StoredDelivery, error: string): Promise<void> {
    const atMs = this.now();
    q?.items.delete(d.id);
    if (q) q.stats.dead += 1;
    const letter: DeadLetter = { ...this.event(d, atMs, d.attempts), error };
    this.dead.set(d.id, letter);
    await this.safeAppend({ t: 'dead', id: d.id, atMs, attempts: d.attempts, error });
    this.log.warn(
      { channel: d.channel, incident: d.message.incident.id, deliveryId: d.id, attempts: d.attempts, error },
      'notification is dead: it will not be retried',
    );
    this.emit(this.deadListeners, letter);
  }

  private event(d: StoredDelivery, atMs: number, attempts: number): DeliveryEvent {
    const channelType = this.queues.get(d.channel)?.channel.type ?? 'unknown';
    return { deliveryId: d.id, channel: d.channel, channelType, message: d.message, attempts, atMs };
  }

  /** A failed journal write costs at most a duplicate after restart, never a lost delivery. */
  private async safeAppend(record: OutboxRecord): Promise<void> {
    try {
      await this.journal.append(record);
      this.countAppends(1);
    } catch (err) {
      this.log.error({ deliveryId: record.id, err: errorName(err) }, 'outbox journal write failed');
    }
  }

  /** Compaction folds what is on disk, not memory, so it never drops a record just written. */
  private countAppends(n: number): void {
    this.appendedSinceCompaction += n;
    if (this.appendedSinceCompaction < (this.options.compactEvery ?? 10_000) || this.state !== 'running') return;
    this.appendedSinceCompaction = 0;
    const limits = this.foldLimits();
    this.journal
      .compact((records) => foldOutboxRecords(records, limits).compacted)
      .catch((err: unknown) => this.log.error({ err: errorName(err) }, 'outbox journal compaction failed'));
  }

  private foldLimits(): { deliveredRetention: number; deadRetention: number } {
    return { deliveredRetention: this.options.deliveredRetention ?? 10_000, deadRetention: this.options.deadRetention ?? 1_000 };
  }

  private emit<E>(listeners: Set<Listener<E>>, event: E): void {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log.error({ err: errorName(err) }, 'outbox listener threw');
      }
    }
  }
}

const errorName = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error');
