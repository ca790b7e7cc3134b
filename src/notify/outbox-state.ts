// The outbox journal's record types and the fold that rebuilds state from them: what is still
// pending (with attempts and next retry time), what was delivered, what is dead. The fold also
// produces the compacted journal written on start, so the file stays small.
import type { IncidentMessage } from './message.js';

export type OutboxRecord =
  | { t: 'enqueued'; id: string; channel: string; message: IncidentMessage; atMs: number; attempts: number; nextAtMs: number }
  | { t: 'attempted'; id: string; attempt: number; atMs: number; error: string; nextAtMs: number }
  | { t: 'delivered'; id: string; atMs: number; attempts: number }
  | { t: 'dead'; id: string; atMs: number; attempts: number; error: string };

export interface StoredDelivery {
  id: string;
  channel: string;
  message: IncidentMessage;
  enqueuedAtMs: number;
  attempts: number;
  nextAtMs: number;
}

export interface StoredDeadLetter extends StoredDelivery {
  atMs: number;
  error: string;
}

export interface FoldedOutbox {
  pending: StoredDelivery[];
  delivered: Map<string, number>;
  dead: StoredDeadLetter[];
  compacted: OutboxRecord[];
}

export interface FoldLimits {
  deliveredRetention: number;
  deadRetention: number;
}

export function foldOutboxRecords(records: readonly OutboxRecord[], limits: FoldLimits): FoldedOutbox {
  const pending = new Map<string, StoredDelivery>();
  const delivered = new Map<string, number>();
  const dead = new Map<string, StoredDeadLetter>();
  const enqueued = new Map<string, StoredDelivery>();
  for (const r of records) {
    switch (r.t) {
      case 'enqueued': {
        const d = { id: r.id, channel: r.channel, message: r.message, enqueuedAtMs: r.atMs, attempts: r.attempts, nextAtMs: r.nextAtMs };
        enqueued.set(r.id, d);
        pending.set(r.id, { ...d });
        dead.delete(r.id);
        delivered.delete(r.id);
        break;
      }
      case 'attempted': {
        const d = pending.get(r.id);
        if (d) {
          d.attempts = r.attempt;
          d.nextAtMs = r.nextAtMs;
        }
        break;
      }
      case 'delivered':
        pending.delete(r.id);
        delivered.set(r.id, r.atMs);
        break;
      case 'dead': {
        const d = pending.get(r.id) ?? enqueued.get(r.id);
        pending.delete(r.id);
        if (d) dead.set(r.id, { ...d, attempts: r.attempts, atMs: r.atMs, error: r.error });
        break;
      }
    }
  }
  const keptDelivered = new Map([...delivered].sort((a, b) => a[1] - b[1]).slice(-limits.deliveredRetention));
  const keptDead = [...dead.values()].sort((a, b) => a.atMs - b.atMs).slice(-limits.deadRetention);
  const compacted: OutboxRecord[] = [
    ...[...keptDelivered].map(([id, atMs]): OutboxRecord => ({ t: 'delivered', id, atMs, attempts: 0 })),
    ...keptDead.flatMap((d): OutboxRecord[] => [
      { t: 'enqueued', id: d.id, channel: d.channel, message: d.message, atMs: d.enqueuedAtMs, attempts: d.attempts, nextAtMs: d.nextAtMs },
      { t: 'dead', id: d.id, atMs: d.atMs, attempts: d.attempts, error: d.error },
    ]),
    ...[...pending.values()].map((d): OutboxRecord => ({
      t: 'enqueued',
      id: d.id,
      channel: d.channel,
      message: d.message,
      atMs: d.enqueuedAtMs,
      attempts: d.attempts,
      nextAtMs: d.nextAtMs,
    })),
  ];
  return { pending: [...pending.values()], delivered: keptDelivered, dead: keptDead, compacted };
}
