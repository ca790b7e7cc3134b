// The audit trail: who did what and when, kept in the store. Entries are stamped here (wall clock,
// a random id) so callers only say who, what and on what.
import { randomUUID } from 'node:crypto';
import { insertAuditEntries, listAuditEntries, type AuditEntry, type AuditQuery, type Page, type StoreClient } from '../store/index.js';

export type { AuditEntry, AuditQuery };
export type AuditRecord = Omit<AuditEntry, 'id' | 'timeMs'>;

/** Vigil itself as the actor (start-up, configuration loads). */
export const systemActor = { keyId: 'system', keyName: 'vigil' } as const;

export class AuditTrail {
  constructor(
    private readonly store: StoreClient,
    private readonly clock: () => number = Date.now,
  ) {}

  async record(entry: AuditRecord): Promise<AuditEntry> {
    const stamped: AuditEntry = { ...entry, id: randomUUID(), timeMs: this.clock() };
    await insertAuditEntries(this.store, [stamped]);
    return stamped;
  }

  list(q: AuditQuery): Promise<Page<AuditEntry>> {
    return listAuditEntries(this.store, q);
  }
}
