// The audit log: who (key id and name) did what (action, target, outcome) and when, on the wall
// clock even in event-time mode, since it records people, not telemetry.
import type { StoreClient } from '../client.js';
import { keysetPage, SqlFilter, type Page } from './filters.js';
import { insertRows } from './insert.js';

export interface AuditEntry {
  id: string;
  timeMs: number;
  /** The key that acted ('' when none was valid, 'system' for Vigil itself). */
  keyId: string;
  keyName: string;
  /** A dotted verb: key.create, key.revoke, incident.acknowledged, deployment.record, config.load … */
  action: string;
  /** What it acted on: a key id, an incident id, a service. */
  target: string;
  /** The HTTP status it got (0 for actions outside a request). */
  status: number;
  ip: string;
  /** A small JSON object of what was done (never a key, a body of telemetry, or a secret). */
  details: Record<string, unknown>;
}

export async function insertAuditEntries(store: StoreClient, entries: readonly AuditEntry[]): Promise<void> {
  await insertRows(
    store,
    'audit_log',
    entries.map((e) => ({
      time: e.timeMs,
      id: e.id,
      key_id: e.keyId,
      key_name: e.keyName,
      action: e.action,
      target: e.target,
      status: e.status,
      ip: e.ip,
      details: JSON.stringify(e.details),
    })),
  );
}

export interface AuditQuery {
  fromMs: number;
  toMs: number;
  action?: string;
  keyId?: string;
  target?: string;
  limit: number;
  cursor?: string;
}

interface AuditRowOut {
  t: string | number;
  id: string;
  key_id: string;
  key_name: string;
  action: string;
  target: string;
  status: number;
  ip: string;
  details: string;
}

/** Newest first, paged by a (time, id) cursor so a page never drops entries. */
export async function listAuditEntries(store: StoreClient, q: AuditQuery): Promise<Page<AuditEntry>> {
  const f = new SqlFilter()
    .add('time >= fromUnixTimestamp64Milli(?)', [{ type: 'Int64', value: Math.floor(q.fromMs) }])
    .add('time <= fromUnixTimestamp64Milli(?)', [{ type: 'Int64', value: Math.ceil(q.toMs) }])
    .eq('action', q.action)
    .eq('key_id', q.keyId)
    .eq('target', q.target);
  return keysetPage(store, f, q, {
    key: { sql: '(toUnixTimestamp64Milli(time), id)', parts: ['int', 'text'] },
    select: (where) => `SELECT toUnixTimestamp64Milli(time) AS t, id, key_id, key_name, action, target, status, ip, details
      FROM ${store.database}.audit_log ${where} ORDER BY time DESC, id DESC LIMIT {limit:UInt32}`,
    item: (r: AuditRowOut): AuditEntry => ({
      id: r.id,
      timeMs: Number(r.t),
      keyId: r.key_id,
      keyName: r.key_name,
      action: r.action,
      target: r.target,
      status: Number(r.status),
      ip: r.ip,
      details: parseDetails(r.details),
    }),
    cursorOf: (r) => [Number(r.t), r.id],
  });
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
