// The operator's log of incident life: one info line when an incident opens (or reopens), changes
// severity or resolves, so `journalctl -u vigil` or a terminal shows what Vigil decided without
// querying the API. Notification failures are logged by the outbox (src/notify/outbox.ts).
import type { IncidentUpdate } from '../incidents/index.js';
import type { Logger } from '../logger.js';

const LOGGED: Partial<Record<IncidentUpdate['event'], string>> = {
  opened: 'incident opened',
  reopened: 'incident reopened',
  'severity-changed': 'incident severity changed',
  resolved: 'incident resolved',
};

/** The fields and message of an update's log line, or undefined when the event is not logged. */
export function incidentLogRecord(u: IncidentUpdate): { fields: Record<string, unknown>; msg: string } | undefined {
  const msg = LOGGED[u.event];
  if (!msg) return undefined;
  const i = u.incident;
  const fields: Record<string, unknown> = { incident: i.id, severity: i.severity, status: i.status, services: i.services.join(','), title: i.title };
  if (u.event !== 'resolved') fields.reason = i.severityReason;
  // Who resolved it (an operator, or the automatic all-clear) comes from the timeline entry.
  const actor = u.newTimeline.find((e) => e.actor)?.actor;
  if (actor) fields.actor = actor;
  return { fields, msg };
}

/** Logs the updates that change an incident's life; other events (signals, notes) stay quiet. */
export function logIncidentUpdates(log: Logger, updates: readonly IncidentUpdate[]): void {
  for (const u of updates) {
    const record = incidentLogRecord(u);
    if (record) log.info(record.fields, record.msg);
  }
}
