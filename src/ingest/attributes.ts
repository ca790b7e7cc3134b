// OTLP attribute values flattened into Vigil's string maps: scalars as text, arrays and key-value
// lists as JSON, bytes as base64. Plus the limit checks: per item (count, key and value length:
// the item is rejected) and per resource (copied into every row: trimmed, with a warning).
import type { Attributes } from '../model/index.js';
import type { IngestLimits } from './limits.js';
import { truncateText } from './text.js';

/** An AnyValue as a plain JS value (ints beyond 2^53 stay decimal strings). */
export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

export function plainToAttribute(value: PlainValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return '';
  return JSON.stringify(value, nonFinite);
}

function nonFinite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

/** Why an attribute map breaks a limit, or undefined if it is within them. */
export function attributeViolation(attrs: Attributes, limits: IngestLimits, what: string): string | undefined {
  let count = 0;
  for (const key in attrs) {
    count++;
    if (key.length > limits.maxAttributeKeyLength) {
      return `${what} has an attribute key ${key.length} characters long, over the limit ingest.maxAttributeKeyLength=${limits.maxAttributeKeyLength}`;
    }
    if (attrs[key]!.length > limits.maxAttributeValueLength) {
      return `${what} attribute "${key}" is ${attrs[key]!.length} characters long, over the limit ingest.maxAttributeValueLength=${limits.maxAttributeValueLength}`;
    }
  }
  if (count > limits.maxAttributesPerItem) {
    return `${what} has ${count} attributes, over the limit ingest.maxAttributesPerItem=${limits.maxAttributesPerItem}`;
  }
  return undefined;
}

// Kept first when a resource has too many attributes: they name the service the rows belong to.
const IDENTITY_KEYS = ['service.name', 'service.version', 'deployment.environment.name', 'deployment.environment'];

/** A resource's attributes within the resource limits: values and keys cut (at a code point
 * boundary), identity attributes kept first when there are too many; `warn` says what was cut. */
export function trimResourceAttributes(attrs: Attributes, limits: IngestLimits, warn: (reason: string) => void): Attributes {
  const keys = Object.keys(attrs);
  let trimmed = keys.length > limits.maxResourceAttributes;
  const kept = trimmed
    ? [...IDENTITY_KEYS.filter((k) => k in attrs), ...keys.filter((k) => !IDENTITY_KEYS.includes(k))].slice(0, limits.maxResourceAttributes)
    : keys;
  if (trimmed)
    warn(
      `resource has ${keys.length} attributes, over the limit ingest.maxResourceAttributes=${limits.maxResourceAttributes}: the first ${limits.maxResourceAttributes} were kept`,
    );
  let cut = false;
  const out: Attributes = {};
  for (const key of kept) {
    const value = attrs[key]!;
    if (key.length > limits.maxAttributeKeyLength) {
      warn(
        `a resource attribute key is ${key.length} characters long, over the limit ingest.maxAttributeKeyLength=${limits.maxAttributeKeyLength}: it was dropped`,
      );
      trimmed = true;
      continue;
    }
    const short = truncateText(value, limits.maxResourceAttributeValueLength);
    if (short !== value) cut = true;
    Object.defineProperty(out, key, { value: short, enumerable: true, writable: true, configurable: true });
  }
  if (cut) warn(`resource attribute values were cut to ingest.maxResourceAttributeValueLength=${limits.maxResourceAttributeValueLength} characters`);
  return trimmed || cut ? out : attrs;
}

/** A scope name within ingest.maxNameLength (it is copied into every row of the scope). */
export function trimScopeName(name: string, limits: IngestLimits, warn: (reason: string) => void): string {
  if (name.length <= limits.maxNameLength) return name;
  warn(`a scope name is ${name.length} characters long, over the limit ingest.maxNameLength=${limits.maxNameLength}: it was cut`);
  return truncateText(name, limits.maxNameLength);
}

/** Collects rejected items and their distinct reasons (bounded: the sender needs a sample, not
 * all), plus warnings: things cut or dropped without rejecting an item. */
export class RejectionLog {
  count = 0;
  readonly reasons: string[] = [];
  private readonly seen = new Set<string>();

  reject(reason: string, items = 1): void {
    this.count += items;
    this.note(reason);
  }

  warn(reason: string): void {
    this.note(reason);
  }

  private note(reason: string): void {
    if (this.reasons.length < 5 && !this.seen.has(reason)) {
      this.seen.add(reason);
      this.reasons.push(reason);
    }
  }

  toJSON(): { count: number; reasons: string[] } {
    return { count: this.count, reasons: [...this.reasons] };
  }
}
