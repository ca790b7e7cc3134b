// The API's view of incidents: reads come from the store (so they survive restarts and page with
// a cursor), lifecycle actions go through the pipeline (so the engine state and timeline agree).
import type { IncidentAction, IncidentPort } from '../api/index.js';
import { ApiError } from '../api/index.js';
import { getIncidentBody, listIncidentBodies, readTimeline, type StoreClient } from '../store/index.js';
import { iso } from '../api/index.js';

export interface IncidentActions {
  transitionIncident(id: string, to: IncidentAction, actor: string, note?: string): Promise<void>;
  noteIncident(id: string, actor: string, text: string): Promise<void>;
}

const summaryFields = ['id', 'title', 'status', 'severity', 'severityReason', 'services', 'startedAt', 'detectedAt', 'acknowledgedAt', 'mitigatedAt', 'resolvedAt'] as const;

export class IncidentService implements IncidentPort {
  constructor(
    private readonly store: StoreClient,
    private readonly actions: IncidentActions,
  ) {}

  async list(q: { openOnly: boolean; limit: number; cursor?: string }): Promise<{ incidents: Array<Record<string, unknown>>; nextCursor?: string }> {
    let beforeId: number | undefined;
    if (q.cursor) {
      beforeId = Number(Buffer.from(q.cursor, 'base64url').toString('utf8'));
      if (!Number.isInteger(beforeId) || beforeId <= 0) throw new ApiError('VIGIL_BAD_REQUEST', 'the cursor is not one this API returned');
    }
    const bodies = (await listIncidentBodies(this.store, { openOnly: q.openOnly, limit: q.limit + 1, beforeId })) as Array<Record<string, unknown>>;
    const page = bodies.slice(0, q.limit).map((b) => {
      const out: Record<string, unknown> = {};
      for (const f of summaryFields) if (b[f] !== undefined) out[f] = b[f];
      const top = (b.rootCauses as Array<Record<string, unknown>> | undefined)?.[0];
      if (top) out.topRootCause = { service: top.service, kind: top.kind, score: top.score };
      return out;
    });
    const last = page[page.length - 1];
    const nextCursor = bodies.length > q.limit && last ? Buffer.from(String(last.id)).toString('base64url') : undefined;
    return { incidents: page, ...(nextCursor ? { nextCursor } : {}) };
  }

  async get(id: string): Promise<Record<string, unknown> | undefined> {
    const body = (await getIncidentBody(this.store, id)) as Record<string, unknown> | undefined;
    if (!body) return undefined;
    const timeline = await readTimeline(this.store, id);
    return { ...body, timeline: timeline.map((e) => ({ at: iso(e.atMs), kind: e.kind, text: e.text, ...(e.actor ? { actor: e.actor } : {}), ...(e.data ? { data: e.data } : {}) })) };
  }

  async transition(id: string, to: IncidentAction, actor: string, note?: string): Promise<Record<string, unknown>> {
    await this.actions.transitionIncident(id, to, actor, note);
    return this.mustGet(id);
  }

  async note(id: string, actor: string, text: string): Promise<Record<string, unknown>> {
    await this.actions.noteIncident(id, actor, text);
    return this.mustGet(id);
  }

  private async mustGet(id: string): Promise<Record<string, unknown>> {
    const body = await this.get(id);
    if (!body) throw new ApiError('VIGIL_NOT_FOUND', `no incident ${id}`);
    return body;
  }
}
