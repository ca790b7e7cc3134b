// The OTLP/JSON decoder for ExportTraceServiceRequest: same records and same validation as the
// protobuf path (span-record.ts), reading the JSON mapping's field names and encodings.
import type { Span, SpanEvent, SpanLink } from '../model/index.js';
import type { RejectionLog } from './attributes.js';
import { ItemLimitError } from './errors.js';
import {
  arrayField,
  attributesField,
  field,
  enumField,
  idField,
  nanosField,
  objectField,
  objectsOf,
  resourceAttributes,
  scopeName,
  stringField,
  type JsonObject,
} from './json-values.js';
import type { IngestLimits } from './limits.js';
import { resourceIdentity, type ConventionOptions } from './semconv.js';
import { emptySpan, finishSpan, SPAN_KIND_NAMES, spanKindOf, STATUS_CODE_NAMES, statusCodeOf } from './span-record.js';
import type { ValueLimits } from './wire-values.js';

interface TraceContext {
  limits: IngestLimits;
  conventions: ConventionOptions;
  rejections: RejectionLog;
  spans: Span[];
  seen: number;
}

export function decodeTracesJson(request: JsonObject, ctx: TraceContext): void {
  const resourceSpans = objectsOf(arrayField(request, 'resourceSpans', 'resource_spans', 'request'), 'resourceSpans');
  resourceSpans.forEach((rs, i) => {
    const where = `resourceSpans[${i}]`;
    const warn = (reason: string): void => ctx.rejections.warn(reason);
    const resourceAttrs = resourceAttributes(rs, where, ctx.limits, warn);
    const identity = resourceIdentity(resourceAttrs);
    const scopes = objectsOf(arrayField(rs, 'scopeSpans', 'scope_spans', where), `${where}.scopeSpans`);
    scopes.forEach((ss, j) => {
      const at = `${where}.scopeSpans[${j}]`;
      const scope = scopeName(ss, at, ctx.limits, warn);
      const spans = objectsOf(arrayField(ss, 'spans', undefined, at), `${at}.spans`);
      spans.forEach((s, k) => {
        if (++ctx.seen > ctx.limits.maxItemsPerRequest) {
          ctx.rejections.reject(`request has more than ingest.maxItemsPerRequest=${ctx.limits.maxItemsPerRequest} spans`);
          return;
        }
        const span = emptySpan(identity, resourceAttrs, scope);
        let durationMs: number;
        try {
          durationMs = readSpan(s, span, `${at}.spans[${k}]`, ctx.limits);
        } catch (err) {
          if (!(err instanceof ItemLimitError)) throw err;
          ctx.rejections.reject(`span rejected: ${err.message}`);
          return;
        }
        if (finishSpan(span, durationMs, ctx.limits, ctx.conventions, ctx.rejections)) ctx.spans.push(span);
      });
    });
  });
}

function readSpan(s: JsonObject, span: Span, where: string, limits: ValueLimits): number {
  span.traceId = idField(s, 'traceId', 'trace_id', where);
  span.spanId = idField(s, 'spanId', 'span_id', where);
  span.parentSpanId = idField(s, 'parentSpanId', 'parent_span_id', where);
  span.name = stringField(s, 'name', undefined, where);
  span.kind = spanKindOf(enumField(s, 'kind', undefined, SPAN_KIND_NAMES, where));
  span.startTimeMs = nanosField(s, 'startTimeUnixNano', 'start_time_unix_nano', where);
  span.attributes = attributesField(s, 'attributes', undefined, where, limits);
  span.events = objectsOf(arrayField(s, 'events', undefined, where), `${where}.events`).map((e, k): SpanEvent => {
    const at = `${where}.events[${k}]`;
    return {
      timeMs: nanosField(e, 'timeUnixNano', 'time_unix_nano', at),
      name: stringField(e, 'name', undefined, at),
      attributes: attributesField(e, 'attributes', undefined, at, limits),
    };
  });
  span.links = objectsOf(arrayField(s, 'links', undefined, where), `${where}.links`).map((l, k): SpanLink => {
    const at = `${where}.links[${k}]`;
    return {
      traceId: idField(l, 'traceId', 'trace_id', at),
      spanId: idField(l, 'spanId', 'span_id', at),
      attributes: attributesField(l, 'attributes', undefined, at, limits),
    };
  });
  const status = objectField(s, 'status', undefined, where);
  if (status) {
    span.statusCode = statusCodeOf(enumField(status, 'code', undefined, STATUS_CODE_NAMES, `${where}.status`));
    span.statusMessage = stringField(status, 'message', undefined, `${where}.status`);
  }
  const endMs = nanosField(s, 'endTimeUnixNano', 'end_time_unix_nano', where);
  return (
    nanosDifferenceMs(field(s, 'startTimeUnixNano', 'start_time_unix_nano'), field(s, 'endTimeUnixNano', 'end_time_unix_nano')) ?? endMs - span.startTimeMs
  );
}

/** end - start from the exact decimal nanos when both are strings (the usual OTLP/JSON form). */
function nanosDifferenceMs(start: unknown, end: unknown): number | undefined {
  if (typeof start !== 'string' || typeof end !== 'string') return undefined;
  return Number(BigInt(end) - BigInt(start)) / 1_000_000;
}
