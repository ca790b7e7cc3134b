// Fast-path readers for the OTLP common messages (AnyValue, KeyValue, InstrumentationScope,
// Resource) straight from protobuf bytes into plain values and string attribute maps.
import type { Attributes } from '../model/index.js';
import { plainToAttribute, type PlainValue } from './attributes.js';
import { WIRE_I64, WIRE_LEN, WIRE_VARINT, type WireReader } from './wire.js';

/** Reads an AnyValue message (the reader is positioned at its bytes, ending at `end`). */
export function readAnyValue(r: WireReader, end: number): PlainValue {
  let value: PlainValue = null;
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1 && wt === WIRE_LEN) value = r.string();
    else if (field === 2 && wt === WIRE_VARINT) value = r.bool();
    else if (field === 3 && wt === WIRE_VARINT) value = r.int64();
    else if (field === 4 && wt === WIRE_I64) value = r.double();
    else if (field === 5 && wt === WIRE_LEN) value = readValueList(r, r.lengthEnd());
    else if (field === 6 && wt === WIRE_LEN) value = readKeyValueList(r, r.lengthEnd());
    else if (field === 7 && wt === WIRE_LEN) value = r.base64();
    else r.skip(wt);
  }
  if (r.pos !== end) r.truncated();
  return value;
}

function readValueList(r: WireReader, end: number): PlainValue[] {
  const out: PlainValue[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WIRE_LEN)) out.push(readAnyValue(r, r.lengthEnd()));
    else r.skip(tag & 7);
  }
  return out;
}

function readKeyValueList(r: WireReader, end: number): { [key: string]: PlainValue } {
  const out: { [key: string]: PlainValue } = {};
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WIRE_LEN)) {
      const kvEnd = r.lengthEnd();
      let key = '';
      let value: PlainValue = null;
      while (r.pos < kvEnd) {
        const t = r.uint32();
        if (t === ((1 << 3) | WIRE_LEN)) key = r.string();
        else if (t === ((2 << 3) | WIRE_LEN)) value = readAnyValue(r, r.lengthEnd());
        else r.skip(t & 7);
      }
      out[key] = value;
    } else r.skip(tag & 7);
  }
  return out;
}

/** Reads one KeyValue message into `attrs` (the reader is at its bytes, ending at `end`). */
export function readKeyValueInto(r: WireReader, end: number, attrs: Attributes): void {
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
        if (r.pos !== vEnd) value = plainToAttribute(readAnyValue(r, vEnd)) || value;
      } else value = plainToAttribute(readAnyValue(r, vEnd));
    } else r.skip(tag & 7);
  }
  attrs[key] = value;
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

/** Resource → its attributes. */
export function readResource(r: WireReader, end: number): Attributes {
  const attrs: Attributes = {};
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WIRE_LEN)) readKeyValueInto(r, r.lengthEnd(), attrs);
    else r.skip(tag & 7);
  }
  return attrs;
}
