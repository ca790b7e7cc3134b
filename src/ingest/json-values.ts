// Readers for OTLP/JSON (the protobuf JSON mapping the OTLP spec prescribes): lowerCamelCase keys
// with the proto snake_case names also accepted, hex ids, int64 as strings or numbers, enums as
// ints (names accepted too). Values are untrusted: anything off-shape is an OtlpDecodeError; every
// string is made well-formed (JSON can carry lone surrogates, which the store refuses).
import type { Attributes } from '../model/index.js';
import { plainToAttribute, trimResourceAttributes, trimScopeName, type PlainValue } from './attributes.js';
import { ItemLimitError, OtlpDecodeError } from './errors.js';
import type { IngestLimits } from './limits.js';
import { nanosStringToMs } from './nanos.js';
import { wellFormed } from './text.js';
import { depthError, elementsError, setAttribute, type ValueLimits } from './wire-values.js';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field by its lowerCamelCase name, falling back to the proto field name. */
export function field(obj: JsonObject, camel: string, snake?: string): unknown {
  const v = obj[camel];
  return v !== undefined || snake === undefined ? v : obj[snake];
}

export function objectField(obj: JsonObject, camel: string, snake: string | undefined, where: string): JsonObject | undefined {
  const v = field(obj, camel, snake);
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new OtlpDecodeError(`${where}.${camel} must be an object`);
  return v;
}

export function arrayField(obj: JsonObject, camel: string, snake: string | undefined, where: string): unknown[] {
  const v = field(obj, camel, snake);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpDecodeError(`${where}.${camel} must be an array`);
  return v;
}

export function objectsOf(items: unknown[], where: string): JsonObject[] {
  for (const item of items) if (!isObject(item)) throw new OtlpDecodeError(`${where} must hold objects`);
  return items as JsonObject[];
}

export function stringField(obj: JsonObject, camel: string, snake: string | undefined, where: string): string {
  const v = field(obj, camel, snake);
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new OtlpDecodeError(`${where}.${camel} must be a string`);
  return wellFormed(v);
}

/** A number field (int32/uint32/double); doubles may be "NaN"/"Infinity"/"-Infinity" strings. */
export function numberField(obj: JsonObject, camel: string, snake: string | undefined, where: string): number | undefined {
  const v = field(obj, camel, snake);
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (Number.isNaN(n) && v !== 'NaN') throw new OtlpDecodeError(`${where}.${camel} must be a number`);
  return n;
}

/** An enum field: an int, or the enum value's name (mapped through `names`). */
export function enumField(obj: JsonObject, camel: string, snake: string | undefined, names: readonly string[], where: string): number {
  const v = field(obj, camel, snake);
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') {
    const i = names.indexOf(v);
    if (i >= 0) return i;
  }
  throw new OtlpDecodeError(`${where}.${camel} must be an enum number`);
}

/** fixed64 nanoseconds (decimal string or number) → epoch ms; 0 when absent. */
export function nanosField(obj: JsonObject, camel: string, snake: string | undefined, where: string): number {
  const v = field(obj, camel, snake);
  if (v === undefined || v === null) return 0;
  const ms = typeof v === 'string' ? nanosStringToMs(v) : typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v / 1_000_000 : NaN;
  if (Number.isNaN(ms)) throw new OtlpDecodeError(`${where}.${camel} must be unsigned integer nanoseconds`);
  return ms;
}

/** uint64/int64 counts (decimal string or number) → number. */
export function int64Field(obj: JsonObject, camel: string, snake: string | undefined, where: string): number {
  const v = field(obj, camel, snake);
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw new OtlpDecodeError(`${where}.${camel} must be an integer`);
  return n;
}

/** A trace or span id: hex in OTLP/JSON (any case); returned lowercase, '' when absent. */
export function idField(obj: JsonObject, camel: string, snake: string | undefined, where: string): string {
  const v = field(obj, camel, snake);
  if (v === undefined || v === null || v === '') return '';
  if (typeof v !== 'string' || !/^[0-9a-fA-F]*$/.test(v) || v.length % 2 !== 0) throw new OtlpDecodeError(`${where}.${camel} must be a hex string`);
  return v.toLowerCase();
}

/** An AnyValue → plain value, within the nesting depth (deeper: OtlpDecodeError) and the element
 * count (more: ItemLimitError, the item is rejected). */
