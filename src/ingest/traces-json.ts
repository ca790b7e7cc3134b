// The OTLP/JSON decoder for ExportTraceServiceRequest: same records and same validation as the
// protobuf path (span-record.ts), reading the JSON mapping's field names and encodings.
import type { Span, SpanEvent, SpanLink } from '../model/index.js';
import { arrayField, attributesField, field, enumField, idField, nanosField, objectField, objectsOf, stringField, type JsonObject } from './json-values.js';
import { walkJsonRequest, type JsonItemKind } from './json-resources.js';
import { takeItem, type SignalContext } from './signal-items.js';
import { SPAN_KIND_NAMES, SPANS, spanKindOf, STATUS_CODE_NAMES, statusCodeOf } from './span-record.js';
import type { ValueLimits } from './wire-values.js';

const JSON_SPANS: JsonItemKind<Span> = { ...SPANS, read: readSpan };

export function decodeTracesJson(request: JsonObject, ctx: SignalContext<Span>): void {
  walkJsonRequest(
    request,
    { resources: ['resourceSpans', 'resource_spans'], scopes: ['scopeSpans', 'scope_spans'], items: ['spans', undefined] },
    ctx,
    (s, where, scope) => takeItem(JSON_SPANS, ctx, s, where, scope),
  );
}

function readSpan(s: JsonObject, where: string, span: Span, limits: ValueLimits): void {
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
  span.durationMs =
    nanosDifferenceMs(field(s, 'startTimeUnixNano', 'start_time_unix_nano'), field(s, 'endTimeUnixNano', 'end_time_unix_nano')) ?? endMs - span.startTimeMs;
}

/** end - start from the exact decimal nanos when both are strings (the usual OTLP/JSON form). */
function nanosDifferenceMs(start: unknown, end: unknown): number | undefined {
  if (typeof start !== 'string' || typeof end !== 'string') return undefined;
  return Number(BigInt(end) - BigInt(start)) / 1_000_000;
}
