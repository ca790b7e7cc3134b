// OTLP attribute values flattened into Vigil's string maps: scalars as text, arrays and key-value
// lists as JSON, bytes as base64. Plus the per-item limit checks (count and value length).
import type { Attributes } from '../model/index.js';
import type { IngestLimits } from './limits.js';

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
    if (attrs[key]!.length > limits.maxAttributeValueLength) {
      return `${what} attribute "${key}" is ${attrs[key]!.length} characters long, over the limit ingest.maxAttributeValueLength=${limits.maxAttributeValueLength}`;
    }
  }
  if (count > limits.maxAttributesPerItem) {
    return `${what} has ${count} attributes, over the limit ingest.maxAttributesPerItem=${limits.maxAttributesPerItem}`;
  }
  return undefined;
}

/** Collects rejected items and their distinct reasons (bounded: the sender needs a sample, not all). */
export class RejectionLog {
  count = 0;
  readonly reasons: string[] = [];
  private readonly seen = new Set<string>();

  reject(reason: string, items = 1): void {
    this.count += items;
    if (this.reasons.length < 5 && !this.seen.has(reason)) {
      this.seen.add(reason);
      this.reasons.push(reason);
    }
  }

  toJSON(): { count: number; reasons: string[] } {
    return { count: this.count, reasons: [...this.reasons] };
  }
}
