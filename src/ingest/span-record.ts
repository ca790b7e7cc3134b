// Building and validating one Span record, shared by the protobuf and JSON trace decoders so both
// encodings give identical records and reject the same items for the same reasons.
import { emptySpan, type Span, type SpanKind, type SpanStatusCode } from '../model/index.js';
import { attributeViolation } from './attributes.js';
import type { IngestLimits } from './limits.js';
import { timeViolation } from './request-bounds.js';
import { liftSpanConventions } from './semconv.js';
import { placeUnder, type ItemRules, type ItemScope, type SignalContext } from './signal-items.js';

export const SPAN_KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
export const SPAN_KIND_NAMES = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
] as const;
export const STATUS_CODES: readonly SpanStatusCode[] = ['unset', 'ok', 'error'];
export const STATUS_CODE_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'] as const;

/** The all-zero ids OTLP uses for "none". */
export const ZERO_TRACE = '0'.repeat(32);
export const ZERO_SPAN = '0'.repeat(16);

/** Why a trace/span id pair is invalid (hex text of the bytes as sent), or undefined. */
export function idViolation(traceId: string, spanId: string, what: string): string | undefined {
  if (traceId.length !== 32) return `${what} trace_id must be 16 bytes (got ${traceId.length / 2})`;
  if (traceId === ZERO_TRACE) return `${what} trace_id must not be all zeros`;
  if (spanId.length !== 16) return `${what} span_id must be 8 bytes (got ${spanId.length / 2})`;
  if (spanId === ZERO_SPAN) return `${what} span_id must not be all zeros`;
  return undefined;
}

/** Validates a decoded span and lifts its conventions; false (and logged) if it is rejected. Its
 * durationMs is end - start as sent: a span that ends before it starts is kept, with duration 0. */
export function finishSpan(span: Span, { limits, conventions, rejections }: SignalContext<Span>): boolean {
  const problem =
    idViolation(span.traceId, span.spanId, 'span') ??
    (span.parentSpanId.length !== 0 && span.parentSpanId.length !== 16
      ? `span parent_span_id must be empty or 8 bytes (got ${span.parentSpanId.length / 2})`
      : undefined) ??
    timeViolation(span.startTimeMs, 'span start_time_unix_nano') ??
    (span.name.length > limits.maxNameLength
      ? `span name is ${span.name.length} characters long, over the limit ingest.maxNameLength=${limits.maxNameLength}`
      : undefined) ??
    (span.statusMessage.length > limits.maxAttributeValueLength
      ? `span status message is ${span.statusMessage.length} characters long, over the limit ingest.maxAttributeValueLength=${limits.maxAttributeValueLength}`
      : undefined) ??
    (span.events.length > limits.maxEventsPerSpan
      ? `span has ${span.events.length} events, over the limit ingest.maxEventsPerSpan=${limits.maxEventsPerSpan}`
      : undefined) ??
    (span.links.length > limits.maxLinksPerSpan
      ? `span has ${span.links.length} links, over the limit ingest.maxLinksPerSpan=${limits.maxLinksPerSpan}`
      : undefined) ??
    attributeViolation(span.attributes, limits, 'span') ??
    eventsViolation(span, limits);
  if (problem) {
    rejections.reject(problem);
    return false;
  }
  if (span.parentSpanId === ZERO_SPAN) span.parentSpanId = '';
  if (!(span.durationMs > 0)) span.durationMs = 0;
  liftSpanConventions(span, conventions);
  return true;
}

export const SPANS: ItemRules<Span, ItemScope> = { singular: 'span', plural: 'spans', empty: (scope) => placeUnder(emptySpan(), scope), finish: finishSpan };

function eventsViolation(span: Span, limits: IngestLimits): string | undefined {
  for (const e of span.events) {
    if (e.name.length > limits.maxNameLength)
      return `span event name is ${e.name.length} characters long, over the limit ingest.maxNameLength=${limits.maxNameLength}`;
    const v = attributeViolation(e.attributes, limits, `span event "${e.name}"`);
    if (v) return v;
  }
  for (const l of span.links) {
    const v = attributeViolation(l.attributes, limits, 'span link');
    if (v) return v;
  }
  return undefined;
}

export function spanKindOf(n: number): SpanKind {
  return SPAN_KINDS[n] ?? 'unspecified';
}

export function statusCodeOf(n: number): SpanStatusCode {
  return STATUS_CODES[n] ?? 'unset';
}
