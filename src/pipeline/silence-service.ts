// Silences as the API manages them: created and expired through /api/v1/silences, stored as
// versions (they survive a restart, an expired one stays listed for the record), and consulted
// by incident persistence before each notification. Times are the engine's clock.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { ChangeRefused } from './refused.js';
import {
  maxSilenceMs,
  silenceEndMs,
  silencesCovering,
  silenceState,
  type Silence,
  type SilenceableIncident,
  type SilenceRequest,
  type SilenceState,
} from '../silences/index.js';
import { loadVersioned, saveVersioned, type StoreClient } from '../store/index.js';

/** Expired silences stay listed this long (engine time) after they end, then only the store keeps them. */
const listExpiredForMs = 7 * 86_400_000;

export class SilenceService {
  private version = Date.now() * 1000;
  /** One change at a time: the in-memory list and the stored versions must agree. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly store: StoreClient,
    private readonly silences: Map<string, Silence>,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {}

  static async open(store: StoreClient, now: () => number, log: Logger): Promise<SilenceService> {
    const stored = await loadVersioned<Silence>(store, 'silences');
    const service = new SilenceService(store, new Map(stored.map((r) => [r.id, r.body])), now, log);
    service.version = Math.max(service.version, ...stored.map((r) => r.version + 1));
    return service;
  }

  list(): Array<Silence & { state: SilenceState }> {
    const nowMs = this.now();
    return [...this.silences.values()]
      .filter((s) => silenceEndMs(s) > nowMs - listExpiredForMs)
      .sort((a, b) => b.createdAtMs - a.createdAtMs)
      .map((s) => ({ ...s, state: silenceState(s, nowMs) }));
  }

  get(id: string): (Silence & { state: SilenceState }) | undefined {
    const s = this.silences.get(id);
    return s ? { ...s, state: silenceState(s, this.now()) } : undefined;
  }

  /** The active silences that cover the incident now ([] = notify). */
  covering(incident: SilenceableIncident, nowMs: number): Silence[] {
    return silencesCovering(incident, [...this.silences.values()], nowMs);
  }

  create(input: SilenceRequest, actor: string): Promise<Silence & { state: SilenceState }> {
    return this.serially(async () => {
      const nowMs = this.now();
      const startsAtMs = input.startsAtMs ?? nowMs;
      const endsAtMs = input.endsAtMs ?? startsAtMs + (input.durationMs ?? 0);
      if (endsAtMs <= startsAtMs) throw new ChangeRefused('VIGIL_BAD_REQUEST', 'endsAt must be after startsAt');
      if (endsAtMs <= nowMs)
        throw new ChangeRefused(
          'VIGIL_BAD_REQUEST',
          `endsAt (${new Date(endsAtMs).toISOString()}) has already passed on the engine clock (${new Date(nowMs).toISOString()})`,
        );
      if (endsAtMs - startsAtMs > maxSilenceMs)
        throw new ChangeRefused('VIGIL_BAD_REQUEST', 'a silence lasts at most 90 days; change the configuration for longer');
      const silence: Silence = {
        id: randomUUID(),
        ...(input.service ? { service: input.service } : {}),
        ...(input.kind ? { kind: input.kind } : {}),
        startsAtMs,
        endsAtMs,
        comment: input.comment,
        createdBy: input.createdBy ?? actor,
        createdAtMs: nowMs,
      };
      await saveVersioned(this.store, 'silences', [{ id: silence.id, version: this.nextVersion(), body: silence }]);
      this.silences.set(silence.id, silence);
      this.log.info({ silence: silence.id, service: silence.service ?? null, kind: silence.kind ?? null }, 'silence created');
      return { ...silence, state: silenceState(silence, nowMs) };
    });
  }

  /** Ends a silence now (Alertmanager's "expire"): it stays on record, it no longer applies. */
  expire(id: string): Promise<Silence & { state: SilenceState }> {
    return this.serially(async () => {
      const s = this.silences.get(id);
      if (!s) throw new ChangeRefused('VIGIL_NOT_FOUND', `no silence ${id}`);
      const nowMs = this.now();
      if (silenceState(s, nowMs) === 'expired') return { ...s, state: 'expired' as const };
      const expired: Silence = { ...s, expiredAtMs: nowMs };
      await saveVersioned(this.store, 'silences', [{ id, version: this.nextVersion(), body: expired }]);
      this.silences.set(id, expired);
      return { ...expired, state: 'expired' as const };
    });
  }

  private nextVersion(): number {
    this.version = Math.max(Date.now() * 1000, this.version + 1);
    return this.version;
  }

  private serially<T>(change: () => Promise<T>): Promise<T> {
    const run = this.queue.then(change, change);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
