// The notification channel port: one implementation per channel type (channels/*.ts), listed in
// channels/registry.ts. The outbox only knows this interface, so a new type never touches it.
import type { z } from 'zod';
import type { IncidentMessage } from './message.js';

/** What one delivery attempt produced. `retryable` decides between backoff and the dead letters. */
export type DeliveryOutcome = { ok: true; status?: number } | { ok: false; retryable: boolean; error: string; status?: number; retryAfterMs?: number };

export interface DeliveryAttempt {
  /** 1 for the first try. */
  attempt: number;
  /** Wall-clock ms when the attempt starts (signatures, timestamps). */
  nowMs: number;
}

export interface NotificationChannel {
  readonly name: string;
  readonly type: string;
  /** Must not throw: every failure is an outcome, and never carries a secret or a tokenised URL. */
  send(message: IncidentMessage, attempt: DeliveryAttempt): Promise<DeliveryOutcome>;
  close?(): Promise<void>;
}

/** Side effects a channel may use, injectable so tests and embedders can replace them. */
export interface ChannelDeps {
  fetch: typeof globalThis.fetch;
  /** Per-request timeout for network calls. */
  timeoutMs: number;
}

/** A channel type: its config schema (validated once at start-up) and how to build one. */
export interface ChannelFactory<Type extends string = string, Schema extends z.ZodType = z.ZodType> {
  readonly type: Type;
  readonly configSchema: Schema;
  create(config: z.infer<Schema>, deps: ChannelDeps): NotificationChannel;
}

/** Keeps the literal `type` and the schema's type, so the registry can build the config union. */
export function defineChannel<const Type extends string, Schema extends z.ZodType>(factory: ChannelFactory<Type, Schema>): ChannelFactory<Type, Schema> {
  return factory;
}