export function anyValueToPlain(value: unknown, where: string, limits: ValueLimits, depth = 0, budget = { elements: 0 }): PlainValue {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw new OtlpDecodeError(`${where} must be an AnyValue object`);
  const s = field(value, 'stringValue', 'string_value');
  if (s !== undefined) {
    if (typeof s !== 'string') throw new OtlpDecodeError(`${where}.stringValue must be a string`);
    return wellFormed(s);
  }
  const b = field(value, 'boolValue', 'bool_value');
  if (b !== undefined) {
    if (typeof b !== 'boolean') throw new OtlpDecodeError(`${where}.boolValue must be a boolean`);
    return b;
  }
  const i = field(value, 'intValue', 'int_value');
  if (i !== undefined) {
    if (typeof i === 'number' && Number.isInteger(i)) return i;
    if (typeof i === 'string' && /^-?\d+$/.test(i)) return Number.isSafeInteger(Number(i)) ? Number(i) : i;
    throw new OtlpDecodeError(`${where}.intValue must be an integer`);
  }
  const d = field(value, 'doubleValue', 'double_value');
  if (d !== undefined) {
    const n = typeof d === 'number' ? d : typeof d === 'string' ? Number(d) : NaN;
    if (Number.isNaN(n) && d !== 'NaN') throw new OtlpDecodeError(`${where}.doubleValue must be a number`);
    return n;
  }
  const arr = objectField(value, 'arrayValue', 'array_value', where);
  if (arr) {
    if (depth + 1 > limits.maxAnyValueDepth) throw depthError(limits);
    const items = arrayField(arr, 'values', undefined, where);
    const out: PlainValue[] = [];
    for (let k = 0; k < items.length; k++) {
      if (++budget.elements > limits.maxAnyValueElements) throw elementsError(limits);
      out.push(anyValueToPlain(items[k], `${where}.arrayValue.values[${k}]`, limits, depth + 1, budget));
    }
    return out;
  }
  const kv = objectField(value, 'kvlistValue', 'kvlist_value', where);
  if (kv) {
    if (depth + 1 > limits.maxAnyValueDepth) throw depthError(limits);
    const out: { [key: string]: PlainValue } = {};
    for (const item of objectsOf(arrayField(kv, 'values', undefined, where), `${where}.kvlistValue.values`)) {
      if (++budget.elements > limits.maxAnyValueElements) throw elementsError(limits);
      const key = stringField(item, 'key', undefined, where);
      const v = anyValueToPlain(item.value, `${where}.kvlistValue`, limits, depth + 1, budget);
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
    }
    return out;
  }
  const bytes = field(value, 'bytesValue', 'bytes_value');
  if (bytes !== undefined) {
    if (typeof bytes !== 'string') throw new OtlpDecodeError(`${where}.bytesValue must be a base64 string`);
    return wellFormed(bytes);
  }
  return null;
}

/** A repeated KeyValue field → string attribute map. */
export function attributesField(obj: JsonObject, camel: string, snake: string | undefined, where: string, limits: ValueLimits): Attributes {
  const attrs: Attributes = {};
  const list = arrayField(obj, camel, snake, where);
  for (let k = 0; k < list.length; k++) {
    const kv = list[k];
    if (!isObject(kv)) throw new OtlpDecodeError(`${where}.${camel}[${k}] must be a KeyValue object`);
    const key = stringField(kv, 'key', undefined, `${where}.${camel}[${k}]`);
    setAttribute(attrs, key, plainToAttribute(anyValueToPlain(kv.value, `${where}.${camel}[${k}].value`, limits)));
  }
  return attrs;
}

/** The resource's attributes, trimmed to the resource limits (`warn` says what was cut). */
export function resourceAttributes(obj: JsonObject, where: string, limits: IngestLimits, warn: (reason: string) => void): Attributes {
  const resource = objectField(obj, 'resource', undefined, where);
  if (!resource) return {};
  const attrs: Attributes = {};
  const list = arrayField(resource, 'attributes', undefined, `${where}.resource`);
  for (let k = 0; k < list.length; k++) {
    const kv = list[k];
    const at = `${where}.resource.attributes[${k}]`;
    if (!isObject(kv)) throw new OtlpDecodeError(`${at} must be a KeyValue object`);
    const key = stringField(kv, 'key', undefined, at);
    try {
      setAttribute(attrs, key, plainToAttribute(anyValueToPlain(kv.value, `${at}.value`, limits)));
    } catch (err) {
      if (!(err instanceof ItemLimitError)) throw err;
      warn(`a resource attribute was dropped: ${err.message}`);
    }
  }
  return trimResourceAttributes(attrs, limits, warn);
}

export function scopeName(obj: JsonObject, where: string, limits: IngestLimits, warn: (reason: string) => void): string {
  const scope = objectField(obj, 'scope', undefined, where);
  return scope ? trimScopeName(stringField(scope, 'name', undefined, `${where}.scope`), limits, warn) : '';
}

/** A JSON body (Buffer, string or already parsed) → the request object. */
export function parseJsonRequest(body: unknown): JsonObject {
  let value = body;
  if (Buffer.isBuffer(body) || body instanceof Uint8Array || typeof body === 'string') {
    const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    try {
      value = JSON.parse(text) as unknown;
    } catch (err) {
      throw new OtlpDecodeError(`request body is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (!isObject(value)) throw new OtlpDecodeError('request body must be a JSON object');
  return value;
}
