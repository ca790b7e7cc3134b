// Action items' lifecycle: open ⇄ done, with when it was done, and reassigned or rescheduled on
// the way; overdue is judged against a time the caller passes (the server's clock), never read here.
import { isoTime } from './time-text.js';
import type { ActionItem, ActionItemStatus } from './types.js';

export function setActionItemStatus(item: ActionItem, status: ActionItemStatus, nowMs: number): ActionItem {
  if (item.status === status) return item;
  if (status === 'done') return { ...item, status, doneAtMs: nowMs };
  const reopened: ActionItem = { ...item, status };
  delete reopened.doneAtMs;
  return reopened;
}

/** What people change on an item: its status, what it says, who owns it, by when (null: none). */
export interface ActionItemChange {
  status?: ActionItemStatus;
  title?: string;
  owner?: string | null;
  dueMs?: number | null;
}

export function changeActionItem(item: ActionItem, change: ActionItemChange, nowMs: number): ActionItem {
  const next: ActionItem = { ...(change.status ? setActionItemStatus(item, change.status, nowMs) : item) };
  if (change.title !== undefined) next.title = change.title;
  if (change.owner === null) delete next.owner;
  else if (change.owner !== undefined) next.owner = change.owner;
  if (change.dueMs === null) delete next.dueMs;
  else if (change.dueMs !== undefined) next.dueMs = change.dueMs;
  return next;
}

/** Open past its due date. An item due today is overdue only once the day is over (due is a date). */
export function isOverdue(item: ActionItem, nowMs: number): boolean {
  return item.status === 'open' && item.dueMs !== undefined && nowMs > item.dueMs;
}

export interface ActionItemView {
  id: string;
  incidentId: string;
  title: string;
  status: ActionItemStatus;
  owner?: string;
  due?: string;
  overdue: boolean;
  createdAt: string;
  doneAt?: string;
}

export function actionItemView(item: ActionItem, nowMs: number): ActionItemView {
  return {
    id: item.id,
    incidentId: item.incidentId,
    title: item.title,
    status: item.status,
    ...(item.owner ? { owner: item.owner } : {}),
    ...(item.dueMs !== undefined ? { due: isoTime(item.dueMs) } : {}),
    overdue: isOverdue(item, nowMs),
    createdAt: isoTime(item.createdAtMs),
    ...(item.doneAtMs !== undefined ? { doneAt: isoTime(item.doneAtMs) } : {}),
  };
}
