// The fast protobuf decoder for ExportTraceServiceRequest: walks the wire format once and builds
// Span records directly (no intermediate message objects, no Long), the ingest hot path.
import type { Span, SpanEvent, SpanLink } from '../model/index.js';
import { nanosPartsToMs } from './nanos.js';
import type { SignalContext } from './signal-items.js';
import { SPANS, spanKindOf, statusCodeOf } from './span-record.js';
import { decodeWireRequest, type WireItemKind } from './wire-resources.js';
import type { WireReader } from './wire.js';
import { tagOf, WIRE_LEN } from './wire.js';
import { readKeyValueInto, type ValueLimits } from './wire-values.js';

const LEN = WIRE_LEN;

const WIRE_SPANS: WireItemKind<Span> = { ...SPANS, read: readSpan };

export function decodeTracesProtobuf(buf: Buffer, ctx: SignalContext<Span>): void {
  decodeWireRequest(buf, WIRE_SPANS, ctx);
}

/** Fills `span` from a Span message, its duration from the exact nanosecond difference. */
function readSpan(r: WireReader, end: number, span: Span, limits: ValueLimits): void {
  let startAt = -1;
  let endAt = -1;
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case tagOf(1, LEN):
        span.traceId = r.hex();
        break;
      case tagOf(2, LEN):
        span.spanId = r.hex();
        break;
      case tagOf(4, LEN):
        span.parentSpanId = r.hex();
        break;
      case tagOf(5, LEN):
        span.name = r.string();
        break;
      case tagOf(6, 0):
        span.kind = spanKindOf(r.uint32());
        break;
      case tagOf(7, 1):
        startAt = r.pos;
        span.startTimeMs = r.nanosMs();
        break;
      case tagOf(8, 1):
        endAt = r.pos;
        r.skip(1);
        break;
      case tagOf(9, LEN):
        readKeyValueInto(r, r.lengthEnd(), span.attributes, limits);
        break;
      case tagOf(11, LEN):
        span.events.push(readEvent(r, r.lengthEnd(), limits));
        break;
      case tagOf(13, LEN):
        span.links.push(readLink(r, r.lengthEnd(), limits));
        break;
      case tagOf(15, LEN):
        readStatus(r, r.lengthEnd(), span);
        break;
      default:
        r.skip(tag & 7);
    }
  }
  if (r.pos !== end) r.truncated();
  span.durationMs = durationMs(r.buf, startAt, endAt);
}

/** end - start of the fixed64 nanosecond times at those offsets (-1: not sent). */
function durationMs(buf: Buffer, startAt: number, endAt: number): number {
  if (endAt < 0) return 0;
  const endLo = buf.readUInt32LE(endAt);
  const endHi = buf.readUInt32LE(endAt + 4);
  if (startAt < 0) return nanosPartsToMs(endLo, endHi);
  return ((endHi - buf.readUInt32LE(startAt + 4)) * 4294967296 + (endLo - buf.readUInt32LE(startAt))) / 1_000_000;
}

function readEvent(r: WireReader, end: number, limits: ValueLimits): SpanEvent {
  const event: SpanEvent = { timeMs: 0, name: '', attributes: {} };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === tagOf(1, 1)) event.timeMs = r.nanosMs();
    else if (tag === tagOf(2, LEN)) event.name = r.string();
    else if (tag === tagOf(3, LEN)) readKeyValueInto(r, r.lengthEnd(), event.attributes, limits);
    else r.skip(tag & 7);
  }
  return event;
}

function readLink(r: WireReader, end: number, limits: ValueLimits): SpanLink {
  const link: SpanLink = { traceId: '', spanId: '', attributes: {} };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === tagOf(1, LEN)) link.traceId = r.hex();
    else if (tag === tagOf(2, LEN)) link.spanId = r.hex();
    else if (tag === tagOf(4, LEN)) readKeyValueInto(r, r.lengthEnd(), link.attributes, limits);
    else r.skip(tag & 7);
  }
  return link;
}

function readStatus(r: WireReader, end: number, span: Span): void {
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === tagOf(2, LEN)) span.statusMessage = r.string();
    else if (tag === tagOf(3, 0)) span.statusCode = statusCodeOf(r.uint32());
    else r.skip(tag & 7);
  }
}
