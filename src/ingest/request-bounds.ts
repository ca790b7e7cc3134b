// Checks over a whole decoded request: item times the store can hold and that are not absurd next
// to the request's other items, and the amplification bound (resource attributes and scope names
// are copied into every row, so a small request must not become a huge write-ahead log).
import type { Attributes } from '../model/index.js';
import type { RejectionLog } from './attributes.js';
import type { IngestLimits } from './limits.js';

/** Before this no real telemetry exists; 0 (unset) and tiny values mean a broken clock or field. */
export const MIN_TIME_MS = Date.UTC(1971, 0, 1);
/** The rollups' DateTime columns end in 2106 (DateTime64 in 2299): keep well inside both. */
export const MAX_TIME_MS = Date.UTC(2100, 0, 1);
/** An item this far ahead of its request's median time is a broken clock, not a future event (it
 * would drag the event clock's watermark years ahead); works without a wall clock. */
export const MAX_AHEAD_OF_REQUEST_MS = 366 * 86_400_000;

/** Why an item time cannot be stored, or undefined; `what` names the field for the sender. */
export function timeViolation(ms: number, what: string): string | undefined {
  if (ms === 0) return `${what} is 0 (unset)`;
  if (!(ms >= MIN_TIME_MS)) return `${what} is before 1971-01-01`;
  if (ms >= MAX_TIME_MS) return `${what} is after 2100-01-01`;
  return undefined;
}

/** Drops (and rejects) items more than MAX_AHEAD_OF_REQUEST_MS ahead of the request's median time. */
export function rejectFarAhead<T>(items: T[], timeOf: (item: T) => number, rejections: RejectionLog, noun: string): T[] {
  if (items.length < 2) return items;
  let min = Infinity;
  let max = -Infinity;
  for (const item of items) {
    const t = timeOf(item);
    if (t < min) min = t;
    if (t > max) max = t;
  }
  if (max - min <= MAX_AHEAD_OF_REQUEST_MS) return items;
  const sorted = items.map(timeOf).sort((a, b) => a - b);
  const limit = sorted[(sorted.length - 1) >> 1]! + MAX_AHEAD_OF_REQUEST_MS;
  const kept = items.filter((item) => timeOf(item) <= limit);
  if (kept.length === items.length) return items;
  rejections.reject(`${noun} more than 366 days ahead of the request's median time were rejected (a broken clock)`, items.length - kept.length);
  return kept;
}

export interface CopiedRow {
  resourceAttributes: Attributes;
  scopeName?: string;
  /** The resource's identity, copied into columns of its own beside the attribute map. */
  service: string;
  serviceVersion: string;
  environment: string;
}

/** Copies a small request may make whatever its size; larger ones get maxAmplification × size,
 * up to a cap per request. */
const MIN_COPY_BUDGET = 256 * 1024;
const MAX_COPY_BUDGET = 64 * 1024 * 1024;
const IDENTITY_KEYS = ['service.name', 'service.version', 'deployment.environment.name', 'deployment.environment'];

/** What the copies cost in the log: rows are JSON, so escapes and UTF-8 count (once per object). */
class CopySizes {
  private readonly resources = new Map<Attributes, number>();
  private readonly scopes = new Map<string, number>();

  of(row: CopiedRow): number {
    let size = this.resources.get(row.resourceAttributes);
    if (size === undefined) {
      size = Buffer.byteLength(JSON.stringify([row.resourceAttributes, row.service, row.serviceVersion, row.environment]));
      this.resources.set(row.resourceAttributes, size);
    }
    const scope = row.scopeName ?? '';
    let scopeSize = this.scopes.get(scope);
    if (scopeSize === undefined) this.scopes.set(scope, (scopeSize = Buffer.byteLength(JSON.stringify(scope))));
    return size + scopeSize;
  }

  resourceMaps(): IterableIterator<Attributes> {
    return this.resources.keys();
  }
}

function copiedBytes(rows: readonly CopiedRow[], sizes: CopySizes): number {
  let total = 0;
  for (const row of rows) total += sizes.of(row);
  return total;
}

/** The budget for bytes copied into rows, for a request body of `bodyBytes`. */
export function copyBudget(bodyBytes: number, limits: IngestLimits): number {
  return Math.min(MAX_COPY_BUDGET, Math.max(MIN_COPY_BUDGET, limits.maxAmplification * bodyBytes));
}

/** Keeps the bytes copied into rows within the request's budget: first the rows keep only their
 * resource's identity attributes, then rows past the budget are rejected; both named to the sender. */
export function boundAmplification<T extends CopiedRow>(rows: T[], bodyBytes: number, limits: IngestLimits, rejections: RejectionLog, noun: string): T[] {
  const budget = copyBudget(bodyBytes, limits);
  let sizes = new CopySizes();
  const total = copiedBytes(rows, sizes);
  if (total <= budget) return rows;
  const because = `copying resource attributes into ${rows.length} ${noun} would write ${total} bytes, over ingest.maxAmplification=${limits.maxAmplification} × the ${bodyBytes}-byte request`;
  const reduced = new Map<Attributes, Attributes>();
  for (const attrs of sizes.resourceMaps()) {
    const identity: Attributes = {};
    for (const key of IDENTITY_KEYS) if (key in attrs) identity[key] = attrs[key]!;
    reduced.set(attrs, identity);
  }
  for (const row of rows) row.resourceAttributes = reduced.get(row.resourceAttributes)!;
  rejections.warn(`${because}: only the resource's service and environment attributes were kept`);
  sizes = new CopySizes();
  let used = 0;
  let n = 0;
  for (; n < rows.length; n++) {
    used += sizes.of(rows[n]!);
    if (used > budget) break;
  }
  if (n === rows.length) return rows;
  rejections.reject(`${because}: send fewer ${noun} per resource or shorter resource attributes`, rows.length - n);
  return rows.slice(0, n);
}
