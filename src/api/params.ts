// Validation of query strings and bodies at the API edge: times in ISO-8601 or epoch ms, limits,
// `attr.<key>=value` filters. Handlers receive plain typed values.
import { z } from 'zod';
import { ApiError } from './errors.js';

/** Times the store can hold and compare: from the epoch to 2200 (ClickHouse DateTime64 ends in 2299). */
export const earliestTimeMs = 0;
export const latestTimeMs = Date.UTC(2200, 0, 1);

export function parseTime(value: unknown, name: string): number {
  const ms = timeValue(value);
  if (ms === undefined)
    throw new ApiError('VIGIL_BAD_REQUEST', `${name} must be an ISO-8601 time or epoch milliseconds, got ${JSON.stringify(value)?.slice(0, 100)}`);
  if (ms < earliestTimeMs || ms >= latestTimeMs)
    throw new ApiError('VIGIL_BAD_REQUEST', `${name} must lie between 1970-01-01 and 2200-01-01, got ${JSON.stringify(value)?.slice(0, 100)}`);
  return ms;
}

function timeValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export const timeSchema = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try {
    return parseTime(v, 'time');
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

/** A query's time range with defaults (the last hour) and sanity checks. */
export function timeRange(query: Record<string, unknown>, nowMs: number, defaultSpanMs = 3_600_000): { fromMs: number; toMs: number } {
  const toMs = query.to !== undefined ? parseTime(query.to, 'to') : nowMs;
  const fromMs = query.from !== undefined ? parseTime(query.from, 'from') : toMs - defaultSpanMs;
  if (fromMs > toMs) throw new ApiError('VIGIL_BAD_REQUEST', `from (${new Date(fromMs).toISOString()}) is after to (${new Date(toMs).toISOString()})`);
  return { fromMs, toMs };
}

export function parseLimit(value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new ApiError('VIGIL_BAD_REQUEST', `limit must be a whole number from 1 to ${max}`);
  return n;
}

/** A number within [min, max] (a duration filter of 10^20 ms is a mistake, not a query). */
export function parseNumber(value: unknown, name: string, min = 0, max = 1e12): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'string' || typeof value === 'number' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new ApiError('VIGIL_BAD_REQUEST', `${name} must be a number`);
  if (n < min || n > max) throw new ApiError('VIGIL_BAD_REQUEST', `${name} must be between ${min} and ${max}`);
  return n;
}

const maxStepMs = 366 * 86_400_000;

/** Step in seconds (as the contract's `step=60`) or with a unit (`30s`, `5m`, `1h`). */
export function parseStepMs(value: unknown, rangeMs: number): number {
  if (value === undefined || value === '') return Math.max(10_000, Math.ceil(rangeMs / 120 / 10_000) * 10_000);
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(scalarText(value));
  if (!m) throw new ApiError('VIGIL_BAD_REQUEST', 'step must be seconds (60) or a duration (30s, 5m, 1h)');
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000;
  const ms = Number(m[1]) * unit;
  if (ms < 1000) throw new ApiError('VIGIL_BAD_REQUEST', 'step must be at least 1 second');
  if (ms > maxStepMs) throw new ApiError('VIGIL_BAD_REQUEST', 'step must be at most 366 days');
  if (rangeMs / ms > 10_000) throw new ApiError('VIGIL_BAD_REQUEST', `step is too small for the range: at most 10,000 points (got ${Math.ceil(rangeMs / ms)})`);
  return ms;
}

export function attributeFilters(query: Record<string, unknown>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    if (k.startsWith('attr.') && typeof v === 'string') out[k.slice(5)] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

export function optionalString(value: unknown, name: string, maxLength = 1000): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new ApiError('VIGIL_BAD_REQUEST', `${name} must be given once, as text`);
  if (value.length > maxLength) throw new ApiError('VIGIL_BAD_REQUEST', `${name} is longer than ${maxLength} characters`);
  return value;
}

/** A trace or span id: `length` hex digits, in any case; answered in lower case, as stored. */
export function hexId(value: string, length: number, name: string): string {
  const id = value.toLowerCase();
  if (!new RegExp(`^[0-9a-f]{${length}}$`).test(id)) throw new ApiError('VIGIL_BAD_REQUEST', `${name} must be ${length} hex characters`);
  return id;
}

export function optionalHexId(value: unknown, length: number, name: string): string | undefined {
  const text = optionalString(value, name);
  return text ? hexId(text, length, name) : undefined;
}

/** Parses a body with a zod schema; a failure is a 400 naming every bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const reasons = r.error.issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`);
  throw new ApiError('VIGIL_BAD_REQUEST', `invalid request body: ${reasons.join('; ')}`, { issues: reasons });
}

const severityNames: Record<string, number> = { trace: 1, debug: 5, info: 9, warn: 13, warning: 13, error: 17, fatal: 21 };

/** Minimum severity by name (error, warn …) or number (1-24). */
export function parseSeverity(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const s = scalarText(value).toLowerCase();
  if (severityNames[s] !== undefined) return severityNames[s];
  const n = Number(s);
  if (Number.isInteger(n) && n >= 1 && n <= 24) return n;
  throw new ApiError('VIGIL_BAD_REQUEST', 'severity must be trace, debug, info, warn, error, fatal or a number 1-24');
}

/** Query values are strings (or numbers from JSON bodies); anything else reads as empty and fails parsing. */
function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}
