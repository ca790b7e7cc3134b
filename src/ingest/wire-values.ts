// Fast-path readers for the OTLP common messages (AnyValue, KeyValue, InstrumentationScope,
// Resource) straight from protobuf bytes into plain values and string attribute maps, within the
// nesting and element limits (depth: malformed request; elements: the item is rejected).
import type { Attributes } from '../model/index.js';
import { plainToAttribute, trimResourceAttributes, type PlainValue } from './attributes.js';
import { ItemLimitError, OtlpDecodeError } from './errors.js';
import type { IngestLimits } from './limits.js';
import { WIRE_I64, WIRE_LEN, WIRE_VARINT, type WireReader } from './wire.js';

export type ValueLimits = Pick<IngestLimits, 'maxAnyValueDepth' | 'maxAnyValueElements'>;

/** Elements read so far in one top-level value (shared by its nested readers). */
interface ValueBudget {
  elements: number;
}

export function depthError(limits: ValueLimits): OtlpDecodeError {
  return new OtlpDecodeError(`an AnyValue is nested deeper than ingest.maxAnyValueDepth=${limits.maxAnyValueDepth} levels of arrays and key-value lists`);
}

export function elementsError(limits: ValueLimits): ItemLimitError {
  return new ItemLimitError(`an attribute value or log body has more than ingest.maxAnyValueElements=${limits.maxAnyValueElements} nested elements`);
}

/** Reads an AnyValue message (the reader is positioned at its bytes, ending at `end`). */
export function readAnyValue(r: WireReader, end: number, limits: ValueLimits, depth = 0, budget: ValueBudget = { elements: 0 }): PlainValue {
  let value: PlainValue = null;
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1 && wt === WIRE_LEN) value = r.string();
    else if (field === 2 && wt === WIRE_VARINT) value = r.bool();
    else if (field === 3 && wt === WIRE_VARINT) value = r.int64();
    else if (field === 4 && wt === WIRE_I64) value = r.double();
    else if (field === 5 && wt === WIRE_LEN) value = readValueList(r, r.lengthEnd(), limits, depth + 1, budget);
    else if (field === 6 && wt === WIRE_LEN) value = readKeyValueList(r, r.lengthEnd(), limits, depth + 1, budget);
    else if (field === 7 && wt === WIRE_LEN) value = r.base64();
    else r.skip(wt);
  }
  if (r.pos !== end) r.truncated();
  return value;
}

function countElement(limits: ValueLimits, budget: ValueBudget): void {
  if (++budget.elements > limits.maxAnyValueElements) throw elementsError(limits);
}

function readValueList(r: WireReader, end: number, limits: ValueLimits, depth: number, budget: ValueBudget): PlainValue[] {
  if (depth > limits.maxAnyValueDepth) throw depthError(limits);
  const out: PlainValue[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WIRE_LEN)) {
      countElement(limits, budget);
      out.push(readAnyValue(r, r.lengthEnd(), limits, depth, budget));
    } else r.skip(tag & 7);
  }
  return out;
}

function readKeyValueList(r: WireReader, end: number, limits: ValueLimits, depth: number, budget: ValueBudget): { [key: string]: PlainValue } {
  if (depth > limits.maxAnyValueDepth) throw depthError(limits);
  const out: { [key: string]: PlainValue } = {};
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WIRE_LEN)) {
      countElement(limits, budget);
      const kvEnd = r.lengthEnd();
      let key = '';
      let value: PlainValue = null;
      while (r.pos < kvEnd) {
        const t = r.uint32();
        if (t === ((1 << 3) | WIRE_LEN)) key = r.string();
        else if (t === ((2 << 3) | WIRE_LEN)) value = readAnyValue(r, r.lengthEnd(), limits, depth, budget);
        else r.skip(t & 7);
      }
      // A "__proto__" key would set the object's prototype instead of a property (and vanish).
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    } else r.skip(tag & 7);
  }
  return out;
}

/** Reads one KeyValue message into `attrs` (the reader is at its bytes, ending at `end`). */
export function readKeyValueInto(r: WireReader, end: number, attrs: Attributes, limits: ValueLimits): void {
  let key = '';
  let value = '';
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WIRE_LEN)) key = r.internedString();
    else if (tag === ((2 << 3) | WIRE_LEN)) {
      const vEnd = r.lengthEnd();
      // Strings are nearly all attribute values: read them without building a PlainValue.
      if (vEnd > r.pos && r.buf[r.pos] === ((1 << 3) | WIRE_LEN)) {
        r.pos++;
        value = r.string();
        if (r.pos !== vEnd) value = plainToAttribute(readAnyValue(r, vEnd, limits)) || value;
      } else value = plainToAttribute(readAnyValue(r, vEnd, limits));
    } else r.skip(tag & 7);
  }
  setAttribute(attrs, key, value);
}

/** attrs[key] = value, also for the key "__proto__" (a plain assignment would drop it). */
export function setAttribute(attrs: Attributes, key: string, value: string): void {
  if (key === '__proto__') Object.defineProperty(attrs, key, { value, enumerable: true, writable: true, configurable: true });
  else attrs[key] = value;
}

/** InstrumentationScope → its name (version and attributes are not kept on records). */
export function readScopeName(r: WireReader, end: number): string {
  let name = '';
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WIRE_LEN)) name = r.string();
    else r.skip(tag & 7);
  }
  return name;
}

/** Resource → its attributes within the resource limits (an attribute breaking the element limit
 * is dropped, not the request's items: `warn` says what was cut or dropped). */
export function readResource(r: WireReader, end: number, limits: IngestLimits, warn: (reason: string) => void): Attributes {
  const attrs: Attributes = {};
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WIRE_LEN)) {
      const kvEnd = r.lengthEnd();
      try {
        readKeyValueInto(r, kvEnd, attrs, limits);
      } catch (err) {
        if (!(err instanceof ItemLimitError)) throw err;
        r.pos = kvEnd;
        warn(`a resource attribute was dropped: ${err.message}`);
      }
    } else r.skip(tag & 7);
  }
  return trimResourceAttributes(attrs, limits, warn);
}
