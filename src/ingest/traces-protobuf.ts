// The fast protobuf decoder for ExportTraceServiceRequest: walks the wire format once and builds
// Span records directly (no intermediate message objects, no Long), the ingest hot path.
import type { Attributes, ResourceIdentity, Span, SpanEvent, SpanLink } from '../model/index.js';
import { trimScopeName, type RejectionLog } from './attributes.js';
import { ItemLimitError } from './errors.js';
import type { IngestLimits } from './limits.js';
import { resourceIdentity, type ConventionOptions } from './semconv.js';
import { emptySpan, finishSpan, spanKindOf, statusCodeOf } from './span-record.js';
import { nanosPartsToMs } from './nanos.js';
import { WIRE_LEN, WireReader } from './wire.js';
import { readKeyValueInto, readResource, readScopeName, type ValueLimits } from './wire-values.js';

const LEN = WIRE_LEN;
const tagOf = (field: number, wt: number): number => (field << 3) | wt;

interface TraceContext {
  limits: IngestLimits;
  conventions: ConventionOptions;
  rejections: RejectionLog;
  spans: Span[];
  seen: number;
}

export function decodeTracesProtobuf(buf: Buffer, ctx: TraceContext): void {
  const r = new WireReader(buf);
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === tagOf(1, LEN)) readResourceSpans(r, r.lengthEnd(), ctx);
    else r.skip(tag & 7);
  }
}

function readResourceSpans(r: WireReader, end: number, ctx: TraceContext): void {
  // SDKs write the resource before its scopes; should it come later, the spans already decoded
  // are given their resource afterwards (identity does not affect validation).
  let resourceAttrs: Attributes = {};
  let identity = resourceIdentity(resourceAttrs);
  const first = ctx.spans.length;
  let late = false;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === tagOf(1, LEN)) {
      resourceAttrs = readResource(r, r.lengthEnd(), ctx.limits, (reason) => ctx.rejections.warn(reason));
      identity = resourceIdentity(resourceAttrs);
      late = ctx.spans.length > first;
    } else if (tag === tagOf(2, LEN)) readScopeSpans(r, r.lengthEnd(), identity, resourceAttrs, ctx);
    else r.skip(tag & 7);
  }
  if (late) {
    for (let i = first; i < ctx.spans.length; i++) {
      const span = ctx.spans[i]!;
      span.service = identity.service;
      span.serviceVersion = identity.serviceVersion;
      span.environment = identity.environment;
      span.resourceAttributes = resourceAttrs;
    }
  }
}

function readScopeSpans(r: WireReader, end: number, identity: ResourceIdentity, resourceAttrs: Attributes, ctx: TraceContext): void {
  let scopeName = '';
  const first = ctx.spans.length;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === tagOf(1, LEN)) {
      scopeName = trimScopeName(readScopeName(r, r.lengthEnd()), ctx.limits, (reason) => ctx.rejections.warn(reason));
      for (let i = first; i < ctx.spans.length; i++) ctx.spans[i]!.scopeName = scopeName;
    } else if (tag === tagOf(2, LEN)) {
      const e = r.lengthEnd();
      if (++ctx.seen > ctx.limits.maxItemsPerRequest) {
        ctx.rejections.reject(`request has more than ingest.maxItemsPerRequest=${ctx.limits.maxItemsPerRequest} spans`);
        r.pos = e;
        continue;
      }
      const span = emptySpan(identity, resourceAttrs, scopeName);
      let durationMs: number;
      try {
        durationMs = readSpan(r, e, span, ctx.limits);
      } catch (err) {
        if (!(err instanceof ItemLimitError)) throw err;
        ctx.rejections.reject(`span rejected: ${err.message}`);
        r.pos = e;
        continue;
      }
      if (finishSpan(span, durationMs, ctx.limits, ctx.conventions, ctx.rejections)) ctx.spans.push(span);
    } else r.skip(tag & 7);
  }
}

/** Fills `span` from a Span message; returns its duration (from the exact nanosecond difference). */
function readSpan(r: WireReader, end: number, span: Span, limits: ValueLimits): number {
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
  if (endAt < 0) return 0;
  const buf = r.buf;
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
