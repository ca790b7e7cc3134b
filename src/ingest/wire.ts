// A minimal protobuf wire-format reader for the ingest hot path: the fast decoders walk OTLP
// messages field by field and build Vigil records directly, with no intermediate message objects.
import { OtlpDecodeError } from './errors.js';
import { int64PartsToValue, nanosPartsToMs, uint64PartsToNumber } from './nanos.js';

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

/** A field's tag as it stands on the wire: field number and wire type. */
export const tagOf = (field: number, wireType: number): number => (field << 3) | wireType;

/** Node's native slice methods behind Buffer#toString: calling them directly skips the argument
 * handling of toString, a sixth of the decode time for the short strings OTLP is made of. */
interface NativeSlices {
  utf8Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
}
const proto = Buffer.prototype as unknown as Partial<NativeSlices>;
const nativeSlices = typeof proto.utf8Slice === 'function' && typeof proto.hexSlice === 'function';

// Attribute keys repeat across every span of a request and across requests: a small direct-mapped
// cache (verified byte by byte, so a collision only costs a miss) saves creating them again.
const INTERN_SLOTS = 2048;
const internCache: Array<string | undefined> = new Array<string | undefined>(INTERN_SLOTS).fill(undefined);

/** A protobuf body as a Buffer view (no copy). */
export function asBuffer(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new OtlpDecodeError('protobuf body must be bytes');
}

/** The request's size for the amplification bound (a parsed JSON object: its serialized size). */
export function bodyBytes(body: unknown): number {
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) return body.byteLength;
  if (typeof body === 'string') return Buffer.byteLength(body);
  return Buffer.byteLength(JSON.stringify(body) ?? '');
}

export class WireReader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  truncated(): never {
    throw new OtlpDecodeError(`protobuf body is truncated or malformed at byte ${this.pos}`);
  }

  /** A varint up to 32 bits (tags, lengths, enums, uint32); longer encodings keep the low bits. */
  uint32(): number {
    const buf = this.buf;
    let value = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) this.truncated();
      const b = buf[this.pos++]!;
      if (shift < 28) value |= (b & 0x7f) << shift;
      else if (shift === 28) value |= (b & 0x0f) << 28;
      if (b < 0x80) return value >>> 0;
      shift += 7;
      if (shift > 63) this.truncated();
    }
  }

  /** A varint int64 → number when safe, else its decimal string. */
  int64(): number | string {
    const buf = this.buf;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) this.truncated();
      const b = buf[this.pos++]!;
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else if (shift < 64) hi |= (b & 0x7f) << (shift - 32);
      if (b < 0x80) return int64PartsToValue(lo >>> 0, hi >>> 0);
      shift += 7;
      if (shift > 63) this.truncated();
    }
  }

  /** sint32 (zigzag). */
  sint32(): number {
    const n = this.uint32();
    return (n >>> 1) ^ -(n & 1);
  }

  private need(n: number): number {
    const at = this.pos;
    if (at + n > this.end) this.truncated();
    this.pos = at + n;
    return at;
  }

  fixed32(): number {
    return this.buf.readUInt32LE(this.need(4));
  }

  /** fixed64 nanoseconds → float epoch ms. */
  nanosMs(): number {
    const at = this.need(8);
    return nanosPartsToMs(this.buf.readUInt32LE(at), this.buf.readUInt32LE(at + 4));
  }

  fixed64(): number {
    const at = this.need(8);
    return uint64PartsToNumber(this.buf.readUInt32LE(at), this.buf.readUInt32LE(at + 4));
  }

  sfixed64(): number {
    const at = this.need(8);
    return this.buf.readInt32LE(at + 4) * 4294967296 + this.buf.readUInt32LE(at);
  }

  double(): number {
    return this.buf.readDoubleLE(this.need(8));
  }

  /** Reads a length prefix and returns the end offset of the embedded bytes. */
  lengthEnd(): number {
    const len = this.uint32();
    const end = this.pos + len;
    if (end > this.end) this.truncated();
    return end;
  }

  /** Steps over a length-delimited field; returns where its bytes start (they end at `pos`). */
  private delimited(): number {
    const end = this.lengthEnd();
    const start = this.pos;
    this.pos = end;
    return start;
  }

  string(): string {
    const start = this.delimited();
    return start === this.pos ? '' : this.sliceUtf8(start, this.pos);
  }

  /** A string that repeats across items (attribute keys): short ASCII ones come from a cache. */
  internedString(): string {
    const start = this.delimited();
    const end = this.pos;
    const len = end - start;
    if (len === 0) return '';
    const buf = this.buf;
    if (len > 64) return this.sliceUtf8(start, end);
    const slot = (Math.imul(len ^ (buf[start]! << 8) ^ (buf[end - 1]! << 16) ^ (buf[start + (len >> 1)]! << 24), 0x9e3779b1) >>> 21) & (INTERN_SLOTS - 1);
    const cached = internCache[slot];
    if (cached !== undefined && cached.length === len) {
      let same = true;
      for (let i = 0; i < len; i++) {
        if (cached.charCodeAt(i) !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return cached;
    }
    const text = this.sliceUtf8(start, end);
    if (text.length === len) internCache[slot] = text; // ASCII only: char codes equal bytes
    return text;
  }

  private sliceUtf8(start: number, end: number): string {
    return nativeSlices ? (this.buf as unknown as NativeSlices).utf8Slice(start, end) : this.buf.toString('utf8', start, end);
  }

  hex(): string {
    const start = this.delimited();
    if (start === this.pos) return '';
    return nativeSlices ? (this.buf as unknown as NativeSlices).hexSlice(start, this.pos) : this.buf.toString('hex', start, this.pos);
  }

  base64(): string {
    const start = this.delimited();
    return this.buf.toString('base64', start, this.pos);
  }

  bool(): boolean {
    return this.uint32() !== 0;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.uint32();
        return;
      case WIRE_I64:
        this.need(8);
        return;
      case WIRE_LEN:
        this.pos = this.lengthEnd();
        return;
      case WIRE_I32:
        this.need(4);
        return;
      default:
        throw new OtlpDecodeError(`protobuf body has an unsupported wire type ${wireType} at byte ${this.pos}`);
    }
  }

  /** Packed or unpacked repeated fixed64/double: calls `each` per element. */
  repeatedI64(wireType: number, read: () => number, out: number[]): void {
    if (wireType === WIRE_LEN) {
      const end = this.lengthEnd();
      while (this.pos < end) out.push(read());
      if (this.pos !== end) this.truncated();
    } else out.push(read());
  }
}
