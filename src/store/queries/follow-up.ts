// What the team does after an incident: action items (latest version wins), edits to review
// sections (latest per incident and section), and support tickets from customers (tables of
// migration 6). Times are epoch milliseconds in DateTime64(3).
import type { StoreClient } from '../client.js';
import { insertRows } from './insert.js';

export interface StoredActionItem {
  id: string;
  incidentId: string;
  title: string;
  owner: string;
  dueMs: number | null;
  status: 'open' | 'done';
  createdAtMs: number;
  doneAtMs: number | null;
  /** Monotonic per item: a later write replaces an earlier one. */
  version: number;
}

export async function saveActionItem(store: StoreClient, item: StoredActionItem): Promise<void> {
  await insertRows(store, 'action_items', [
    {
      id: item.id,
      incident_id: item.incidentId,
      title: item.title,
      owner: item.owner,
      due: item.dueMs,
      status: item.status,
      created_at: item.createdAtMs,
      done_at: item.doneAtMs,
      version: item.version,
    },
  ]);
}

interface ActionItemRow {
  id: string;
  incident_id: string;
  title: string;
  owner: string;
  due: string | number | null;
  status: string;
  created: string | number;
  done: string | number | null;
  version: string | number;
}

const columns = `id, incident_id, title, owner, toUnixTimestamp64Milli(due) AS due, status, toUnixTimestamp64Milli(created_at) AS created, toUnixTimestamp64Milli(done_at) AS done, version`;

function itemOf(r: ActionItemRow): StoredActionItem {
  return {
    id: r.id,
    incidentId: r.incident_id,
    title: r.title,
    owner: r.owner,
    dueMs: r.due === null ? null : Number(r.due),
    status: r.status === 'done' ? 'done' : 'open',
    createdAtMs: Number(r.created),
    doneAtMs: r.done === null ? null : Number(r.done),
    version: Number(r.version),
  };
}

/** Action items filtered by any of: ids, incident ids, status; oldest first. */
export async function listActionItems(
  store: StoreClient,
  q: { ids?: string[]; incidentIds?: string[]; status?: 'open' | 'done'; limit?: number },
): Promise<StoredActionItem[]> {
  const where: string[] = [];
  if (q.ids) where.push('id IN {ids:Array(String)}');
  if (q.incidentIds) where.push('incident_id IN {incidents:Array(String)}');
  if (q.status) where.push('status = {status:String}');
  const rs = await store.ch.query({
    query: `SELECT ${columns} FROM ${store.database}.action_items FINAL ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at, id LIMIT {limit:UInt32}`,
    query_params: { ids: q.ids ?? [], incidents: q.incidentIds ?? [], status: q.status ?? '', limit: q.limit ?? 100_000 },
    format: 'JSONEachRow',
  });
  return (await rs.json<ActionItemRow>()).map(itemOf);
}

export interface StoredReviewEdit {
  incidentId: string;
  section: string;
  text: string;
  author: string;
  atMs: number;
  version: number;
}

export async function saveReviewEdits(store: StoreClient, edits: readonly StoredReviewEdit[]): Promise<void> {
  await insertRows(
    store,
    'review_edits',
    edits.map((e) => ({ incident_id: e.incidentId, section: e.section, text: e.text, author: e.author, at: e.atMs, version: e.version })),
  );
}

export async function listReviewEdits(store: StoreClient, incidentId: string): Promise<StoredReviewEdit[]> {
  const rs = await store.ch.query({
    query: `SELECT incident_id, section, text, author, toUnixTimestamp64Milli(at) AS at, version FROM ${store.database}.review_edits FINAL WHERE incident_id = {id:String}`,
    query_params: { id: incidentId },
    format: 'JSONEachRow',
  });
  return (await rs.json<{ incident_id: string; section: string; text: string; author: string; at: string | number; version: string | number }>()).map((r) => ({
    incidentId: r.incident_id,
    section: r.section,
    text: r.text,
    author: r.author,
    atMs: Number(r.at),
    version: Number(r.version),
  }));
}

export interface StoredTicket {
  source: string;
  id: string;
  timeMs: number;
  title: string;
  body: string;
  service: string;
  customer: string;
  receivedAtMs: number;
}

export async function saveTickets(store: StoreClient, tickets: readonly StoredTicket[]): Promise<void> {
  await insertRows(
    store,
    'tickets',
    tickets.map((t) => ({
      source: t.source,
      id: t.id,
      time: t.timeMs,
      title: t.title,
      body: t.body,
      service: t.service,
      customer: t.customer,
      received_at: t.receivedAtMs,
    })),
  );
}

/** Tickets reported in [fromMs, toMs], oldest first (a re-sent ticket counts once, its last copy). */
export async function listTickets(store: StoreClient, q: { fromMs: number; toMs: number; limit: number }): Promise<StoredTicket[]> {
  const rs = await store.ch.query({
    query: `SELECT source, id, toUnixTimestamp64Milli(time) AS t, title, body, service, customer, toUnixTimestamp64Milli(received_at) AS r
      FROM ${store.database}.tickets FINAL
      WHERE time >= fromUnixTimestamp64Milli({f:Int64}) AND time <= fromUnixTimestamp64Milli({to:Int64})
      ORDER BY time, source, id LIMIT {l:UInt32}`,
    query_params: { f: Math.floor(q.fromMs), to: Math.ceil(q.toMs), l: q.limit },
    format: 'JSONEachRow',
  });
  return (
    await rs.json<{ source: string; id: string; t: string | number; title: string; body: string; service: string; customer: string; r: string | number }>()
  ).map((r) => ({
    source: r.source,
    id: r.id,
    timeMs: Number(r.t),
    title: r.title,
    body: r.body,
    service: r.service,
    customer: r.customer,
    receivedAtMs: Number(r.r),
  }));
}
