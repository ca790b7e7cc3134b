// Incidents for the API: reads come from the store (so they survive restarts and page with a
// cursor), lifecycle actions go through the pipeline (so the engine state and timeline agree).
// Typed records out; the API shapes them for HTTP (api/incident-views.ts).
import type { ManualTransition } from '../incidents/index.js';
import type { IncidentDetail, IncidentRecord } from '../model/index.js';
import { getIncidentRecord, InvalidCursorError, listIncidentRecords, readTimeline, type StoreClient } from '../store/index.js';

export interface IncidentActions {
  transitionIncident(id: string, to: ManualTransition, actor: string, note?: string): Promise<void>;
  noteIncident(id: string, actor: string, text: string): Promise<void>;
}

/**
 * Incidents as the services beside the pipeline read and act on them (the API's IncidentPort has
 * the same shape; declared here so pipeline/ depends on no API type).
 */
export interface IncidentSource {
  list(q: { openOnly: boolean; limit: number; cursor?: string }): Promise<{ incidents: IncidentRecord[]; nextCursor?: string }>;
  get(id: string): Promise<IncidentDetail | undefined>;
  transition(id: string, to: ManualTransition, actor: string, note?: string): Promise<void>;
  note(id: string, actor: string, text: string): Promise<void>;
}

export class IncidentService implements IncidentSource {
  constructor(
    private readonly store: StoreClient,
    private readonly actions: IncidentActions,
  ) {}

  async list(q: { openOnly: boolean; limit: number; cursor?: string }): Promise<{ incidents: IncidentRecord[]; nextCursor?: string }> {
    let beforeId: number | undefined;
    if (q.cursor) {
      beforeId = Number(Buffer.from(q.cursor, 'base64url').toString('utf8'));
      if (!Number.isInteger(beforeId) || beforeId <= 0) throw new InvalidCursorError();
    }
    const records = await listIncidentRecords(this.store, { openOnly: q.openOnly, limit: q.limit + 1, beforeId });
    const page = records.slice(0, q.limit);
    const last = page[page.length - 1];
    const nextCursor = records.length > q.limit && last ? Buffer.from(last.id).toString('base64url') : undefined;
    return { incidents: page, ...(nextCursor ? { nextCursor } : {}) };
  }

  async get(id: string): Promise<IncidentDetail | undefined> {
    const record = await getIncidentRecord(this.store, id);
    if (!record) return undefined;
    return { record, timeline: await readTimeline(this.store, id) };
  }

  transition(id: string, to: ManualTransition, actor: string, note?: string): Promise<void> {
    return this.actions.transitionIncident(id, to, actor, note);
  }

  note(id: string, actor: string, text: string): Promise<void> {
    return this.actions.noteIncident(id, actor, text);
  }
}
